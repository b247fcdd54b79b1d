using System.Text;
using Confluent.Kafka;

namespace Rhei.Client.Kafka;

/// <summary>Maps Confluent/librdkafka errors to Kafka's error names (UNKNOWN_TOPIC_OR_PARTITION, ...).</summary>
internal static class KafkaErrors
{
    /// <summary>Kafka's name of a broker error code; librdkafka's local errors map to the nearest Kafka error.</summary>
    public static string Name(ErrorCode code) => code switch
    {
        ErrorCode.Local_UnknownTopic or ErrorCode.Local_UnknownPartition => "UNKNOWN_TOPIC_OR_PARTITION",
        ErrorCode.Local_MsgTimedOut or ErrorCode.Local_TimedOut => "REQUEST_TIMED_OUT",
        ErrorCode.Local_AutoOffsetReset => "OFFSET_OUT_OF_RANGE",
        ErrorCode.Local_InvalidArg => "INVALID_REQUEST",
        ErrorCode.Local_Transport or ErrorCode.Local_AllBrokersDown => "NETWORK_EXCEPTION",
        ErrorCode.Local_State => "ILLEGAL_STATE",
        ErrorCode.Local_UnknownGroup => "GROUP_ID_NOT_FOUND",
        _ when (int)code >= 0 && Enum.IsDefined((Rhei.Protocol.ErrorCode)(short)code) => SnakeCase(((Rhei.Protocol.ErrorCode)(short)code).ToString()),
        _ => "UNKNOWN_SERVER_ERROR",
    };

    public static string Name(Error error) => Name(error.Code);

    /// <summary>UnknownTopicOrPartition → UNKNOWN_TOPIC_OR_PARTITION (the generated enum names are Kafka's in PascalCase).</summary>
    internal static string SnakeCase(string pascal)
    {
        var sb = new StringBuilder(pascal.Length + 8);
        for (var i = 0; i < pascal.Length; i++)
        {
            var c = pascal[i];
            if (char.IsUpper(c) && i > 0)
            {
                sb.Append('_');
            }

            sb.Append(char.ToUpperInvariant(c));
        }

        return sb.ToString();
    }

    public static string Describe(Error error) => $"{error.Reason} ({Name(error)})";
}
