namespace Rhei.Protocol.Records;

/// <summary>How the timestamps of a batch were set: attribute bit 3 (Kafka's <c>message.timestamp.type</c>).</summary>
public enum TimestampType : byte
{
    CreateTime = 0,
    LogAppendTime = 1,
}
