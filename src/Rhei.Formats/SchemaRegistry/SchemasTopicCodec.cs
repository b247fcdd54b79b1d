using System.Buffers;
using System.Text.Json;

namespace Rhei.Formats.SchemaRegistry;

/// <summary>
/// The <c>_schemas</c> topic's records, as Confluent's registry writes them (JSON keys and values):
/// <c>{"keytype":"SCHEMA","subject":"s","version":1,"magic":1}</c> →
/// <c>{"subject":"s","version":1,"id":1,"schemaType":"PROTOBUF","references":[],"schema":"...","deleted":false}</c>
/// (null value: the version was deleted permanently), and <c>{"keytype":"CONFIG","subject":null,"magic":0}</c> →
/// <c>{"compatibilityLevel":"BACKWARD"}</c> (null value: the level was cleared). Keys are written with a fixed field
/// order so that compaction keeps the last record per key. Other key types (NOOP, MODE, DELETE_SUBJECT, ...) are skipped.
/// </summary>
public static class SchemasTopicCodec
{
    public const string DefaultTopic = "_schemas";

    public static (byte[] Key, byte[]? Value) Encode(SchemaLogRecord record) => record switch
    {
        SchemaLogRecord.Schema { Value: var s } => (SchemaKey(s.Subject, s.Version), SchemaValue(s)),
        SchemaLogRecord.SchemaTombstone(var subject, var version) => (SchemaKey(subject, version), null),
        SchemaLogRecord.Config(var subject, var level) => (ConfigKey(subject), level is { } l ? ConfigValue(l) : null),
        _ => throw new ArgumentOutOfRangeException(nameof(record)),
    };

    /// <summary>Reads one record; null for key types the registry does not keep or for unreadable records.</summary>
    public static SchemaLogRecord? Decode(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, bool valueIsNull)
    {
        try
        {
            using var keyDoc = JsonDocument.Parse(key.ToArray());
            var k = keyDoc.RootElement;
            var keyType = k.TryGetProperty("keytype", out var kt) ? kt.GetString() : null;
            var subject = k.TryGetProperty("subject", out var subj) && subj.ValueKind == JsonValueKind.String ? subj.GetString() : null;
            switch (keyType)
            {
                case "SCHEMA":
                    {
                        var version = k.GetProperty("version").GetInt32();
                        if (valueIsNull)
                        {
                            return new SchemaLogRecord.SchemaTombstone(subject!, version);
                        }

                        using var valueDoc = JsonDocument.Parse(value.ToArray());
                        var v = valueDoc.RootElement;
                        if (!SchemaTypes.TryParse(v.TryGetProperty("schemaType", out var st) ? st.GetString() : null, out var type))
                        {
                            return null;
                        }

                        var references = new List<SchemaReference>();
                        if (v.TryGetProperty("references", out var refs) && refs.ValueKind == JsonValueKind.Array)
                        {
                            foreach (var r in refs.EnumerateArray())
                            {
                                references.Add(new SchemaReference(r.GetProperty("name").GetString()!, r.GetProperty("subject").GetString()!, r.GetProperty("version").GetInt32()));
                            }
                        }

                        var deleted = v.TryGetProperty("deleted", out var d) && d.ValueKind == JsonValueKind.True;
                        var definition = new SchemaDefinition(type, v.GetProperty("schema").GetString()!, references);
                        return new SchemaLogRecord.Schema(new RegisteredSchema(
                            v.GetProperty("subject").GetString()!, v.GetProperty("version").GetInt32(), v.GetProperty("id").GetInt32(), definition, deleted));
                    }

                case "CONFIG":
                    {
                        if (valueIsNull)
                        {
                            return new SchemaLogRecord.Config(subject, null);
                        }

                        using var valueDoc = JsonDocument.Parse(value.ToArray());
                        var v = valueDoc.RootElement;
                        var text = v.TryGetProperty("compatibilityLevel", out var cl) ? cl.GetString() : null;
                        return CompatibilityLevels.TryParse(text, out var level) ? new SchemaLogRecord.Config(subject, level) : null;
                    }

                default:
                    return null;
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    private static byte[] SchemaKey(string subject, int version) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("keytype", "SCHEMA");
        w.WriteString("subject", subject);
        w.WriteNumber("version", version);
        w.WriteNumber("magic", 1);
        w.WriteEndObject();
    });

    private static byte[] ConfigKey(string? subject) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("keytype", "CONFIG");
        if (subject is null)
        {
            w.WriteNull("subject");
        }
        else
        {
            w.WriteString("subject", subject);
        }

        w.WriteNumber("magic", 0);
        w.WriteEndObject();
    });

    private static byte[] SchemaValue(RegisteredSchema s) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("subject", s.Subject);
        w.WriteNumber("version", s.Version);
        w.WriteNumber("id", s.Id);
        if (s.Type != SchemaType.Avro)
        {
            w.WriteString("schemaType", s.Type.Name());
        }

        w.WriteStartArray("references");
        foreach (var r in s.References)
        {
            w.WriteStartObject();
            w.WriteString("name", r.Name);
            w.WriteString("subject", r.Subject);
            w.WriteNumber("version", r.Version);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteString("schema", s.Schema);
        w.WriteBoolean("deleted", s.Deleted);
        w.WriteEndObject();
    });

    private static byte[] ConfigValue(CompatibilityLevel level) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("compatibilityLevel", level.Name());
        w.WriteEndObject();
    });

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
