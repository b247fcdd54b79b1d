using System.Text;

namespace Rhei.Formats.Json;

/// <summary>
/// Matches JSON property names to columns (or struct fields) the way ksqlDB's JSON deserializer does: a property
/// whose name equals a column's name exactly feeds that column; otherwise a property whose upper-cased name equals
/// a column's name feeds it (unquoted SQL names are upper case, so <c>"price"</c> fills <c>PRICE</c>, while a quoted
/// <c>`price`</c> column needs the exact name). One property can feed at most two columns (exact and upper-case).
/// ASCII names are matched on their UTF-8 bytes without allocating.
/// </summary>
internal sealed class FieldNameLookup
{
    private readonly byte[][] _names;
    private readonly string[] _strings;
    private readonly int[] _buckets; // hash slot → first candidate + 1 (0 = empty)
    private readonly int[] _next;    // candidate → next candidate with the same slot + 1
    private readonly int[] _hashes;
    private readonly int _mask;

    public FieldNameLookup(IReadOnlyList<string> names)
    {
        _strings = [.. names];
        _names = [.. names.Select(Encoding.UTF8.GetBytes)];
        var size = 4;
        while (size < names.Count * 2)
        {
            size *= 2;
        }

        _mask = size - 1;
        _buckets = new int[size];
        _next = new int[names.Count];
        _hashes = new int[names.Count];
        for (var i = names.Count - 1; i >= 0; i--)
        {
            var h = Hash(_names[i], upper: false);
            _hashes[i] = h;
            var slot = h & _mask;
            _next[i] = _buckets[slot];
            _buckets[slot] = i + 1;
        }
    }

    public int Count => _names.Length;

    /// <summary>
    /// Finds the column named exactly <paramref name="utf8Name"/> and the column named like its upper case (-1 when
    /// none). <paramref name="utf8Name"/> must be unescaped.
    /// </summary>
    public void Match(ReadOnlySpan<byte> utf8Name, out int exact, out int upper)
    {
        exact = -1;
        upper = -1;
        foreach (var b in utf8Name)
        {
            if (b >= 0x80)
            {
                MatchSlow(Encoding.UTF8.GetString(utf8Name), out exact, out upper);
                return;
            }
        }

        var h = Hash(utf8Name, upper: false);
        for (var c = _buckets[h & _mask]; c != 0; c = _next[c - 1])
        {
            var i = c - 1;
            if (_hashes[i] == h && _names[i].AsSpan().SequenceEqual(utf8Name))
            {
                exact = i;
                break;
            }
        }

        var hu = Hash(utf8Name, upper: true);
        for (var c = _buckets[hu & _mask]; c != 0; c = _next[c - 1])
        {
            var i = c - 1;
            if (_hashes[i] == hu && EqualsUpper(utf8Name, _names[i]))
            {
                upper = i == exact ? -1 : i;
                break;
            }
        }
    }

    /// <summary>Matching for names with non-ASCII characters (allocates; rare).</summary>
    public void MatchSlow(string name, out int exact, out int upper)
    {
        exact = Array.IndexOf(_strings, name);
        var up = Array.IndexOf(_strings, name.ToUpperInvariant());
        upper = up == exact ? -1 : up;
    }

    private static bool EqualsUpper(ReadOnlySpan<byte> name, ReadOnlySpan<byte> column)
    {
        if (name.Length != column.Length)
        {
            return false;
        }

        for (var i = 0; i < name.Length; i++)
        {
            if (ToUpper(name[i]) != column[i])
            {
                return false;
            }
        }

        return true;
    }

    private static byte ToUpper(byte b) => b is >= (byte)'a' and <= (byte)'z' ? (byte)(b - 32) : b;

    private static int Hash(ReadOnlySpan<byte> bytes, bool upper)
    {
        var h = unchecked((int)2166136261);
        foreach (var b in bytes)
        {
            h = unchecked((h ^ (upper ? ToUpper(b) : b)) * 16777619);
        }

        return h;
    }
}
