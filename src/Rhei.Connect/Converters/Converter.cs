using Rhei.Connect.Data;
using Rhei.Formats.Types;

namespace Rhei.Connect.Converters;

/// <summary>
/// Turns a record key or value into bytes and back (Kafka Connect's Converter). One instance per task and part
/// (key or value); instances may keep reusable buffers and are not thread-safe.
/// </summary>
public abstract class Converter
{
    /// <summary>The bytes of a key or value (null for a null key or a tombstone).</summary>
    /// <exception cref="ConnectDataException">The value cannot be written by this converter.</exception>
    public abstract byte[]? FromConnectData(string topic, SqlType? schema, object? value);

    /// <summary>The key or value in <paramref name="data"/> (null bytes give <see cref="ConnectValue.Null"/>).</summary>
    /// <exception cref="ConnectDataException">The bytes cannot be read by this converter.</exception>
    public abstract ConnectValue ToConnectData(string topic, ReadOnlySpan<byte> data);

    public ConnectValue ToConnectData(string topic, ReadOnlyMemory<byte>? data) =>
        data is { } bytes ? ToConnectData(topic, bytes.Span) : ConnectValue.Null;
}
