using System.Globalization;
using System.Text.Json;

namespace Rhei.Protocol.Generator;

/// <summary>One field of a Kafka JSON message spec, as written there.</summary>
internal sealed record FieldSpec(
    string Name,
    string Type,
    VersionRange Versions,
    VersionRange NullableVersions,
    VersionRange TaggedVersions,
    int? Tag,
    bool Ignorable,
    string? Default,
    VersionRange? FlexibleVersions,
    IReadOnlyList<FieldSpec>? Fields);

/// <summary>A struct declared in a spec's <c>commonStructs</c>.</summary>
internal sealed record CommonStructSpec(string Name, VersionRange Versions, IReadOnlyList<FieldSpec> Fields);

/// <summary>A Kafka JSON message spec (request, response, header or data).</summary>
internal sealed record MessageSpec(
    string Name,
    string Type,
    short? ApiKey,
    VersionRange ValidVersions,
    VersionRange FlexibleVersions,
    IReadOnlyList<FieldSpec> Fields,
    IReadOnlyList<CommonStructSpec> CommonStructs,
    string FileName)
{
    private static readonly JsonDocumentOptions Options = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static MessageSpec Load(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path), Options);
        var root = document.RootElement;
        var name = root.GetProperty("name").GetString()!;
        short? apiKey = root.TryGetProperty("apiKey", out var key) ? key.GetInt16() : null;
        var commonStructs = new List<CommonStructSpec>();
        if (root.TryGetProperty("commonStructs", out var structs))
        {
            foreach (var s in structs.EnumerateArray())
            {
                commonStructs.Add(new CommonStructSpec(
                    s.GetProperty("name").GetString()!,
                    VersionRange.Parse(s.GetProperty("versions").GetString()),
                    ParseFields(s.GetProperty("fields"), path)));
            }
        }
        return new MessageSpec(
            name,
            root.GetProperty("type").GetString()!,
            apiKey,
            VersionRange.Parse(root.GetProperty("validVersions").GetString()),
            VersionRange.Parse(root.GetProperty("flexibleVersions").GetString()),
            ParseFields(root.GetProperty("fields"), path),
            commonStructs,
            Path.GetFileName(path));
    }

    private static List<FieldSpec> ParseFields(JsonElement array, string path)
    {
        var fields = new List<FieldSpec>();
        foreach (var f in array.EnumerateArray())
        {
            var name = f.GetProperty("name").GetString()!;
            var tagged = f.TryGetProperty("taggedVersions", out var tv) ? VersionRange.Parse(tv.GetString()) : VersionRange.None;
            int? tag = f.TryGetProperty("tag", out var t) ? (t.ValueKind == JsonValueKind.String ? int.Parse(t.GetString()!, CultureInfo.InvariantCulture) : t.GetInt32()) : null;
            if (tag.HasValue != !tagged.IsEmpty)
            {
                throw new InvalidDataException($"{path}: field {name} must have both tag and taggedVersions, or neither.");
            }
            fields.Add(new FieldSpec(
                name,
                f.GetProperty("type").GetString()!,
                VersionRange.Parse(f.GetProperty("versions").GetString()),
                f.TryGetProperty("nullableVersions", out var nv) ? VersionRange.Parse(nv.GetString()) : VersionRange.None,
                tagged,
                tag,
                f.TryGetProperty("ignorable", out var ig) && ig.ValueKind == JsonValueKind.True,
                f.TryGetProperty("default", out var d) ? DefaultText(d) : null,
                f.TryGetProperty("flexibleVersions", out var fv) ? VersionRange.Parse(fv.GetString()) : null,
                f.TryGetProperty("fields", out var nested) ? ParseFields(nested, path) : null));
        }
        return fields;
    }

    private static string DefaultText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Number => value.GetRawText(),
        _ => throw new InvalidDataException($"Unsupported default value {value.GetRawText()}."),
    };
}
