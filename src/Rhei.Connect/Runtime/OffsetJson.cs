using System.Buffers;
using System.Text.Json;

namespace Rhei.Connect.Runtime;

/// <summary>
/// The JSON of source partitions and offsets in the offsets topic, as Kafka Connect writes them: the key
/// <c>["connector",{"table":"users"}]</c>, the value <c>{"incrementing":42}</c>. Map keys are written sorted, so one
/// partition always has the same key bytes (the topic is compacted by key).
/// </summary>
internal static class OffsetJson
{
    public static byte[] Key(string connector, IReadOnlyDictionary<string, object?> partition)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            writer.WriteStringValue(connector);
            WriteMap(writer, partition);
            writer.WriteEndArray();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] Map(IReadOnlyDictionary<string, object?> map)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteMap(writer, map);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a key back into (connector, partition); false when the bytes are not such a key.</summary>
    public static bool TryReadKey(ReadOnlySpan<byte> data, out string connector, out IReadOnlyDictionary<string, object?> partition)
    {
        connector = "";
        partition = new Dictionary<string, object?>();
        try
        {
            using var doc = JsonDocument.Parse(data.ToArray());
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Array || root.GetArrayLength() != 2 || root[0].ValueKind != JsonValueKind.String || root[1].ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            connector = root[0].GetString()!;
            partition = ReadMap(root[1]);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    public static IReadOnlyDictionary<string, object?>? TryReadMap(ReadOnlySpan<byte> data)
    {
        try
        {
            using var doc = JsonDocument.Parse(data.ToArray());
            return doc.RootElement.ValueKind == JsonValueKind.Object ? ReadMap(doc.RootElement) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static Dictionary<string, object?> ReadMap(JsonElement element)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var p in element.EnumerateObject())
        {
            map[p.Name] = p.Value.ValueKind switch
            {
                JsonValueKind.String => p.Value.GetString(),
                JsonValueKind.Number => p.Value.TryGetInt64(out var l) ? (object)l : p.Value.GetDouble(),
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => null,
            };
        }

        return map;
    }

    private static void WriteMap(Utf8JsonWriter writer, IReadOnlyDictionary<string, object?> map)
    {
        writer.WriteStartObject();
        foreach (var (k, v) in map.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            writer.WritePropertyName(k);
            switch (v)
            {
                case null:
                    writer.WriteNullValue();
                    break;
                case string s:
                    writer.WriteStringValue(s);
                    break;
                case bool b:
                    writer.WriteBooleanValue(b);
                    break;
                case int i:
                    writer.WriteNumberValue(i);
                    break;
                case long l:
                    writer.WriteNumberValue(l);
                    break;
                case double d:
                    writer.WriteNumberValue(d);
                    break;
                default:
                    writer.WriteStringValue(Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture));
                    break;
            }
        }

        writer.WriteEndObject();
    }
}
