using Rhei.Formats.Types;
using Rhei.Sql.Functions.Runtime;

namespace Rhei.Sql.Functions.Aggregate;

/// <summary>
/// COLLECT_LIST: every value (NULLs included) in arrival order, up to a limit
/// (<c>ksql.functions.collect_list.limit</c>); later values beyond it are dropped.
/// </summary>
public sealed class CollectListAggregator(SqlType type, int limit) : Aggregator(SqlTypes.Array(type), SqlTypes.Array(type))
{
    public const string LimitConfig = "ksql.functions.collect_list.limit";

    public override bool CanUndo => true;

    public override object? Initialize() => new List<object?>();

    public override object? Aggregate(object? value, object? accumulator)
    {
        var list = (List<object?>)accumulator!;
        if (list.Count < limit)
        {
            list.Add(value);
        }

        return list;
    }

    /// <summary>Removes the last occurrence of the value.</summary>
    public override object? Undo(object? value, object? accumulator)
    {
        var list = (List<object?>)accumulator!;
        for (var i = list.Count - 1; i >= 0; i--)
        {
            if (SqlValueComparer.Instance.Equals(list[i], value))
            {
                list.RemoveAt(i);
                break;
            }
        }

        return list;
    }

    public override object? Merge(object? left, object? right)
    {
        var list = (List<object?>)left!;
        foreach (var v in (List<object?>)right!)
        {
            if (list.Count >= limit)
            {
                break;
            }

            list.Add(v);
        }

        return list;
    }

    public override object? Map(object? accumulator) => new List<object?>((List<object?>)accumulator!);
}

/// <summary>COLLECT_SET: the distinct values (NULL included once) in order of first arrival, up to <c>ksql.functions.collect_set.limit</c>.</summary>
public sealed class CollectSetAggregator(SqlType type, int limit) : Aggregator(SqlTypes.Array(type), SqlTypes.Array(type))
{
    public const string LimitConfig = "ksql.functions.collect_set.limit";

    public override object? Initialize() => new List<object?>();

    public override object? Aggregate(object? value, object? accumulator)
    {
        var list = (List<object?>)accumulator!;
        if (list.Count < limit && !list.Contains(value, SqlValueComparer.Instance))
        {
            list.Add(value);
        }

        return list;
    }

    public override object? Merge(object? left, object? right)
    {
        var list = left;
        foreach (var v in (List<object?>)right!)
        {
            list = Aggregate(v, list);
        }

        return list;
    }

    public override object? Map(object? accumulator) => new List<object?>((List<object?>)accumulator!);
}

/// <summary>HISTOGRAM: how many times each distinct (non-NULL) string occurs, for at most 1000 distinct values.</summary>
public sealed class HistogramAggregator() : Aggregator(MapType, MapType)
{
    public const int Limit = 1000;

    private static readonly SqlMapType MapType = SqlTypes.Map(SqlTypes.String, SqlTypes.BigInt);

    public override bool CanUndo => true;

    public override object? Initialize() => new Dictionary<object, object?>();

    public override object? Aggregate(object? value, object? accumulator) => Add((Dictionary<object, object?>)accumulator!, value, 1);

    public override object? Undo(object? value, object? accumulator) => Add((Dictionary<object, object?>)accumulator!, value, -1);

    private static Dictionary<object, object?> Add(Dictionary<object, object?> map, object? value, long delta)
    {
        if (value is null)
        {
            return map;
        }

        if (map.TryGetValue(value, out var count))
        {
            var n = (long)count! + delta;
            if (n <= 0)
            {
                map.Remove(value);
            }
            else
            {
                map[value] = n;
            }
        }
        else if (delta > 0 && map.Count < Limit)
        {
            map[value] = delta;
        }

        return map;
    }

    public override object? Merge(object? left, object? right)
    {
        var map = (Dictionary<object, object?>)left!;
        foreach (var (k, v) in (Dictionary<object, object?>)right!)
        {
            Add(map, k, (long)v!);
        }

        return map;
    }

    public override object? Map(object? accumulator) => new Dictionary<object, object?>((Dictionary<object, object?>)accumulator!);
}

/// <summary>
/// TOPK(col, k) and TOPK(col, other..., k): the k largest non-NULL values of col, largest first (ties in
/// arrival order). With other columns, each element is a STRUCT&lt;sort_col, col0, col1, ...&gt; of the row.
/// </summary>
public sealed class TopKAggregator : Aggregator
{
    private readonly int _k;
    private readonly SqlStructType? _row;

    public TopKAggregator(SqlType sortType, IReadOnlyList<SqlType> otherTypes, int k)
        : base(ResultType(sortType, otherTypes), ResultType(sortType, otherTypes))
    {
        if (k < 1)
        {
            throw new FunctionResolutionException($"TOPK needs a positive k, got {k}.");
        }

        _k = k;
        _row = otherTypes.Count > 0 ? (SqlStructType)((SqlArrayType)ReturnType).ElementType : null;
    }

    /// <summary>ARRAY&lt;T&gt;, or ARRAY&lt;STRUCT&lt;sort_col T, col0 ..., ...&gt;&gt; with other columns.</summary>
    public static SqlType ResultType(SqlType sortType, IReadOnlyList<SqlType> otherTypes)
    {
        if (otherTypes.Count == 0)
        {
            return SqlTypes.Array(sortType);
        }

        var fields = new List<SqlField> { new("sort_col", sortType) };
        for (var i = 0; i < otherTypes.Count; i++)
        {
            fields.Add(new SqlField("col" + i, otherTypes[i]));
        }

        return SqlTypes.Array(SqlTypes.Struct([.. fields]));
    }

    public override object? Initialize() => new List<object?>();

    public override object? Aggregate(object? value, object? accumulator)
    {
        var list = (List<object?>)accumulator!;
        object? element;
        object? sortValue;
        if (_row is null)
        {
            element = sortValue = value;
        }
        else
        {
            var values = (object?[])value!;
            sortValue = values[0];
            element = sortValue is null ? null : new SqlStruct(_row, (object?[])values.Clone());
        }

        if (sortValue is null)
        {
            return list;
        }

        Insert(list, element, sortValue);
        return list;
    }

    private void Insert(List<object?> list, object? element, object sortValue)
    {
        var at = list.Count;
        while (at > 0 && SqlValueOrder.Instance.Compare(SortValue(list[at - 1]), sortValue) < 0)
        {
            at--;
        }

        if (at < _k)
        {
            list.Insert(at, element);
            if (list.Count > _k)
            {
                list.RemoveAt(list.Count - 1);
            }
        }
    }

    private object? SortValue(object? element) => _row is null ? element : ((SqlStruct)element!)[0];

    public override object? Merge(object? left, object? right)
    {
        var list = (List<object?>)left!;
        foreach (var e in (List<object?>)right!)
        {
            Insert(list, e, SortValue(e)!);
        }

        return list;
    }

    public override object? Map(object? accumulator) => new List<object?>((List<object?>)accumulator!);
}

/// <summary>TOPKDISTINCT(col, k): the k largest distinct non-NULL values, largest first.</summary>
public sealed class TopKDistinctAggregator : Aggregator
{
    private readonly int _k;

    public TopKDistinctAggregator(SqlType type, int k)
        : base(SqlTypes.Array(type), SqlTypes.Array(type))
    {
        if (k < 1)
        {
            throw new FunctionResolutionException($"TOPKDISTINCT needs a positive k, got {k}.");
        }

        _k = k;
    }

    public override object? Initialize() => new List<object?>();

    public override object? Aggregate(object? value, object? accumulator)
    {
        var list = (List<object?>)accumulator!;
        if (value is null || list.Contains(value, SqlValueComparer.Instance))
        {
            return list;
        }

        var at = list.Count;
        while (at > 0 && SqlValueOrder.Instance.Compare(list[at - 1], value) < 0)
        {
            at--;
        }

        if (at < _k)
        {
            list.Insert(at, value);
            if (list.Count > _k)
            {
                list.RemoveAt(list.Count - 1);
            }
        }

        return list;
    }

    public override object? Merge(object? left, object? right)
    {
        var list = left;
        foreach (var v in (List<object?>)right!)
        {
            list = Aggregate(v, list);
        }

        return list;
    }

    public override object? Map(object? accumulator) => new List<object?>((List<object?>)accumulator!);
}
