using System.Collections;
using System.Globalization;

namespace Rhei.Formats.Types;

/// <summary>
/// Structural equality and hashing of SQL values (arrays, maps, structs and byte arrays compare by
/// content), used for GROUP BY keys, joins, DISTINCT-like functions and tests.
/// </summary>
public sealed class SqlValueComparer : IEqualityComparer<object?>
{
    public static readonly SqlValueComparer Instance = new();

    public new bool Equals(object? x, object? y)
    {
        if (ReferenceEquals(x, y))
        {
            return true;
        }

        if (x is null || y is null)
        {
            return false;
        }

        switch (x)
        {
            case byte[] bx when y is byte[] by:
                return bx.AsSpan().SequenceEqual(by);
            case List<object?> lx when y is List<object?> ly:
                if (lx.Count != ly.Count)
                {
                    return false;
                }

                for (var i = 0; i < lx.Count; i++)
                {
                    if (!Equals(lx[i], ly[i]))
                    {
                        return false;
                    }
                }

                return true;
            case Dictionary<object, object?> mx when y is Dictionary<object, object?> my:
                if (mx.Count != my.Count)
                {
                    return false;
                }

                foreach (var (k, v) in mx)
                {
                    if (!my.TryGetValue(k, out var w) || !Equals(v, w))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return x.Equals(y);
        }
    }

    public int GetHashCode(object? obj)
    {
        switch (obj)
        {
            case null:
                return 0;
            case byte[] b:
                {
                    var hash = new HashCode();
                    hash.AddBytes(b);
                    return hash.ToHashCode();
                }

            case List<object?> l:
                {
                    var hash = new HashCode();
                    foreach (var e in l)
                    {
                        hash.Add(GetHashCode(e));
                    }

                    return hash.ToHashCode();
                }

            case Dictionary<object, object?> m:
                {
                    var h = 0;
                    foreach (var (k, v) in m)
                    {
                        h ^= HashCode.Combine(k, GetHashCode(v));
                    }

                    return h;
                }

            default:
                return obj.GetHashCode();
        }
    }

    /// <summary>A readable rendering of a value for messages and test failures.</summary>
    public static string Format(object? value) => value switch
    {
        null => "null",
        string s => s,
        byte[] b => Convert.ToBase64String(b),
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        Dictionary<object, object?> m => "{" + string.Join(", ", m.Select(kv => $"{Format(kv.Key)}={Format(kv.Value)}")) + "}",
        IEnumerable e => "[" + string.Join(", ", e.Cast<object?>().Select(Format)) + "]",
        _ => value.ToString() ?? "",
    };
}
