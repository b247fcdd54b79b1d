using System.Buffers;
using Rhei.Formats.Avro;
using Rhei.Formats.SchemaRegistry;

namespace Rhei.Formats.Tests.Avro;

/// <summary>Hand-encoded Avro records for tests.</summary>
internal static class AvroTestData
{
    public static byte[] Encode(string schemaUnused, int id, Action<AvroBinaryWriter> write)
    {
        _ = schemaUnused;
        var buffer = new ArrayBufferWriter<byte>();
        SchemaRegistryFraming.WriteHeader(buffer, id);
        var w = new AvroBinaryWriter();
        w.Reset(buffer);
        write(w);
        return buffer.WrittenSpan.ToArray();
    }
}
