using Rhei.Formats.Types;

namespace Rhei.Sql.Execution;

/// <summary>Helpers over SQL runtime values.</summary>
public static class SqlValues
{
    /// <summary>
    /// A copy that shares nothing mutable with <paramref name="value"/> (lists, maps, structs and byte arrays are
    /// copied; immutable scalars are shared). Aggregators may change accumulators in place, so stored aggregates are
    /// copied before each change.
    /// </summary>
    public static object? DeepCopy(object? value) => value switch
    {
        null => null,
        List<object?> list => list.ConvertAll(DeepCopy),
        Dictionary<object, object?> map => CopyMap(map),
        SqlStruct s => new SqlStruct(s.Type, [.. s.Values.Select(DeepCopy)]),
        object?[] row => CopyRow(row),
        byte[] b => (byte[])b.Clone(),
        _ => value,
    };

    public static object?[] CopyRow(object?[] row)
    {
        var copy = new object?[row.Length];
        for (var i = 0; i < row.Length; i++)
        {
            copy[i] = DeepCopy(row[i]);
        }

        return copy;
    }

    private static Dictionary<object, object?> CopyMap(Dictionary<object, object?> map)
    {
        var copy = new Dictionary<object, object?>(map.Count, map.Comparer);
        foreach (var (k, v) in map)
        {
            copy[k] = DeepCopy(v);
        }

        return copy;
    }
}
