using Rhei.Formats.Types;
using Rhei.Sql.Functions.Runtime;

namespace Rhei.Sql.Functions.Scalar;

/// <summary>MAP functions. Results are new maps and lists.</summary>
public static class MapFunctions
{
    /// <summary>A map from parallel key and value arrays; missing values are NULL, extra values and NULL keys are ignored.</summary>
    public static Dictionary<object, object?>? AsMap(List<object?>? keys, List<object?>? values)
    {
        if (keys is null || values is null)
        {
            return null;
        }

        var map = new Dictionary<object, object?>(keys.Count);
        for (var i = 0; i < keys.Count; i++)
        {
            if (keys[i] is { } k)
            {
                map[k] = i < values.Count ? values[i] : null;
            }
        }

        return map;
    }

    public static List<object?>? MapKeys(Dictionary<object, object?>? map) => map is null ? null : [.. map.Keys];

    public static List<object?>? MapValues(Dictionary<object, object?>? map) => map is null ? null : [.. map.Values];

    /// <summary>All entries of both maps, the second winning on equal keys; NULL only when both are NULL.</summary>
    public static Dictionary<object, object?>? MapUnion(Dictionary<object, object?>? first, Dictionary<object, object?>? second)
    {
        if (first is null && second is null)
        {
            return null;
        }

        var result = first is null ? [] : new Dictionary<object, object?>(first);
        if (second is not null)
        {
            foreach (var (k, v) in second)
            {
                result[k] = v;
            }
        }

        return result;
    }

    /// <summary>
    /// ENTRIES(map, sorted): an array of STRUCT&lt;K, V&gt; per entry, sorted by key when asked.
    /// <paramref name="entryType"/> is the STRUCT type of the result's elements (a compile-time constant).
    /// </summary>
    public static List<object?>? Entries(SqlStructType entryType, Dictionary<object, object?>? map, bool? sorted)
    {
        if (map is null || sorted is not { } sort)
        {
            return null;
        }

        IEnumerable<KeyValuePair<object, object?>> entries = map;
        if (sort)
        {
            entries = entries.OrderBy(kv => kv.Key, SqlValueOrder.Instance);
        }

        return [.. entries.Select(kv => (object?)new SqlStruct(entryType, [kv.Key, kv.Value]))];
    }
}
