using System.Text.Json;

namespace Rhei.Connect.Runtime;

/// <summary>
/// A connector's name and properties as the user gave them (the WITH clause): what the command topic persists.
/// <see cref="ToJson"/>/<see cref="FromJson"/> give a stable text form (<c>{"name":"...","config":{...}}</c>, the shape
/// of Kafka Connect's REST API).
/// </summary>
public sealed record ConnectorConfig(string Name, IReadOnlyDictionary<string, string> Properties)
{
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("name", Name);
            writer.WriteStartObject("config");
            foreach (var (k, v) in Properties.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                writer.WriteString(k, v);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    public static ConnectorConfig FromJson(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var name = root.GetProperty("name").GetString() ?? throw new FormatException("A connector config needs a name.");
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in root.GetProperty("config").EnumerateObject())
        {
            properties[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText();
        }

        return new ConnectorConfig(name, properties);
    }

    public bool Equals(ConnectorConfig? other) =>
        other is not null && Name == other.Name && Properties.Count == other.Properties.Count
        && Properties.All(kv => other.Properties.TryGetValue(kv.Key, out var v) && v == kv.Value);

    public override int GetHashCode() => HashCode.Combine(Name, Properties.Count);
}
