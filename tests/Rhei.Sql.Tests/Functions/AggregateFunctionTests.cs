using Rhei.Formats.Types;
using Rhei.Sql.Functions;
using Rhei.Sql.Functions.Aggregate;
using static Rhei.Sql.Tests.Functions.FunctionTestKit;

namespace Rhei.Sql.Tests.Functions;

/// <summary>Aggregates replayed over the row sequences of ksqlDB's query-validation cases.</summary>
public class AggregateFunctionTests
{
    private static Aggregator Create(string name, params Arg[] args) => CreateAggregator(name, args);

    private static Arg Col(SqlType type) => A(type, null);

    /// <summary>Feeds (group, value) rows and returns each row's output for its group.</summary>
    private static List<object?> Grouped(Aggregator aggregator, params (object Group, object? Value)[] rows)
    {
        var state = new Dictionary<object, object?>();
        var outputs = new List<object?>();
        foreach (var (group, value) in rows)
        {
            var acc = state.TryGetValue(group, out var a) ? a : aggregator.Initialize();
            acc = aggregator.Aggregate(value, acc);
            state[group] = acc;
            outputs.Add(aggregator.Map(acc));
        }

        return outputs;
    }

    [Fact]
    public void Count_skips_nulls_and_counts_back_down()
    {
        var count = Create("COUNT", Col(SqlTypes.String));
        Assert.Equal(SqlTypes.BigInt, count.ReturnType);
        Assert.Equal(SqlTypes.BigInt, count.AccumulatorType);
        Assert.Equal(L(1L, 2L, 2L, 3L), Aggregate(count, ["a", "b", null, "c"]));
        Assert.True(count.CanUndo);
        var acc = count.Aggregate("x", count.Aggregate("y", count.Initialize()));
        acc = count.Undo("x", acc);
        acc = count.Undo("y", acc);
        Assert.Equal(0L, count.Map(acc));
        Assert.Equal(5L, count.Merge(2L, 3L));
    }

    [Fact]
    public void Sum_of_each_type()
    {
        Assert.Equal(L(0, 100), Grouped(Create("SUM", Col(SqlTypes.Integer)), (0, 0), (0, 100)).Take(2).ToList());
        Assert.Equal(L(500, 600), Grouped(Create("SUM", Col(SqlTypes.Integer)), (100, 500), (100, 100)));
        Assert.Equal(L(10.0, 20.0, 30.0), Aggregate(Create("SUM", Col(SqlTypes.Double)), [10.0, 10.0, 10.0]));
        Assert.Equal(L(2L, 4L, 6L), Aggregate(Create("SUM", Col(SqlTypes.BigInt)), [2L, 2L, 2L]));
        Assert.Equal(L(0, 0), Aggregate(Create("SUM", Col(SqlTypes.Integer)), [null, null]));
        var decimalSum = Create("SUM", Col(SqlTypes.Decimal(4, 1)));
        Assert.Equal(SqlTypes.Decimal(4, 1), decimalSum.ReturnType);
        Assert.Equal(L(500.9m, 801.7m), Aggregate(decimalSum, [500.9m, 300.8m]));
        Assert.Equal(L(5.4m, 105.5m), Aggregate(decimalSum, [5.4m, 100.1m]));
    }

    [Fact]
    public void Sum_of_decimal_overflows_with_ksqldb_message()
    {
        var sum = Create("SUM", Col(SqlTypes.Decimal(4, 1)));
        var acc = sum.Aggregate(300.8m, sum.Aggregate(500.9m, sum.Initialize()));
        var e = Assert.Throws<SqlFunctionException>(() => sum.Aggregate(400.8m, acc));
        Assert.Equal("Numeric field overflow", e.Message);
        var narrow = Create("SUM", Col(SqlTypes.Decimal(3, 1)));
        acc = narrow.Aggregate(50.9m, narrow.Initialize());
        Assert.Throws<SqlFunctionException>(() => narrow.Aggregate(50.8m, acc));
        var wide = Create("SUM", Col(SqlTypes.Decimal(6, 2)));
        Assert.Equal(1202.50m, Aggregate(wide, [500.9m, 300.8m, 400.8m])[2]);
    }

    [Fact]
    public void Sum_int_wraps_like_java_and_undoes()
    {
        var sum = Create("SUM", Col(SqlTypes.Integer));
        Assert.Equal(int.MinValue, sum.Aggregate(1, int.MaxValue));
        Assert.Equal(5, sum.Undo(15, 20));
        Assert.Equal(7, sum.Merge(3, 4));
    }

    [Fact]
    public void Sum_list()
    {
        Assert.Equal(L(2.0, 6.0, 922337203692.0, 922337203694.0), Aggregate(Create("SUM_LIST", Col(SqlTypes.Array(SqlTypes.Double))), [L(1.0, 1.0), L(2.0, 2.0), L(922337203685.0, 1.0), L(1.0, 1.0, null)]));
        Assert.Equal(L(2, 6, 206, 406), Aggregate(Create("SUM_LIST", Col(SqlTypes.Array(SqlTypes.Integer))), [L(1, 1), L(2, 2), L(100, 100), L(100, 100, null)]));
        Assert.Equal(L(2L, 6L), Aggregate(Create("SUM_LIST", Col(SqlTypes.Array(SqlTypes.BigInt))), [L(1L, 1L), L(2L, 2L)]));
    }

    [Fact]
    public void Average_of_int_long_double()
    {
        var avg = Create("AVG", Col(SqlTypes.Integer));
        Assert.Equal(SqlTypes.Double, avg.ReturnType);
        Assert.IsType<SqlStructType>(avg.AccumulatorType);
        Assert.Equal(
            L(1.0, 2.0, 1.5, 1.6666666666666667, 2.0, 1.3333333333333333, 1.6666666666666667),
            Grouped(avg, ("alice", 1), ("bob", 2), ("alice", 2), ("alice", 2), ("bob", 2), ("bob", 0), ("alice", null)));
        Assert.Equal(
            L(-1.0, 2.0, 4.611686018427388e+18, 3.0744573456182584e+18, 0.0, 0.0, 3.0744573456182584e+18),
            Grouped(Create("AVG", Col(SqlTypes.BigInt)), ("alice", -1L), ("bob", 2L), ("alice", long.MaxValue), ("alice", 1L), ("bob", -2L), ("bob", 0L), ("alice", null)));
        Assert.Equal(
            L(-1.8, 2.3, 4611686018426.487, 3074457345651.058, -99999.15000000001, -66666.1, 3074457345651.058),
            Grouped(Create("AVG", Col(SqlTypes.Double)), ("alice", -1.8), ("bob", 2.3), ("alice", 9223372036854.775), ("alice", 100.2), ("bob", -200000.6), ("bob", 0.0), ("alice", null)));
    }

    [Fact]
    public void Average_undo_merge_and_empty()
    {
        var avg = Create("AVG", Col(SqlTypes.Decimal(4, 2)));
        Assert.Equal(0.0, avg.Map(avg.Initialize()));
        var a = avg.Aggregate(1.5m, avg.Aggregate(2.5m, avg.Initialize()));
        Assert.Equal(2.0, avg.Map(a));
        Assert.Equal(2.5, avg.Map(avg.Undo(1.5m, a)));
        var b = avg.Aggregate(6.0m, avg.Initialize());
        Assert.Equal(10.0 / 3, avg.Map(avg.Merge(a, b)));
    }

    [Fact]
    public void Min_and_max_of_each_type()
    {
        Assert.Equal(L(null, null, -2147483647, 5, 5, 100, 100, 300, 2000, 2000),
            Grouped(Create("MAX", Col(SqlTypes.Integer)), (1, null), (0, null), (0, -2147483647), (0, 5), (0, null), (100, 100), (100, 6), (100, 300), (0, 2000), (0, 100)));
        Assert.Equal(L(null, -1000000L, -1000000L, -1000000L, 100L, 6L, 6L, -9223372036854775807L, -9223372036854775807L),
            Grouped(Create("MIN", Col(SqlTypes.BigInt)), (1, null), (0, -1000000L), (0, 5L), (0, null), (100, 100L), (100, 6L), (100, 300L), (0, -9223372036854775807L), (0, 100L)));
        Assert.Equal(L(null, "B", "A", "A"), Aggregate(Create("MIN", Col(SqlTypes.String)), [null, "B", "A", "C"]));
        Assert.Equal(L("B", "B"), Aggregate(Create("MAX", Col(SqlTypes.String)), ["B", "A"]));
        Assert.Equal(L(-10.12m, 0.00m, 5.10m, 5.10m), Aggregate(Create("MAX", Col(SqlTypes.Decimal(4, 2))), [-10.12m, 0.00m, 5.10m, null]));
        Assert.Equal(L(Ts(-1), Ts(50)), Aggregate(Create("MAX", Col(SqlTypes.Timestamp)), [Ts(-1), Ts(50)]));
        Assert.Equal(L(Tm(1), Tm(5)), Aggregate(Create("MAX", Col(SqlTypes.Time)), [Tm(1), Tm(5)]));
        Assert.Equal(L(Day(-2147), Day(-2147)), Aggregate(Create("MIN", Col(SqlTypes.Date)), [Day(-2147), Day(5)]));
        var bytes = Aggregate(Create("MAX", Col(SqlTypes.Bytes)), [B64("Qg=="), B64("QQ==")]);
        Assert.Equal("Qg==", Convert.ToBase64String((byte[])bytes[1]!));
        Assert.Equal(1.7976931348623157e+308, Create("MIN", Col(SqlTypes.Double)).Aggregate(1.7976931348623157e+308, null));
        Assert.False(Create("MIN", Col(SqlTypes.Double)).CanUndo);
        Assert.Equal(3, Create("MAX", Col(SqlTypes.Integer)).Merge(3, null));
        Assert.Throws<FunctionResolutionException>(() => Resolve("MAX", Col(SqlTypes.Boolean)));
    }

    [Fact]
    public void Collect_list_keeps_nulls_and_undoes()
    {
        var list = Create("COLLECT_LIST", Col(SqlTypes.Decimal(4, 1)));
        Assert.Equal(SqlTypes.Array(SqlTypes.Decimal(4, 1)), list.ReturnType);
        Assert.Equal(
            L(L(500.9m), L(500.9m, 300.8m), L(500.9m, 300.8m, null), L(500.9m, 300.8m, null, 300.8m), L(500.9m, 300.8m, null, 300.8m, null)),
            Aggregate(list, [500.9m, 300.8m, null, 300.8m, null]));
        var acc = list.Aggregate(1m, list.Aggregate(2m, list.Aggregate(1m, list.Initialize())));
        Assert.Equal(L(1m, 2m), list.Map(list.Undo(1m, acc)));
        Assert.Equal(L(1m, 2m, 3m), list.Map(list.Merge(L(1m, 2m), L(3m))));
    }

    [Fact]
    public void Collect_list_output_does_not_alias_the_accumulator()
    {
        var list = Create("COLLECT_LIST", Col(SqlTypes.Integer));
        var acc = list.Aggregate(1, list.Initialize());
        var first = (List<object?>)list.Map(acc)!;
        list.Aggregate(2, acc);
        Assert.Equal(L(1), first);
    }

    [Fact]
    public void Collect_limits_come_from_the_configuration()
    {
        var config = new Dictionary<string, object?> { ["ksql.functions.collect_set.limit"] = 1, ["ksql.functions.collect_list.limit"] = "2" };
        var set = CreateAggregator("COLLECT_SET", [Col(SqlTypes.Integer)], config);
        Assert.Equal(L(L(0), L(0)), Aggregate(set, [0, 100]));
        var list = CreateAggregator("COLLECT_LIST", [Col(SqlTypes.Integer)], config);
        Assert.Equal(L(L(1), L(1, 2), L(1, 2)), Aggregate(list, [1, 2, 3]));
        Assert.Equal(L(1, 2), list.Map(list.Merge(L(1), L(2, 3))));
    }

    [Fact]
    public void Collect_set_is_distinct_by_value()
    {
        var set = Create("COLLECT_SET", Col(SqlTypes.String));
        Assert.Equal(L(L("baz"), L("baz"), L("baz", "foo"), L("baz", "foo", null)), Aggregate(set, ["baz", "baz", "foo", null]));
        var maps = Create("COLLECT_SET", Col(SqlTypes.Map(SqlTypes.String, SqlTypes.BigInt)));
        Assert.Equal(L(M(("Record0", 100L), ("Record2", 2L))), Aggregate(maps, [M(("Record0", 100L), ("Record2", 2L)), M(("Record2", 2L), ("Record0", 100L))])[1]);
        Assert.Equal(L(1, 2, 3), set.Map(set.Merge(L(1, 2), L(2, 3))));
    }

    [Fact]
    public void Histogram_counts_and_undoes()
    {
        var histogram = Create("HISTOGRAM", Col(SqlTypes.String));
        Assert.Equal(SqlTypes.Map(SqlTypes.String, SqlTypes.BigInt), histogram.ReturnType);
        Assert.Equal(
            L(M(("foo", 1L)), M(("baz", 1L)), M(("foo", 1L), ("bar", 1L)), M(("baz", 2L)), M(("baz", 2L), ("foo", 1L))),
            Grouped(histogram, (0, "foo"), (100, "baz"), (0, "bar"), (100, "baz"), (100, "foo")));
        var acc = histogram.Aggregate("carol", histogram.Aggregate("bob", histogram.Initialize()));
        Assert.Equal(M(("carol", 1L)), histogram.Map(histogram.Undo("bob", acc)));
        Assert.Equal(M(("a", 3L), ("b", 1L)), histogram.Map(histogram.Merge(M(("a", 1L)), M(("a", 2L), ("b", 1L)))));
        Assert.Equal(M(), histogram.Map(histogram.Aggregate(null, histogram.Initialize())));
    }

    [Fact]
    public void Histogram_stops_at_1000_distinct_values()
    {
        var histogram = Create("HISTOGRAM", Col(SqlTypes.String));
        var acc = histogram.Initialize();
        for (var i = 0; i < 1005; i++)
        {
            acc = histogram.Aggregate("v" + i, acc);
        }

        acc = histogram.Aggregate("v0", acc);
        var map = (Dictionary<object, object?>)histogram.Map(acc)!;
        Assert.Equal(1000, map.Count);
        Assert.Equal(2L, map["v0"]);
    }

    [Fact]
    public void Topk_of_values()
    {
        var topk = Create("TOPK", Col(SqlTypes.Integer), Lit(3));
        Assert.Equal(SqlTypes.Array(SqlTypes.Integer), topk.ReturnType);
        Assert.Equal(L(L(0), L(100, 0), L(100, 99, 0), L(100, 99, 7), L(100, 100, 99)), Aggregate(topk, [0, 100, 99, 7, 100]));
        Assert.Equal(L(L("a"), L("b", "a"), L("c", "b", "a"), L("c", "b", "b"), L("d", "c", "b")), Aggregate(Create("TOPK", Col(SqlTypes.String), Lit(3)), ["a", "b", "c", "b", "d"]));
        Assert.Equal(L(2147483648.9, 100.5, 100.5), Aggregate(Create("TOPK", Col(SqlTypes.Double), Lit(3)), [2147483648.9, 100.5, 99.9, 7.3, 100.5])[4]);
        Assert.Equal(L(5, 4), topk.Map(Create("TOPK", Col(SqlTypes.Integer), Lit(2)).Merge(L(5, 1), L(4, 2))));
    }

    [Fact]
    public void Topk_with_other_columns_builds_structs()
    {
        var topk = Create("TOPK", Col(SqlTypes.Integer), Col(SqlTypes.String), Lit(3));
        var type = SqlTypes.Struct(new SqlField("sort_col", SqlTypes.Integer), new SqlField("col0", SqlTypes.String));
        Assert.Equal(SqlTypes.Array(type), topk.ReturnType);
        var outputs = Aggregate(topk, [new object?[] { 0, "zero" }, new object?[] { 100, "one" }, new object?[] { 99, "two" }, new object?[] { null, "three" }, new object?[] { 100, null }]);
        SqlStruct S(int v, string? n) => new(type, [v, n]);
        Assert.Equal(L(S(0, "zero")), outputs[0]);
        Assert.Equal(L(S(100, "one"), S(99, "two"), S(0, "zero")), outputs[3]);
        Assert.Equal(L(S(100, "one"), S(100, null), S(99, "two")), outputs[4]);
    }

    [Fact]
    public void Topk_distinct()
    {
        Assert.Equal(L(L(0), L(100, 0), L(100, 99, 0), L(100, 99, 7), L(100, 99, 7)), Aggregate(Create("TOPKDISTINCT", Col(SqlTypes.Integer), Lit(3)), [0, 100, 99, 7, 100]));
        Assert.Equal(L(2147483648L, 100L, 99L), Aggregate(Create("TOPKDISTINCT", Col(SqlTypes.BigInt), Lit(3)), [2147483648L, 100L, 99L, 7L, 100L])[4]);
        Assert.Equal(L(Day(100), Day(99), Day(0)), Aggregate(Create("TOPKDISTINCT", Col(SqlTypes.Date), Lit(3)), [Day(0), Day(100), Day(99), null, Day(-7), Day(100)])[5]);
        var bytes = (List<object?>)Aggregate(Create("TOPKDISTINCT", Col(SqlTypes.Bytes), Lit(3)), [B64("Qg=="), B64("Rg=="), B64("Rw=="), null, B64("QQ=="), B64("Rg==")])[5]!;
        Assert.Equal(["Rw==", "Rg==", "Qg=="], bytes.Select(b => Convert.ToBase64String((byte[])b!)));
        Assert.Throws<FunctionResolutionException>(() => Create("TOPKDISTINCT", Col(SqlTypes.Integer), Lit(0)));
    }

    [Fact]
    public void Earliest_and_latest_by_offset()
    {
        Assert.Equal(L(12, 12), Aggregate(Create("EARLIEST_BY_OFFSET", Col(SqlTypes.Integer)), [12, 21]));
        Assert.Equal(L(12, 21), Aggregate(Create("LATEST_BY_OFFSET", Col(SqlTypes.Integer)), [12, 21]));
        Assert.Equal(L(null, 13), Aggregate(Create("EARLIEST_BY_OFFSET", Col(SqlTypes.Integer), Lit(true)), [null, 13]));
        Assert.Equal(L(L(), L(13)), Aggregate(Create("EARLIEST_BY_OFFSET", Col(SqlTypes.Integer), Lit(2)), [null, 13]));
        Assert.Equal(L(L((object?)null), L(null, 13)), Aggregate(Create("EARLIEST_BY_OFFSET", Col(SqlTypes.Integer), Lit(2), Lit(false)), [null, 13]));
        Assert.Equal(L(L(12), L(12), L(12, 13)), Aggregate(Create("EARLIEST_BY_OFFSET", Col(SqlTypes.Integer), Lit(2)), [12, null, 13]));
        Assert.Equal(L(12, 12, 12), Aggregate(Create("EARLIEST_BY_OFFSET", Col(SqlTypes.Integer), Lit(false)), [12, null, 13]));
        Assert.Equal(L(L(12), L(12, 21), L(12, 21)), Aggregate(Create("EARLIEST_BY_OFFSET", Col(SqlTypes.Integer), Lit(2)), [12, 21, 31]));
        Assert.Equal(L(L(), L()), Aggregate(Create("EARLIEST_BY_OFFSET", Col(SqlTypes.Integer), Lit(2)), [null, null]));
        Assert.Equal(L(12, 12, 13), Aggregate(Create("LATEST_BY_OFFSET", Col(SqlTypes.Integer), Lit(true)), [12, null, 13]));
        Assert.Equal(L(L(12), L(12), L(12, 13)), Aggregate(Create("LATEST_BY_OFFSET", Col(SqlTypes.Integer), Lit(2), Lit(true)), [12, null, 13]));
        Assert.Equal(L(12, null, 13), Aggregate(Create("LATEST_BY_OFFSET", Col(SqlTypes.Integer), Lit(false)), [12, null, 13]));
        Assert.Equal(L(L(12), L(12, null), L(null, 13)), Aggregate(Create("LATEST_BY_OFFSET", Col(SqlTypes.Integer), Lit(2), Lit(false)), [12, null, 13]));
        Assert.Equal(L(null, null), Aggregate(Create("LATEST_BY_OFFSET", Col(SqlTypes.Integer)), [null, null]));
        Assert.Equal(L(3.40m, 8.90m), Aggregate(Create("LATEST_BY_OFFSET", Col(SqlTypes.Decimal(3, 2)), Lit(true)), [3.40m, 8.90m]));
    }

    [Fact]
    public void Offset_accumulators_are_structs_with_a_sequence()
    {
        var earliest = Create("EARLIEST_BY_OFFSET", Col(SqlTypes.Integer));
        Assert.Equal(SqlTypes.Struct(new SqlField("SEQ", SqlTypes.BigInt), new SqlField("VAL", SqlTypes.Integer)), earliest.AccumulatorType);
        var n = Create("LATEST_BY_OFFSET", Col(SqlTypes.String), Lit(3));
        Assert.Equal(SqlTypes.Array(SqlTypes.Struct(new SqlField("SEQ", SqlTypes.BigInt), new SqlField("VAL", SqlTypes.String))), n.AccumulatorType);
        Assert.Equal(SqlTypes.Array(SqlTypes.String), n.ReturnType);
    }

    /// <summary>Three rows; the third joins the sessions of the first two, which are then merged.</summary>
    private static object? MergedSessions(Aggregator a, object? first, object? second, object? third)
    {
        var s1 = a.Aggregate(first, a.Initialize());
        var s2 = a.Aggregate(second, a.Initialize());
        var s3 = a.Aggregate(third, a.Initialize());
        return a.Map(a.Merge(a.Merge(s1, s3), s2));
    }

    [Fact]
    public void Offset_aggregates_merge_sessions_in_arrival_order()
    {
        Assert.Equal(1, MergedSessions(Create("EARLIEST_BY_OFFSET", Col(SqlTypes.Integer)), 1, 3, 2));
        Assert.Equal(2, MergedSessions(Create("LATEST_BY_OFFSET", Col(SqlTypes.Integer)), 1, 3, 2));
        Assert.Equal(1, MergedSessions(Create("EARLIEST_BY_OFFSET", Col(SqlTypes.Integer), Lit(true)), null, 1, null));
        Assert.Null(MergedSessions(Create("EARLIEST_BY_OFFSET", Col(SqlTypes.Integer), Lit(false)), null, 1, null));
        Assert.Equal(L(null, 1), MergedSessions(Create("EARLIEST_BY_OFFSET", Col(SqlTypes.Integer), Lit(2), Lit(false)), null, 1, null));
        Assert.Equal(L(null, null), MergedSessions(Create("EARLIEST_BY_OFFSET", Col(SqlTypes.Integer), Lit(2), Lit(false)), null, null, null));
        Assert.Equal(L(1, 2), MergedSessions(Create("LATEST_BY_OFFSET", Col(SqlTypes.Integer), Lit(2), Lit(true)), 1, null, 2));
        Assert.Equal(L(null, 2), MergedSessions(Create("LATEST_BY_OFFSET", Col(SqlTypes.Integer), Lit(2), Lit(false)), 1, null, 2));
    }

    [Fact]
    public void Count_distinct_is_exact_for_small_sets()
    {
        Assert.Equal(L(1L, 2L, 2L, 2L, 2L), Aggregate(Create("COUNT_DISTINCT", Col(SqlTypes.String)), ["one", "two", "one", "two", null]));
        Assert.Equal(0L, Create("COUNT_DISTINCT", Col(SqlTypes.String)).Map(Array.Empty<byte>()));
        var cd = Create("COUNT_DISTINCT", Col(SqlTypes.BigInt));
        var a = cd.Initialize();
        var b = cd.Initialize();
        for (long i = 0; i < 100; i++)
        {
            a = cd.Aggregate(i, a);
            b = cd.Aggregate(i + 50, b);
        }

        Assert.Equal(150L, cd.Map(cd.Merge(a, b)));
    }

    [Fact]
    public void Count_distinct_is_within_a_few_percent_for_large_sets()
    {
        var cd = Create("COUNT_DISTINCT", Col(SqlTypes.String));
        var acc = cd.Initialize();
        for (var i = 0; i < 100_000; i++)
        {
            acc = cd.Aggregate("value-" + i, acc);
        }

        Assert.InRange((long)cd.Map(acc)!, 95_000L, 105_000L);
        Assert.Equal(SqlTypes.Bytes, cd.AccumulatorType);
    }

    [Fact]
    public void Stddev_sample_and_samp()
    {
        Assert.Equal(
            L(0.0, 7.0710678118654755, 0.0, 28.284271247461902, 5.131601439446884, 25.357444666211933, 25.357444666211933, 4.193248541803041),
            Grouped(Create("STDDEV_SAMPLE", Col(SqlTypes.Integer)), (0, 0), (0, 10), (100, 50), (100, 10), (0, 7), (100, 3), (100, null), (0, 6)));
        Assert.Equal(
            L(0.0, 1518500179.2773468, 0.0, 282.842712474619, 1239850233.9629574, 264.5751311064591, 239.32335169528832, 1239850233.9629574),
            Grouped(Create("STDDEV_SAMPLE", Col(SqlTypes.BigInt)), (0, 2147483648L), (0, 100L), (100, 500L), (100, 100L), (0, -2L), (100, 0L), (100, -6L), (0, null)));
        Assert.Equal(
            L(0.0, 2.899137802864845, 0.0, 6521908912453.693, 57.74256084841869, 5325116385962.54, 4611686051710.689, 57.74256084841869),
            Grouped(Create("STDDEV_SAMPLE", Col(SqlTypes.Double)), (0, -1.8), (0, 2.3), (100, 9223372036854.775), (100, 300.8), (0, 100.2), (100, -200000.6), (100, 0.0), (0, null)));
        Assert.Equal(L(0.0, 1.4142135623730951, 1.5275252316519465, 1.707825127659933, 2.23606797749979), Aggregate(Create("STDDEV_SAMPLE", Col(SqlTypes.Double)), [10.0, 12.0, 13.0, 14.0, 16.0]));
        Assert.Equal(
            L(0.0, 2.3058427944653343e+18, 0.0, 80000.0, 1.5372286026580004e+18, 70000.0, 57275.666666666664, 1.5372286026580004e+18),
            Grouped(Create("STDDEV_SAMP", Col(SqlTypes.BigInt)), (0, 2147483648L), (0, 100L), (100, 500L), (100, 100L), (0, -2L), (100, 0L), (100, -6L), (0, null)));
        Assert.Equal(
            L(0.0, 8.405, 0.0, 4.253529586234292e+25, 3334.2033333333347, 2.835686452404674e+25, 2.1267648239542927e+25, 3334.2033333333347),
            Grouped(Create("STDDEV_SAMP", Col(SqlTypes.Double)), (0, -1.8), (0, 2.3), (100, 9223372036854.775), (100, 300.8), (0, 100.2), (100, -200000.6), (100, 0.0), (0, null)));
        Assert.Equal(L(0.0, 2.0, 2.333333333333333, 2.9166666666666665, 5.0), Aggregate(Create("STDDEV_SAMP", Col(SqlTypes.Double)), [10.0, 12.0, 13.0, 14.0, 16.0]));
    }

    [Fact]
    public void Stddev_undo_and_merge_agree_with_recomputation()
    {
        var sd = Create("STDDEV_SAMP", Col(SqlTypes.Double));
        var all = sd.Initialize();
        foreach (var v in new[] { 10.0, 12.0, 13.0, 14.0, 16.0 })
        {
            all = sd.Aggregate(v, all);
        }

        Assert.Equal(2.9166666666666665, (double)sd.Map(sd.Undo(16.0, all))!, 12);
        var left = sd.Aggregate(12.0, sd.Aggregate(10.0, sd.Initialize()));
        var right = sd.Aggregate(16.0, sd.Aggregate(14.0, sd.Aggregate(13.0, sd.Initialize())));
        Assert.Equal(5.0, (double)sd.Map(sd.Merge(left, right))!, 12);
        Assert.Equal(0.0, sd.Map(sd.Undo(10.0, sd.Aggregate(10.0, sd.Initialize()))));
    }

    [Fact]
    public void Correlation_of_doubles_and_ints()
    {
        var xy = (double? x, double? y) => (object?)new object?[] { x, y };
        Assert.Equal(
            L(double.NaN, double.NaN, 1.0, 0.7580764521133173, double.NaN, 1.0, 0.7580764521133173),
            Grouped(Create("CORRELATION", Col(SqlTypes.Double), Col(SqlTypes.Double)), ("alice", xy(1.5, 8.0)), ("bob", xy(-3.5, -2.0)), ("alice", xy(-1.0, -2.0)), ("alice", xy(-4.5, -1.0)), ("bob", xy(13.1, null)), ("bob", xy(3.0, 11.0)), ("alice", xy(null, -6.0))));
        var ints = Create("CORRELATION", Col(SqlTypes.Integer), Col(SqlTypes.Integer));
        Assert.Equal(0.7455284088780169, Aggregate(ints, [new object?[] { 1.0, 8.0 }, new object?[] { -1.0, -2.0 }, new object?[] { -4.0, -1.0 }])[2]);
    }

    [Fact]
    public void Correlation_of_a_table_undoes_replaced_rows()
    {
        var c = Create("CORRELATION", Col(SqlTypes.Double), Col(SqlTypes.Double));
        var acc = c.Aggregate(new object?[] { 1.5, 8.0 }, c.Initialize());
        Assert.Equal(double.NaN, c.Map(acc));
        acc = c.Aggregate(new object?[] { -3.5, -2.0 }, acc);
        Assert.Equal(1.0, c.Map(acc));
        acc = c.Aggregate(new object?[] { -1.0, -2.0 }, c.Undo(new object?[] { 1.5, 8.0 }, acc));
        Assert.Equal(double.NaN, c.Map(acc));
        acc = c.Aggregate(new object?[] { -4.5, -1.0 }, acc);
        Assert.Equal(-0.7205766921228921, c.Map(acc));
    }

    [Fact]
    public void Attr_is_the_common_value_or_null()
    {
        Assert.Equal(L("s", "s", "s"), Aggregate(Create("ATTR", Col(SqlTypes.String)), ["s", "s", "s"]));
        Assert.Equal(L("1", null, null), Aggregate(Create("ATTR", Col(SqlTypes.String)), ["1", "2", "3"]));
        Assert.Equal(L("1", null, null), Aggregate(Create("ATTR", Col(SqlTypes.String)), ["1", null, "1"]));
        Assert.Equal(L(null, null, null), Aggregate(Create("ATTR", Col(SqlTypes.String)), [null, "2", "2"]));
        Assert.Equal(L(L(1, 2, 3), L(1, 2, 3)), Aggregate(Create("ATTR", Col(SqlTypes.Array(SqlTypes.Integer))), [L(1, 2, 3), L(1, 2, 3)]));
    }

    [Fact]
    public void Attr_of_a_table_with_tombstones()
    {
        var attr = Create("ATTR", Col(SqlTypes.String));
        var acc = attr.Initialize();
        var outputs = new List<object?>();
        void Add(string v)
        {
            acc = attr.Aggregate(v, acc);
            outputs.Add(attr.Map(acc));
        }

        void Remove(string v)
        {
            acc = attr.Undo(v, acc);
            outputs.Add(attr.Map(acc));
        }

        Add("1");
        Add("1");
        Remove("1");
        Remove("1");
        Add("2");
        Add("3");
        Remove("3");
        Assert.Equal(L("1", "1", "1", null, "2", null, "2"), outputs);
    }

    [Fact]
    public void Aggregators_that_support_tables_say_so()
    {
        foreach (var name in new[] { "COUNT", "SUM", "AVG", "COLLECT_LIST", "HISTOGRAM", "STDDEV_SAMP", "STDDEV_SAMPLE", "ATTR" })
        {
            Assert.True(Create(name, Col(name == "HISTOGRAM" ? SqlTypes.String : SqlTypes.Integer)).CanUndo, name);
            Assert.True(Assert.IsType<AggregateOverload>(Resolve(name, Col(name == "HISTOGRAM" ? SqlTypes.String : SqlTypes.Integer)).Overload).SupportsTables, name);
        }

        foreach (var name in new[] { "MIN", "MAX", "COLLECT_SET", "COUNT_DISTINCT", "EARLIEST_BY_OFFSET", "LATEST_BY_OFFSET" })
        {
            Assert.False(Create(name, Col(SqlTypes.Integer)).CanUndo, name);
        }
    }

    [Fact]
    public void Intermediate_types_that_delimited_cannot_hold_are_not_primitive()
    {
        Assert.True(Create("COUNT", Col(SqlTypes.Integer)).AccumulatorType.IsPrimitive);
        Assert.True(Create("SUM", Col(SqlTypes.Integer)).AccumulatorType.IsPrimitive);
        Assert.False(Create("AVG", Col(SqlTypes.Integer)).AccumulatorType.IsPrimitive);
        Assert.False(Create("TOPK", Col(SqlTypes.Integer), Lit(3)).AccumulatorType.IsPrimitive);
        Assert.False(Create("STDDEV_SAMPLE", Col(SqlTypes.Integer)).AccumulatorType.IsPrimitive);
        Assert.False(Create("CORRELATION", Col(SqlTypes.Double), Col(SqlTypes.Double)).AccumulatorType.IsPrimitive);
    }
}
