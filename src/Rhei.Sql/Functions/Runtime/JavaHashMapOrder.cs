using Rhei.Formats.Types;

namespace Rhei.Sql.Functions.Runtime;

/// <summary>
/// The iteration order of a Java <c>HashMap</c> created with <c>new HashMap&lt;&gt;(n)</c> and filled with
/// n entries in a given order — the order ksqlDB's deserializers hand maps to functions. Rhei's maps
/// keep insertion order; results that depend on map order (REDUCE over a map, MAP_KEYS, ENTRIES
/// unsorted) match ksqlDB's when a map is built in this order.
/// </summary>
public static class JavaHashMapOrder
{
    /// <summary>A copy of the map whose insertion order is the Java HashMap's iteration order.</summary>
    public static Dictionary<object, object?> Reorder(Dictionary<object, object?> map)
    {
        var capacity = TableSizeFor(map.Count);
        while (map.Count > capacity * 3 / 4)
        {
            capacity *= 2;
        }

        var ordered = map
            .Select((kv, i) => (kv, i, bucket: Spread(JavaHashCode(kv.Key)) & (capacity - 1)))
            .OrderBy(x => x.bucket)
            .ThenBy(x => x.i);
        var result = new Dictionary<object, object?>(map.Count);
        foreach (var (kv, _, _) in ordered)
        {
            result[kv.Key] = kv.Value;
        }

        return result;
    }

    private static int TableSizeFor(int n)
    {
        var c = 1;
        while (c < n)
        {
            c <<= 1;
        }

        return c;
    }

    private static int Spread(int h) => h ^ (int)((uint)h >> 16);

    /// <summary>Java's <c>hashCode</c> of a key (strings as <c>String.hashCode</c>; other primitives as their boxed types hash).</summary>
    public static int JavaHashCode(object? key) => key switch
    {
        null => 0,
        string s => StringHash(s),
        int i => i,
        long l => (int)(l ^ (long)((ulong)l >> 32)),
        bool b => b ? 1231 : 1237,
        double d => JavaHashCode(BitConverter.DoubleToInt64Bits(d == 0 ? 0.0 : d)),
        _ => StringHash(SqlValueComparer.Format(key)),
    };

    private static int StringHash(string s)
    {
        var h = 0;
        foreach (var c in s)
        {
            h = unchecked((31 * h) + c);
        }

        return h;
    }
}
