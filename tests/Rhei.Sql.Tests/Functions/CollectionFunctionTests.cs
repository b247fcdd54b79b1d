using Rhei.Formats.Types;
using Rhei.Sql.Functions;
using static Rhei.Sql.Tests.Functions.FunctionTestKit;

namespace Rhei.Sql.Tests.Functions;

/// <summary>ARRAY and MAP functions, NULL handling functions.</summary>
public class CollectionFunctionTests
{
    private static readonly SqlType IntArray = SqlTypes.Array(SqlTypes.Integer);

    [Fact]
    public void Array_max_and_min_of_primitives()
    {
        Assert.Equal(true, Call("ARRAY_MAX", L(false, true, false)));
        Assert.Equal(1, Call("ARRAY_MAX", L(0, 0, 1, 0, -1)));
        Assert.Equal(345L, Call("ARRAY_MAX", L(null, -123L, 345L)));
        Assert.Equal(0.3, Call("ARRAY_MAX", L(0.0, 0.1, -12345.678, null, 0.3)));
        Assert.Equal("food", Call("ARRAY_MAX", L("foo", "fo", "Food", null, "F", "food")));
        Assert.Equal(9.0m, Call("ARRAY_MAX", L(1.0m, 1.1m, 1.2m, -0.2m, null, 9.0m)));
        Assert.Equal(-1, Call("ARRAY_MIN", L(-1, 2, null, 0)));
        Assert.Equal(false, Call("ARRAY_MIN", L(false, null, true)));
        Assert.Equal("Bar", Call("ARRAY_MIN", L("Foo", "Bar", null, "baz")));
        Assert.Null(Call("ARRAY_MAX", A(IntArray, L())));
        Assert.Null(Call("ARRAY_MIN", A(IntArray, L(null, null))));
        Assert.Null(Call("ARRAY_MAX", Null(IntArray)));
        Assert.Throws<SqlFunctionException>(() => Call("ARRAY_MAX", A(SqlTypes.Array(IntArray), L(L(1), L(2)))));
    }

    [Fact]
    public void Array_sort_puts_nulls_last_in_both_directions()
    {
        Assert.Equal(L(-1, 0, 2, null), Call("ARRAY_SORT", L(-1, 2, null, 0)));
        Assert.Equal(L(false, true, null), Call("ARRAY_SORT", L(false, null, true)));
        Assert.Equal(L("Bar", "Foo", "baz", null), Call("ARRAY_SORT", L("Foo", "Bar", null, "baz")));
        Assert.Equal(L(true, false, false), Call("ARRAY_SORT", L(false, true, false), "desc"));
        Assert.Equal(L(1, 0, 0, -1, null), Call("ARRAY_SORT", L(0, null, 1, 0, -1), "DESC"));
        Assert.Equal(L("food", "foo", "fo", "Food", "F", null), Call("ARRAY_SORT", L("foo", "fo", "Food", null, "F", "food"), "desc"));
        Assert.Equal(L(9.0m, 1.9m, 1.1m, 1.0m, -0.2m, -9.9m), Call("ARRAY_SORT", L(1.0m, 1.1m, -0.2m, 1.9m, 9.0m, -9.9m), "desc"));
        Assert.Equal(L(), Call("ARRAY_SORT", A(IntArray, L()), "desc"));
        Assert.Null(Call("ARRAY_SORT", Null(IntArray), "desc"));
        Assert.Null(Call("ARRAY_SORT", L(1, 2), "sideways"));
    }

    [Fact]
    public void Array_distinct_keeps_first_occurrences()
    {
        Assert.Equal(L("foo", "bar"), Call("ARRAY_DISTINCT", L("foo", "bar", "foo")));
        Assert.Equal(L(0, null, 1, -1), Call("ARRAY_DISTINCT", L(0, null, 1, 0, -1)));
        Assert.Equal(L(1.0m, 1.1m, -0.2m, null), Call("ARRAY_DISTINCT", L(1.0m, 1.1m, 1.1m, -0.2m, null, 1.0m)));
        Assert.Equal(L(L("foo", "bar", "foo"), L("foo")), Call("ARRAY_DISTINCT", L(L("foo", "bar", "foo"), L("foo", "bar", "foo"), L("foo"))));
        Assert.Equal(L(M(("apple", 1), ("banana", 2)), M(("apple", 3), ("banana", 4))), Call("ARRAY_DISTINCT", L(M(("apple", 1), ("banana", 2)), M(("apple", 3), ("banana", 4)), M(("apple", 1), ("banana", 2)))));
        Assert.Equal(L(null, L("foo")), Call("ARRAY_DISTINCT", A(SqlTypes.Array(SqlTypes.Array(SqlTypes.String)), L(null, L("foo")))));
        Assert.Null(Call("ARRAY_DISTINCT", Null(IntArray)));
    }

    [Fact]
    public void Array_set_operations()
    {
        Assert.Equal(L("foo"), Call("ARRAY_EXCEPT", L("foo", "bar", "foo"), L("bar", "baz")));
        Assert.Equal(L(1), Call("ARRAY_EXCEPT", L(1, 2, 3, 1, 2), L(2, 3)));
        Assert.Equal(L("apple", null), Call("ARRAY_EXCEPT", L("apple", "apple", null, "cherry"), L("cherry")));
        Assert.Equal(L("foo"), Call("ARRAY_INTERSECT", L("foo", "bar", "foo"), L("foo", "baz")));
        Assert.Equal(L(0, 1), Call("ARRAY_INTERSECT", L(0, 0, 1, 0, -1), L(1, -2, 0)));
        Assert.Equal(L(), Call("ARRAY_INTERSECT", L(0, 0, 1, 0, -1), L(3, 4)));
        Assert.Equal(L(), Call("ARRAY_INTERSECT", A(IntArray, L()), L(1, -2)));
        Assert.Null(Call("ARRAY_INTERSECT", Null(IntArray), L(1, -2)));
        Assert.Equal(L("foo", "bar", "baz"), Call("ARRAY_UNION", L("foo", "bar", "foo"), L("foo", "baz")));
        Assert.Equal(L(0, 1, -1, -2), Call("ARRAY_UNION", L(0, 0, 1, 0, -1), L(1, -2, 0)));
        Assert.Equal(L(0, 1, -1), Call("ARRAY_UNION", L(0, 0, 1, 0, -1), A(IntArray, L())));
        Assert.Null(Call("ARRAY_UNION", L(0), Null(IntArray)));
        Assert.Null(Call("ARRAY_EXCEPT", L(0), Null(IntArray)));
    }

    [Fact]
    public void Array_concat_treats_one_null_as_empty()
    {
        Assert.Equal(L("foo", "bar", "foo", "foo", "baz"), Call("ARRAY_CONCAT", L("foo", "bar", "foo"), L("foo", "baz")));
        Assert.Equal(L(1, -2), Call("ARRAY_CONCAT", Null(IntArray), L(1, -2)));
        Assert.Equal(L(0, 3, 2), Call("ARRAY_CONCAT", L(0, 3, 2), Null(IntArray)));
        Assert.Null(Call("ARRAY_CONCAT", Null(IntArray), Null(IntArray)));
    }

    [Fact]
    public void Array_contains_remove_length()
    {
        Assert.Equal(true, Call("ARRAY_CONTAINS", L("Pink", null), "Pink"));
        Assert.Equal(false, Call("ARRAY_CONTAINS", L("Red", "Green"), "Pink"));
        Assert.Equal(false, Call("ARRAY_CONTAINS", Null(SqlTypes.Array(SqlTypes.String)), "Pink"));
        Assert.Equal(true, Call("ARRAY_CONTAINS", L(1, null), Nul));
        Assert.Equal(true, Call("ARRAY_CONTAINS", L(1L, 3L), 3));
        Assert.Equal(L("bar"), Call("ARRAY_REMOVE", L("foo", "bar", "foo"), "foo"));
        Assert.Equal(L(1, 3, 1), Call("ARRAY_REMOVE", L(1, 2, 3, 2, 1), 2));
        Assert.Equal(L(null, true, true), Call("ARRAY_REMOVE", L(false, null, true, true), false));
        Assert.Equal(L("Foo", "Bar", "baz"), Call("ARRAY_REMOVE", L("Foo", "Bar", null, "baz"), Nul));
        Assert.Equal(L(L("foo")), Call("ARRAY_REMOVE", L(L("foo", "bar", "foo"), L("foo", "bar", "foo"), L("foo")), L("foo", "bar", "foo")));
        Assert.Null(Call("ARRAY_REMOVE", Null(IntArray), 1));
        Assert.Equal(3, Call("ARRAY_LENGTH", L(-1L, 0L, 1L)));
        Assert.Equal(1, Call("ARRAY_LENGTH", L(L())));
        Assert.Null(Call("ARRAY_LENGTH", Null(IntArray)));
    }

    [Fact]
    public void Array_join()
    {
        Assert.Equal("true,null,false", Call("ARRAY_JOIN", L(true, null, false)));
        Assert.Equal("1,23,-42,0", Call("ARRAY_JOIN", L(1, 23, -42, 0)));
        Assert.Equal("-4294967297,8589934592", Call("ARRAY_JOIN", L(-4294967297L, 8589934592L)));
        Assert.Equal("1.23,-23.42,0.0", Call("ARRAY_JOIN", L(1.23, -23.42, 0.0)));
        Assert.Equal("123.45,987.65", Call("ARRAY_JOIN", L(123.45m, 987.65m)));
        Assert.Equal("Hello,From,,Ksqldb,Udf", Call("ARRAY_JOIN", L("Hello", "From", "", "Ksqldb", "Udf")));
        Assert.Equal("true|null|false", Call("ARRAY_JOIN", L(true, null, false), "|"));
        Assert.Equal("1.23 -23.42 0.0", Call("ARRAY_JOIN", L(1.23, -23.42, 0.0), " "));
        Assert.Equal("123-420", Call("ARRAY_JOIN", L(1, 23, -42, 0), Null(SqlTypes.String)));
        Assert.Equal("HelloFromKsqldbUdf", Call("ARRAY_JOIN", L("Hello", "From", "", "Ksqldb", "Udf"), ""));
        Assert.Throws<SqlFunctionException>(() => Call("ARRAY_JOIN", L(L(1))));
        Assert.Null(Call("ARRAY_JOIN", Null(IntArray)));
    }

    [Theory]
    [InlineData(2, 3, new[] { "b", "c" })]
    [InlineData(1, 4, new[] { "a", "b", "c", "d" })]
    [InlineData(3, 3, new[] { "c" })]
    [InlineData(3, 2, new string[0])]
    public void Slice_is_one_based_and_inclusive(int from, int to, string[] expected) =>
        Assert.Equal(expected.Cast<object?>(), (List<object?>)Call("SLICE", L("a", "b", "c", "d"), from, to)!);

    [Fact]
    public void Slice_bounds()
    {
        Assert.Null(Call("SLICE", L("a", "b"), 0, 1));
        Assert.Null(Call("SLICE", L("a", "b"), 1, 3));
        Assert.Null(Call("SLICE", L("a", "b"), 3, 1));
        Assert.Equal(L("b"), Call("SLICE", L("a", "b"), 2, Null(SqlTypes.Integer)));
        Assert.Equal(L("a"), Call("SLICE", L("a", "b"), Null(SqlTypes.Integer), 1));
        Assert.Equal(L(L("b"), L("c")), Call("SLICE", L(L("a"), L("b"), L("c"), L("d")), 2, 3));
    }

    [Fact]
    public void Elt_and_field()
    {
        Assert.Equal("something", Call("ELT", 2, "ignored", "something"));
        Assert.Null(Call("ELT", 2, "ignored", Null(SqlTypes.String)));
        Assert.Null(Call("ELT", 0, "a"));
        Assert.Null(Call("ELT", 3, "a", "b"));
        Assert.Equal(1, Call("FIELD", "hello", "hello", "world"));
        Assert.Equal(2, Call("FIELD", "hello", "world", "hello"));
        Assert.Equal(0, Call("FIELD", "hello", Null(SqlTypes.String), "world"));
        Assert.Equal(0, Call("FIELD", Null(SqlTypes.String), "a", Null(SqlTypes.String)));
        Assert.Equal("hello", Call("ELT", A(Call("FIELD", "hello", "world", "hello")), "world", "hello"));
        Assert.Null(Call("ELT", A(Call("FIELD", "hello", Null(SqlTypes.String), Null(SqlTypes.String))), Null(SqlTypes.String), Null(SqlTypes.String)));
    }

    [Theory]
    [InlineData(0, 3, new[] { 0, 1, 2, 3 })]
    [InlineData(-2, 1, new[] { -2, -1, 0, 1 })]
    [InlineData(4, 3, new[] { 4, 3 })]
    [InlineData(4, 0, new[] { 4, 3, 2, 1, 0 })]
    [InlineData(5, 5, new[] { 5 })]
    public void Generate_series(int start, int end, int[] expected)
    {
        Assert.Equal(expected.Cast<object?>(), (List<object?>)Call("GENERATE_SERIES", start, end)!);
        Assert.Equal(expected.Select(x => (object?)(long)x), (List<object?>)Call("GENERATE_SERIES", (long)start, (long)end)!);
    }

    [Theory]
    [InlineData(0, 3, 1, new[] { 0, 1, 2, 3 })]
    [InlineData(-2, 1, 2, new[] { -2, 0 })]
    [InlineData(0, 9, 3, new[] { 0, 3, 6, 9 })]
    [InlineData(3, 0, -1, new[] { 3, 2, 1, 0 })]
    [InlineData(1, -2, -2, new[] { 1, -1 })]
    [InlineData(9, 0, -3, new[] { 9, 6, 3, 0 })]
    public void Generate_series_with_step(int start, int end, int step, int[] expected) =>
        Assert.Equal(expected.Cast<object?>(), (List<object?>)Call("GENERATE_SERIES", start, end, step)!);

    [Fact]
    public void Generate_series_errors()
    {
        Assert.Throws<SqlFunctionException>(() => Call("GENERATE_SERIES", 0, 3, 0));
        Assert.Throws<SqlFunctionException>(() => Call("GENERATE_SERIES", 0, 3, -1));
        Assert.Throws<SqlFunctionException>(() => Call("GENERATE_SERIES", 0L, long.MaxValue));
        Assert.Equal(SqlTypes.Array(SqlTypes.BigInt), TypeOfCall("GENERATE_SERIES", 1, 5L));
    }

    [Fact]
    public void Map_functions()
    {
        Assert.Equal(M(("a", 1), ("b", 2)), Call("AS_MAP", L("a", "b"), L(1, 2)));
        Assert.Equal(M(("a", 1), ("b", 2)), Call("AS_MAP", L("a", "b"), L(1, 2, 3)));
        Assert.Equal(M(("a", 1), ("b", 2), ("c", null)), Call("AS_MAP", L("a", "b", "c"), L(1, 2, null)));
        Assert.Equal(M(("a", 1), ("b", null)), Call("AS_MAP", L("a", "b"), L(1)));
        Assert.Equal(L("apple", "banana"), Call("MAP_KEYS", M(("apple", 10), ("banana", 20))));
        Assert.Equal(L(10, 20), Call("MAP_VALUES", M(("apple", 10), ("banana", 20))));
        Assert.Equal(L(L(1, 2, 3)), Call("MAP_VALUES", M(("foo", L(1, 2, 3)))));
        Assert.Equal(L(null, null), Call("MAP_VALUES", A(SqlTypes.Map(SqlTypes.String, IntArray), M(("foo", null), ("bar", null)))));
        Assert.Null(Call("MAP_KEYS", Null(SqlTypes.Map(SqlTypes.String, SqlTypes.Integer))));
        Assert.Equal(M(("foo", 99), ("bar", 20), ("baz", 30), ("apple", -1)), Call("MAP_UNION", M(("foo", 10), ("bar", 20), ("baz", 30)), M(("foo", 99), ("apple", -1))));
        Assert.Equal(M(("foo", null), ("bar", 20)), Call("MAP_UNION", M(("foo", 10), ("bar", 20)), A(SqlTypes.Map(SqlTypes.String, SqlTypes.Integer), M(("foo", null)))));
        Assert.Equal(M(("foo", null)), Call("MAP_UNION", Null(SqlTypes.Map(SqlTypes.String, SqlTypes.Integer)), A(SqlTypes.Map(SqlTypes.String, SqlTypes.Integer), M(("foo", null)))));
        Assert.Null(Call("MAP_UNION", Null(SqlTypes.Map(SqlTypes.String, SqlTypes.Integer)), Null(SqlTypes.Map(SqlTypes.String, SqlTypes.Integer))));
    }

    [Fact]
    public void Entries_sorted_and_unsorted()
    {
        var sorted = (List<object?>)Call("ENTRIES", M(("K2", 2), ("K1", 1), ("K3", 3)), true)!;
        Assert.Equal(["K1", "K2", "K3"], sorted.Select(e => ((SqlStruct)e!).Get("K")));
        Assert.Equal([1, 2, 3], sorted.Select(e => ((SqlStruct)e!).Get("V")));
        var unsorted = (List<object?>)Call("ENTRIES", M(("K2", 2), ("K1", 1)), false)!;
        Assert.Equal(["K2", "K1"], unsorted.Select(e => ((SqlStruct)e!).Get("K")));
        Assert.Null(Call("ENTRIES", Null(SqlTypes.Map(SqlTypes.String, SqlTypes.String)), true));
    }

    [Fact]
    public void Coalesce_ifnull_nullif()
    {
        Assert.Equal(1, Call("COALESCE", 1, 2, 1, 2));
        Assert.Null(Call("COALESCE", Null(SqlTypes.Integer), Null(SqlTypes.Integer)));
        Assert.Equal("x", Call("COALESCE", Null(SqlTypes.String), "x"));
        Assert.Equal(L(10, 20), Call("COALESCE", Null(IntArray), L(10, 20)));
        Assert.Equal(L(1, 2, 3), Call("COALESCE", L(1, 2, 3), L(10, 20)));
        Assert.Equal(5L, Call("COALESCE", Null(SqlTypes.Integer), 5L));
        Assert.Equal(10, Call("IFNULL", Null(SqlTypes.Integer), 10));
        Assert.Equal("not null", Call("IFNULL", "not null", "x"));
        Assert.Equal(L(1), Call("IFNULL", L(1), L(10, 20)));
        Assert.Null(Call("NULLIF", 10, 10));
        Assert.Equal(1, Call("NULLIF", 1, 10));
        Assert.Null(Call("NULLIF", "x", "x"));
        Assert.Equal("X", Call("NULLIF", "X", "x"));
        Assert.Null(Call("NULLIF", L(1, 2, 3), L(1, 2, 3)));
        Assert.Equal(L(7, 8), Call("NULLIF", L(7, 8), L(1, 2, 3)));
        Assert.Equal(L(), Call("NULLIF", A(IntArray, L()), L(1, 2, 3)));
        Assert.Null(Call("NULLIF", Null(SqlTypes.Integer), 10));
        Assert.Equal(5, Call("AS_VALUE", 5));
        Assert.Equal(12.3m, Call("AS_VALUE", 12.3m));
    }
}
