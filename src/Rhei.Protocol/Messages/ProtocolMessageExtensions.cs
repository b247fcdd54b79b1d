using System.Buffers;

namespace Rhei.Protocol.Messages;

/// <summary>Writing messages to buffer writers and arrays.</summary>
public static class ProtocolMessageExtensions
{
    /// <summary>Writes <paramref name="message"/> at <paramref name="version"/> into <paramref name="output"/> in one span; returns the bytes written.</summary>
    public static int WriteTo(this IProtocolMessage message, IBufferWriter<byte> output, short version)
    {
        var size = message.ComputeSize(version);
        var writer = new ProtocolWriter(output.GetSpan(size)[..size]);
        message.Write(ref writer, version);
        CheckSize(message, writer.Position, size);
        output.Advance(size);
        return size;
    }

    /// <summary>Encodes <paramref name="message"/> at <paramref name="version"/> into a new array.</summary>
    public static byte[] ToArray(this IProtocolMessage message, short version)
    {
        var size = message.ComputeSize(version);
        var bytes = new byte[size];
        var writer = new ProtocolWriter(bytes);
        message.Write(ref writer, version);
        CheckSize(message, writer.Position, size);
        return bytes;
    }

    internal static void CheckSize(IProtocolMessage message, int written, int computed)
    {
        if (written != computed)
        {
            throw new InvalidOperationException(
                $"{message.GetType().Name} wrote {written} bytes but computed {computed}: generator bug.");
        }
    }
}
