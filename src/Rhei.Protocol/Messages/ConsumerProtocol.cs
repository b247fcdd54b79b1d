using System.Buffers.Binary;

namespace Rhei.Protocol.Messages;

/// <summary>
/// The "consumer" group protocol's payloads: JoinGroup protocol metadata holds a
/// <see cref="ConsumerProtocolSubscription"/>, SyncGroup assignments a <see cref="ConsumerProtocolAssignment"/>,
/// each as an int16 version followed by the struct at that version. A version newer than Rhei knows is read
/// with the newest known layout (the spec promises newer versions only append fields).
/// </summary>
public static class ConsumerProtocol
{
    /// <summary>The JoinGroup protocol type of Kafka consumers.</summary>
    public const string ProtocolType = "consumer";

    public static ConsumerProtocolSubscription ReadSubscription(ReadOnlyMemory<byte> metadata, out short version)
    {
        var reader = new ProtocolReader(metadata);
        version = ReadVersion(ref reader, "subscription");
        return ConsumerProtocolSubscription.Read(ref reader, Math.Min(version, ConsumerProtocolSubscription.HighestSupportedVersion));
    }

    public static byte[] WriteSubscription(ConsumerProtocolSubscription subscription, short version) =>
        WithVersion(subscription, version);

    /// <summary>Reads an assignment; an empty payload (a member given nothing) is an empty assignment.</summary>
    public static ConsumerProtocolAssignment ReadAssignment(ReadOnlyMemory<byte> assignment, out short version)
    {
        if (assignment.IsEmpty)
        {
            version = 0;
            return new ConsumerProtocolAssignment();
        }
        var reader = new ProtocolReader(assignment);
        version = ReadVersion(ref reader, "assignment");
        return ConsumerProtocolAssignment.Read(ref reader, Math.Min(version, ConsumerProtocolAssignment.HighestSupportedVersion));
    }

    public static byte[] WriteAssignment(ConsumerProtocolAssignment assignment, short version) =>
        WithVersion(assignment, version);

    private static short ReadVersion(ref ProtocolReader reader, string what)
    {
        var version = reader.ReadInt16();
        if (version < 0)
        {
            throw new InvalidDataException($"Consumer protocol {what} has negative version {version}.");
        }
        return version;
    }

    private static byte[] WithVersion(IProtocolMessage message, short version)
    {
        var size = message.ComputeSize(version);
        var bytes = new byte[2 + size];
        BinaryPrimitives.WriteInt16BigEndian(bytes, version);
        var writer = new ProtocolWriter(bytes.AsSpan(2));
        message.Write(ref writer, version);
        ProtocolMessageExtensions.CheckSize(message, writer.Position, size);
        return bytes;
    }
}
