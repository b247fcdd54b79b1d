using Rhei.Connect.Data;
using Rhei.Formats.Types;

namespace Rhei.Connect.Converters;

/// <summary><c>org.apache.kafka.connect.converters.ByteArrayConverter</c>: bytes pass through unchanged.</summary>
public sealed class ByteArrayConverter : Converter
{
    public override byte[]? FromConnectData(string topic, SqlType? schema, object? value) => value switch
    {
        null => null,
        byte[] b => b,
        ReadOnlyMemory<byte> m => m.ToArray(),
        _ => throw new ConnectDataException($"ByteArrayConverter is not compatible with objects of type {value.GetType().Name}: use StringConverter or JsonConverter for this {(schema is null ? "value" : schema.ToString())}."),
    };

    public override ConnectValue ToConnectData(string topic, ReadOnlySpan<byte> data) => new(SqlTypes.Bytes, data.ToArray());
}
