using System.Collections.Frozen;

namespace Rhei.Formats.Serde;

/// <summary>
/// How to build one serializer or deserializer: key or value, the resolved features (single-column wrapping),
/// the format properties (e.g. <see cref="FormatPropertyNames.Delimiter"/>), and the topic (used in error messages
/// and, for schema-registry formats, in subject names).
/// </summary>
public sealed record SerdeOptions
{
    private static readonly IReadOnlyDictionary<string, string> NoProperties =
        FrozenDictionary<string, string>.Empty;

    public SerdeOptions(SerdeTarget target)
    {
        Target = target;
    }

    public SerdeTarget Target { get; init; }

    /// <summary>Resolved features (see <see cref="SerdeFormat.ResolveKeyFeatures"/> and <see cref="SerdeFormat.ResolveValueFeatures"/>).</summary>
    public SerdeFeatures Features { get; init; }

    /// <summary>Format properties by their format-level names (case-insensitive).</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = NoProperties;

    public string Topic { get; init; } = "";

    public static SerdeOptions Key(string topic = "") => new(SerdeTarget.Key) { Topic = topic };

    public static SerdeOptions Value(string topic = "") => new(SerdeTarget.Value) { Topic = topic };

    /// <summary>True when a single column is written as an anonymous value.</summary>
    public bool UnwrapSingle => Features.HasFlag(SerdeFeatures.UnwrapSingles);

    public string? GetProperty(string name)
    {
        if (Properties.TryGetValue(name, out var v))
        {
            return v;
        }

        foreach (var (k, value) in Properties)
        {
            if (string.Equals(k, name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }

    public string TargetName => Target == SerdeTarget.Key ? "key" : "value";
}
