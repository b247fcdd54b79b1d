using Rhei.Formats.Types;

namespace Rhei.Sql.Functions.Aggregate;

/// <summary>
/// EARLIEST_BY_OFFSET and LATEST_BY_OFFSET, for one value or the N earliest/latest. Each kept value
/// is stored with a sequence number (STRUCT&lt;SEQ BIGINT, VAL T&gt;) so that merging session windows keeps
/// arrival order. NULL values are skipped unless <c>ignoreNulls</c> is false.
/// </summary>
public sealed class OffsetAggregator : Aggregator
{
    private readonly SqlStructType _entry;
    private readonly bool _earliest;
    private readonly bool _ignoreNulls;
    private readonly int? _n;

    public OffsetAggregator(SqlType type, bool earliest, bool ignoreNulls, int? n)
        : base(n is null ? type : SqlTypes.Array(type), n is null ? Entry(type) : SqlTypes.Array(Entry(type)))
    {
        if (n is < 1)
        {
            throw new FunctionResolutionException($"{(earliest ? "EARLIEST" : "LATEST")}_BY_OFFSET needs a positive number of values, got {n}.");
        }

        _entry = Entry(type);
        _earliest = earliest;
        _ignoreNulls = ignoreNulls;
        _n = n;
    }

    private static SqlStructType Entry(SqlType type) =>
        SqlTypes.Struct(new SqlField("SEQ", SqlTypes.BigInt), new SqlField("VAL", type));

    public override object? Initialize() => _n is null ? null : new List<object?>();

    public override object? Aggregate(object? value, object? accumulator)
    {
        if (value is null && _ignoreNulls)
        {
            return accumulator;
        }

        if (_n is not { } n)
        {
            return _earliest && accumulator is not null ? accumulator : new SqlStruct(_entry, [OffsetSequence.Next(), value]);
        }

        var list = (List<object?>)accumulator!;
        if (_earliest)
        {
            if (list.Count < n)
            {
                list.Add(new SqlStruct(_entry, [OffsetSequence.Next(), value]));
            }
        }
        else
        {
            list.Add(new SqlStruct(_entry, [OffsetSequence.Next(), value]));
            if (list.Count > n)
            {
                list.RemoveAt(0);
            }
        }

        return list;
    }

    public override object? Merge(object? left, object? right)
    {
        if (_n is not { } n)
        {
            if (left is not SqlStruct a)
            {
                return right;
            }

            if (right is not SqlStruct b)
            {
                return left;
            }

            var aFirst = (long)a[0]! <= (long)b[0]!;
            return _earliest == aFirst ? a : b;
        }

        var all = ((List<object?>)left!).Concat((List<object?>)right!).OrderBy(e => (long)((SqlStruct)e!)[0]!).ToList();
        return _earliest ? all.Take(n).ToList() : all.Skip(Math.Max(0, all.Count - n)).ToList();
    }

    public override object? Map(object? accumulator) => _n is null
        ? (accumulator as SqlStruct)?[1]
        : ((List<object?>)accumulator!).Select(e => ((SqlStruct)e!)[1]).ToList();
}

/// <summary>
/// The arrival sequence the offset aggregates stamp values with: increasing within a process, and
/// seeded from the clock at startup so that values stored before a restart sort before later ones.
/// </summary>
public static class OffsetSequence
{
    private static long _last = DateTime.UtcNow.Ticks;

    public static long Next() => Interlocked.Increment(ref _last);
}
