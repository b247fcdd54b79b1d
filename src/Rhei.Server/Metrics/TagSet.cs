using System.Globalization;

namespace Rhei.Server.Metrics;

/// <summary>An ordered set of tag names and values (as text): the identity of a series.</summary>
public sealed class TagSet : IEquatable<TagSet>
{
    private readonly KeyValuePair<string, string>[] _tags;
    private readonly int _hash;

    private TagSet(KeyValuePair<string, string>[] tags)
    {
        _tags = tags;
        var hash = new HashCode();
        foreach (var (k, v) in tags)
        {
            hash.Add(k, StringComparer.Ordinal);
            hash.Add(v, StringComparer.Ordinal);
        }

        _hash = hash.ToHashCode();
    }

    public static TagSet Empty { get; } = new([]);

    public IReadOnlyList<KeyValuePair<string, string>> Tags => _tags;

    /// <summary>The tags of a meter and of a measurement, sorted by name (a measurement's tag wins over the meter's).</summary>
    public static TagSet From(ReadOnlySpan<KeyValuePair<string, object?>> meterTags, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (meterTags.Length == 0 && tags.Length == 0)
        {
            return Empty;
        }

        var all = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in meterTags)
        {
            all[k] = Format(v);
        }

        foreach (var (k, v) in tags)
        {
            all[k] = Format(v);
        }

        return new TagSet([.. all]);
    }

    public string? Get(string name)
    {
        foreach (var (k, v) in _tags)
        {
            if (k == name)
            {
                return v;
            }
        }

        return null;
    }

    private static string Format(object? value) => value switch
    {
        null => "",
        string s => s,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    public bool Equals(TagSet? other)
    {
        if (other is null || other._hash != _hash || other._tags.Length != _tags.Length)
        {
            return false;
        }

        for (var i = 0; i < _tags.Length; i++)
        {
            if (_tags[i].Key != other._tags[i].Key || _tags[i].Value != other._tags[i].Value)
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as TagSet);

    public override int GetHashCode() => _hash;

    public override string ToString() => string.Join(",", _tags.Select(t => $"{t.Key}={t.Value}"));
}
