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

    /// <summary>
    /// Called before <see cref="FromConnectData"/> with the record's topic and schema: a schema-registry converter
    /// registers the schema here (once per topic and schema), as Confluent's converters do with auto.register.schemas.
    /// </summary>
    public virtual ValueTask PrepareWriteAsync(string topic, SqlType? schema, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Called before <see cref="ToConnectData(string, ReadOnlySpan{byte})"/> for a topic: a schema-registry converter looks up the subject's schema here.</summary>
    public virtual ValueTask PrepareReadAsync(string topic, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ConnectValue ToConnectData(string topic, ReadOnlyMemory<byte>? data) =>
        data is { } bytes ? ToConnectData(topic, bytes.Span) : ConnectValue.Null;
}
