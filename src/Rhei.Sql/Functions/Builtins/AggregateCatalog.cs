using Rhei.Formats.Types;
using Rhei.Sql.Functions.Aggregate;
using static Rhei.Sql.Functions.Builtins.FunctionBuilder;

namespace Rhei.Sql.Functions.Builtins;

/// <summary>The aggregate built-ins.</summary>
internal static class AggregateCatalog
{
    private static readonly ParamType T = ParamType.T;

    /// <summary>The types MIN, MAX, TOPK and TOPKDISTINCT order.</summary>
    private static readonly ParamType[] Ordered =
    [
        ParamType.Integer, ParamType.BigInt, ParamType.Double, ParamType.Decimal, ParamType.String,
        ParamType.Bytes, ParamType.Date, ParamType.Time, ParamType.Timestamp,
    ];

    private static readonly ParamType[] Numbers = [ParamType.Integer, ParamType.BigInt, ParamType.Double];

    public static void Register(FunctionRegistry r)
    {
        Agg("COUNT", "Counts the rows whose argument is not NULL (COUNT(*) counts every row).")
            .Aggregate(ReturnTypeRule.Fixed(SqlTypes.BigInt), _ => new CountAggregator(), true, "", P("col1", T))
            .Register(r);

        var sum = Agg("SUM", "Sums the non-NULL values of a column.");
        foreach (var t in new[] { ParamType.Integer, ParamType.BigInt, ParamType.Double, ParamType.Decimal })
        {
            sum.Aggregate(SameAsColumn(t), b => new SumAggregator(b.ColumnType(0)), true, "", P("col1", t));
        }

        sum.Register(r);

        var sumList = Agg("SUM_LIST", "Sums all elements of the arrays of a column.");
        foreach (var t in Numbers)
        {
            sumList.Aggregate(
                ReturnTypeRule.Computed(t.ToString(), b => ((SqlArrayType)b.TypeOf(0)).ElementType),
                b => new SumListAggregator(((SqlArrayType)b.ColumnType(0)).ElementType),
                true,
                "",
                P("col1", ParamType.Array(t)));
        }

        sumList.Register(r);

        var avg = Agg("AVG", "Returns the average of the non-NULL values of a column.");
        foreach (var t in new[] { ParamType.Integer, ParamType.BigInt, ParamType.Double, ParamType.Decimal })
        {
            avg.Aggregate(ReturnTypeRule.Fixed(SqlTypes.Double), b => new AverageAggregator(b.ColumnType(0)), true, "", P("col1", t));
        }

        avg.Register(r);

        foreach (var (name, max) in new[] { ("MIN", false), ("MAX", true) })
        {
            var b = Agg(name, $"Returns the {(max ? "largest" : "smallest")} non-NULL value of a column.");
            foreach (var t in Ordered)
            {
                b.Aggregate(SameAsColumn(t), x => new ExtremeAggregator(x.ColumnType(0), max), false, "", P("col1", t));
            }

            b.Register(r);
        }

        Agg("COLLECT_LIST", "Returns an array of all the values of a column (up to ksql.functions.collect_list.limit).")
            .Aggregate(
                ReturnTypeRule.Pattern(ParamType.Array(T)),
                b => new CollectListAggregator(b.ColumnType(0), b.ConfigInt(CollectListAggregator.LimitConfig, int.MaxValue)),
                true,
                "",
                P("col1", T))
            .Register(r);
        Agg("COLLECT_SET", "Returns an array of the distinct values of a column (up to ksql.functions.collect_set.limit).")
            .Aggregate(
                ReturnTypeRule.Pattern(ParamType.Array(T)),
                b => new CollectSetAggregator(b.ColumnType(0), b.ConfigInt(CollectSetAggregator.LimitConfig, int.MaxValue)),
                false,
                "",
                P("col1", T))
            .Register(r);
        Agg("HISTOGRAM", "Returns a map of each distinct string value of a column to how many times it occurs.")
            .Aggregate(ReturnTypeRule.Fixed(SqlTypes.Map(SqlTypes.String, SqlTypes.BigInt)), _ => new HistogramAggregator(), true, "", P("col1", ParamType.String))
            .Register(r);

        var topk = Agg("TOPK", "Returns the K largest values of a column, optionally with other columns of the same rows as structs.");
        var topkDistinct = Agg("TOPKDISTINCT", "Returns the K largest distinct values of a column.");
        foreach (var t in Ordered)
        {
            topk.Aggregate(
                ReturnTypeRule.Computed($"ARRAY<{t}>", b => SqlTypes.Array(b.TypeOf(0))),
                b => new TopKAggregator(b.ColumnType(0), [], b.IntArgument(0)),
                false,
                "",
                P("col1", t),
                Init("k", ParamType.Integer));
            topk.Aggregate(
                ReturnTypeRule.Computed($"ARRAY<STRUCT<sort_col {t}, col0 ANY, ...>>", b => TopKAggregator.ResultType(b.TypeOf(0), OtherTypes(b))),
                b => new TopKAggregator(b.ColumnType(0), [.. Enumerable.Range(1, b.ColumnCount - 1).Select(b.ColumnType)], b.IntArgument(0)),
                false,
                "",
                P("col1", t),
                Variadic("otherCols", ParamType.Any),
                Init("k", ParamType.Integer));
            topkDistinct.Aggregate(
                ReturnTypeRule.Computed($"ARRAY<{t}>", b => SqlTypes.Array(b.TypeOf(0))),
                b => new TopKDistinctAggregator(b.ColumnType(0), b.IntArgument(0)),
                false,
                "",
                P("col1", t),
                Init("k", ParamType.Integer));
        }

        topk.Register(r);
        topkDistinct.Register(r);

        foreach (var (name, earliest) in new[] { ("EARLIEST_BY_OFFSET", true), ("LATEST_BY_OFFSET", false) })
        {
            var which = earliest ? "earliest" : "latest";
            Agg(name, $"Returns the {which} value of a column by offset, or an array of the {which} N values; NULLs are ignored unless ignoreNulls is false.")
                .Aggregate(ReturnTypeRule.Pattern(T), b => new OffsetAggregator(b.ColumnType(0), earliest, true, null), false, "", P("col1", T))
                .Aggregate(ReturnTypeRule.Pattern(T), b => new OffsetAggregator(b.ColumnType(0), earliest, b.BoolArgument(0), null), false, "", P("col1", T), Init("ignoreNulls", ParamType.Boolean))
                .Aggregate(ReturnTypeRule.Pattern(ParamType.Array(T)), b => new OffsetAggregator(b.ColumnType(0), earliest, true, b.IntArgument(0)), false, "", P("col1", T), Init(earliest ? "earliestN" : "latestN", ParamType.Integer))
                .Aggregate(
                    ReturnTypeRule.Pattern(ParamType.Array(T)),
                    b => new OffsetAggregator(b.ColumnType(0), earliest, b.BoolArgument(1), b.IntArgument(0)),
                    false,
                    "",
                    P("col1", T),
                    Init(earliest ? "earliestN" : "latestN", ParamType.Integer),
                    Init("ignoreNulls", ParamType.Boolean))
                .Register(r);
        }

        Agg("COUNT_DISTINCT", "Returns the approximate number of distinct non-NULL values of a column (HyperLogLog).")
            .Aggregate(ReturnTypeRule.Fixed(SqlTypes.BigInt), _ => new CountDistinctAggregator(), false, "", P("col1", T))
            .Register(r);

        foreach (var (name, root) in new[] { ("STDDEV_SAMP", false), ("STDDEV_SAMPLE", true) })
        {
            var b = Agg(name, root
                ? "Returns the sample standard deviation of a column."
                : "Returns the sample variance of a column (the square of the standard deviation; use STDDEV_SAMPLE for the standard deviation).");
            foreach (var t in Numbers)
            {
                b.Aggregate(ReturnTypeRule.Fixed(SqlTypes.Double), x => new StandardDeviationAggregator(x.ColumnType(0), root), true, "", P("col1", t));
            }

            b.Register(r);
        }

        Agg("CORRELATION", "Returns the Pearson correlation coefficient of two columns, ignoring rows where either is NULL.")
            .Aggregate(ReturnTypeRule.Fixed(SqlTypes.Double), _ => new CorrelationAggregator(), true, "", P("x", ParamType.Double), P("y", ParamType.Double))
            .Register(r);
        Agg("ATTR", "Returns the value of a column when it is the same in every row of the group, else NULL.")
            .Aggregate(ReturnTypeRule.Pattern(T), b => new AttrAggregator(b.ColumnType(0)), true, "", P("col1", T))
            .Register(r);
    }

    private static FunctionBuilder Agg(string name, string description) =>
        new(typeof(AggregateCatalog), name, FunctionKind.Aggregate, FunctionCategory.Aggregate, description);

    private static ReturnTypeRule SameAsColumn(ParamType t) => ReturnTypeRule.ArgumentType(0, t.ToString());

    private static List<SqlType> OtherTypes(BoundSignature b)
    {
        var result = new List<SqlType>();
        for (var i = 1; i < b.Arguments.Count - 1; i++)
        {
            result.Add(b.TargetTypes[i] ?? SqlTypes.String);
        }

        return result;
    }
}
