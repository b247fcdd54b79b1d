using System.Text.Json;
using System.Text.RegularExpressions;

namespace Rhei.Conformance;

/// <summary>
/// One runnable expansion of a query-validation case: the case from its file, with <c>{FORMAT}</c> and <c>{CONFIG}</c>
/// replaced for one entry of its <c>format</c> / <c>config</c> lists.
/// </summary>
internal sealed partial record QttCase(string File, string Name, JsonElement Test, string? Format, string? Config, int Index)
{
    /// <summary>The name printed in reports: <c>file.json/name [FORMAT]</c>.</summary>
    public string DisplayName
    {
        get
        {
            var expansion = Expansion;
            return expansion.Length == 0 ? $"{File}/{Name}" : $"{File}/{Name} [{expansion}]";
        }
    }

    public string Expansion => string.Join(", ", new[] { Format, Config is null ? null : "config=" + Config }.Where(s => s is not null));

    public bool Enabled => !Test.TryGetProperty("enabled", out var e) || e.ValueKind != JsonValueKind.False;

    public IReadOnlyList<string> Statements =>
        [.. Test.GetProperty("statements").EnumerateArray().Select(s => Substitute(s.GetString() ?? ""))];

    public IReadOnlyDictionary<string, string> Properties
    {
        get
        {
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            if (Test.TryGetProperty("properties", out var props) && props.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in props.EnumerateObject())
                {
                    var value = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText();
                    result[p.Name] = Substitute(value);
                }
            }

            return result;
        }
    }

    public JsonElement? Property(string name) => Test.TryGetProperty(name, out var e) ? e : null;

    /// <summary>
    /// True when the case needs a schema-registry format (AVRO, PROTOBUF, PROTOBUF_NOSR, JSON_SR) or registers schemas.
    /// </summary>
    public bool NeedsSchemaRegistry
    {
        get
        {
            var text = string.Join("\n", Statements) + string.Join("\n", Properties.Values);
            if (SchemaRegistryFormat().IsMatch(text))
            {
                return true;
            }

            if (Test.TryGetProperty("topics", out var topics) && topics.ValueKind == JsonValueKind.Array)
            {
                foreach (var t in topics.EnumerateArray())
                {
                    if (t.TryGetProperty("schema", out _) || t.TryGetProperty("keySchema", out _) || t.TryGetProperty("valueSchema", out _))
                    {
                        return true;
                    }
                }
            }

            return false;
        }
    }

    private string Substitute(string text)
    {
        if (Format is not null)
        {
            text = text.Replace("{FORMAT}", Format, StringComparison.Ordinal);
        }

        if (Config is not null)
        {
            text = text.Replace("{CONFIG}", Config, StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>Reads every case of a file, one entry per format/config expansion.</summary>
    public static IEnumerable<QttCase> Load(string path)
    {
        using var doc = JsonDocument.Parse(System.IO.File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var file = Path.GetFileName(path);
        var index = 0;
        var result = new List<QttCase>();
        foreach (var test in doc.RootElement.GetProperty("tests").EnumerateArray())
        {
            var t = test.Clone();
            var name = t.TryGetProperty("name", out var n) ? n.GetString() ?? "" : "";
            string?[] formats = t.TryGetProperty("format", out var f) && f.ValueKind == JsonValueKind.Array
                ? [.. f.EnumerateArray().Select(x => x.GetString())]
                : [null];
            string?[] configs = t.TryGetProperty("config", out var c) && c.ValueKind == JsonValueKind.Array
                ? [.. c.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString() : x.GetRawText())]
                : [null];
            foreach (var format in formats)
            {
                foreach (var config in configs)
                {
                    result.Add(new QttCase(file, name, t, format, config, index));
                }
            }

            index++;
        }

        return result;
    }

    [GeneratedRegex(@"\b(AVRO|PROTOBUF|PROTOBUF_NOSR|JSON_SR)\b", RegexOptions.IgnoreCase)]
    private static partial Regex SchemaRegistryFormat();
}
