using Rhei.Formats.Types;
using Rhei.Sql.Functions;
using static Rhei.Sql.Tests.Functions.FunctionTestKit;

namespace Rhei.Sql.Tests.Functions;

public class OverloadResolutionTests
{
    private static FunctionResolutionException Fails(string name, params SqlType?[] types) =>
        Assert.Throws<FunctionResolutionException>(() => Registry.Resolve(name, types));

    [Fact]
    public void Exact_match_wins_over_widening()
    {
        var r = Registry.Resolve("ABS", [SqlTypes.Integer]);
        Assert.Equal(SqlTypes.Integer, r.ReturnType);
        Assert.Equal(typeof(int?), r.Method!.GetParameters()[0].ParameterType);
        Assert.Equal(SqlTypes.BigInt, Registry.Resolve("ABS", [SqlTypes.BigInt]).ReturnType);
    }

    [Fact]
    public void Int_widens_to_double_with_a_target_type_for_the_compiler()
    {
        var r = Registry.Resolve("GEO_DISTANCE", [SqlTypes.Double, SqlTypes.Double, SqlTypes.Integer, SqlTypes.BigInt]);
        Assert.Equal(SqlTypes.Double, r.ReturnType);
        Assert.All(r.ArgumentTargetTypes, t => Assert.Equal(SqlTypes.Double, t));
    }

    [Fact]
    public void Decimal_widens_to_double_but_not_the_other_way()
    {
        Assert.Equal(SqlTypes.Double, Registry.Resolve("SQRT", [SqlTypes.Decimal(5, 2)]).ReturnType);
        var e = Fails("FROM_DAYS", SqlTypes.Double);
        Assert.StartsWith("Function 'from_days' does not accept parameters (DOUBLE).", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Int_widens_to_decimal_10_0_and_bigint_to_decimal_19_0()
    {
        Assert.Equal(SqlTypes.Decimal(10, 0), ImplicitCasts.CastTarget(SqlTypes.Integer, SqlBaseType.Decimal));
        Assert.Equal(SqlTypes.Decimal(19, 0), ImplicitCasts.CastTarget(SqlTypes.BigInt, SqlBaseType.Decimal));
        Assert.False(ImplicitCasts.CanCast(SqlTypes.Double, SqlBaseType.Decimal, false));
        Assert.False(ImplicitCasts.CanCast(SqlTypes.String, SqlBaseType.Integer, true));
    }

    [Fact]
    public void Null_literal_matches_any_parameter_and_gets_the_parameter_type_as_target()
    {
        var r = Registry.Resolve("SUBSTRING", [SqlTypes.String, null]);
        Assert.Equal(SqlTypes.String, r.ReturnType);
        Assert.Equal(SqlTypes.Integer, r.ArgumentTargetTypes[1]);
    }

    [Fact]
    public void No_match_lists_the_valid_alternatives()
    {
        var e = Fails("EXPLODE", SqlTypes.Map(SqlTypes.String, SqlTypes.Integer));
        Assert.Equal("Function 'explode' does not accept parameters (MAP<STRING, INTEGER>).\nValid alternatives are:\nexplode(ARRAY<DECIMAL> input)\nexplode(ARRAY<T> list)", e.Message);
    }

    [Theory]
    [InlineData("DATEADD", "dateadd")]
    [InlineData("DATESUB", "datesub")]
    [InlineData("TIMEADD", "timeadd")]
    [InlineData("TIMESUB", "timesub")]
    [InlineData("TIMESTAMPSUB", "timestampsub")]
    public void Unit_functions_reject_a_value_where_the_unit_goes(string name, string message)
    {
        var type = name.StartsWith("DATE", StringComparison.Ordinal) ? (SqlType)SqlTypes.Date : name.StartsWith("TIMESTAMP", StringComparison.Ordinal) ? SqlTypes.Timestamp : SqlTypes.Time;
        var e = Fails(name, type, SqlTypes.Integer, type);
        Assert.StartsWith($"Function '{message}' does not accept parameters ({type}, INTEGER, {type}).", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unit_argument_resolves()
    {
        var r = Registry.Resolve("DATEADD", [FunctionArgument.IntervalUnit, FunctionArgument.Of(SqlTypes.Integer), FunctionArgument.Of(SqlTypes.Date)]);
        Assert.Equal(SqlTypes.Date, r.ReturnType);
        Assert.Null(r.ArgumentTargetTypes[0]);
    }

    [Theory]
    [InlineData("GREATEST")]
    [InlineData("LEAST")]
    public void Mixed_int_and_bigint_is_ambiguous_for_greatest_and_least(string name)
    {
        var e = Fails(name, SqlTypes.Integer, SqlTypes.BigInt);
        Assert.Equal($"Function '{name.ToLowerInvariant()}' cannot be resolved due to ambiguous method parameters (INTEGER, BIGINT).", e.Message);
        e = Fails(name, SqlTypes.Integer, SqlTypes.BigInt, SqlTypes.Decimal(50, 30));
        Assert.Equal($"Function '{name.ToLowerInvariant()}' cannot be resolved due to ambiguous method parameters (INTEGER, BIGINT, DECIMAL(50, 30)).", e.Message);
    }

    [Fact]
    public void Greatest_with_a_double_widens_everything_to_double()
    {
        var r = Registry.Resolve("GREATEST", [SqlTypes.Integer, SqlTypes.BigInt, SqlTypes.Decimal(30, 18), SqlTypes.Double, null]);
        Assert.Equal(SqlTypes.Double, r.ReturnType);
        Assert.All(r.ArgumentTargetTypes, t => Assert.Equal(SqlTypes.Double, t));
    }

    [Fact]
    public void Greatest_of_decimals_returns_the_widened_decimal()
    {
        var r = Registry.Resolve("GREATEST", [SqlTypes.Decimal(9, 2), SqlTypes.Decimal(7, 6)]);
        Assert.Equal(SqlTypes.Decimal(13, 6), r.ReturnType);
    }

    [Fact]
    public void All_null_arguments_are_ambiguous()
    {
        var e = Fails("LEAST", null, null, null, null);
        Assert.Equal("Function 'least' cannot be resolved due to ambiguous method parameters (null, null, null, null).", e.Message);
    }

    [Fact]
    public void No_arguments_where_one_is_required()
    {
        Assert.StartsWith("Function 'greatest' does not accept parameters ().", Fails("GREATEST").Message, StringComparison.Ordinal);
        Assert.StartsWith("Function 'COALESCE' does not accept parameters ()", Fails("COALESCE").Message, StringComparison.Ordinal);
        Assert.StartsWith("Function 'greatest' does not accept parameters (STRING, INTEGER).", Fails("GREATEST", SqlTypes.String, SqlTypes.Integer).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void String_literal_is_not_a_double()
    {
        var e = Assert.Throws<FunctionResolutionException>(() => Registry.Resolve("GEO_DISTANCE",
            [FunctionArgument.Of(SqlTypes.Double), FunctionArgument.Of(SqlTypes.Double), FunctionArgument.Literal(SqlTypes.String, "foo"), FunctionArgument.Literal(SqlTypes.Integer, 0)]));
        Assert.StartsWith("Function 'geo_distance' does not accept parameters", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void String_literal_coerces_to_date_time_and_timestamp()
    {
        var r = Resolve("GREATEST", A(SqlTypes.Date, null), A(SqlTypes.Date, null), Nul, Lit("2022-06-14"));
        Assert.Equal(SqlTypes.Date, r.ReturnType);
        Assert.Equal(SqlTypes.Date, r.ArgumentTargetTypes[3]);
        Assert.Equal(SqlTypes.Time, Resolve("LEAST", A(SqlTypes.Time, null), Lit("09:16:00")).ReturnType);
        Assert.Equal(SqlTypes.Timestamp, Resolve("LEAST", A(SqlTypes.Timestamp, null), Lit("2022-06-14")).ReturnType);

        // A string column is not a literal: no coercion.
        Assert.Throws<FunctionResolutionException>(() => Resolve("LEAST", A(SqlTypes.Date, null), A(SqlTypes.String, "x")));
    }

    [Fact]
    public void Generic_binds_from_the_first_argument_and_checks_the_rest()
    {
        var r = Registry.Resolve("ARRAY_CONTAINS", [SqlTypes.Array(SqlTypes.String), SqlTypes.String]);
        Assert.Equal(SqlTypes.Boolean, r.ReturnType);
        Assert.Equal(SqlTypes.String, r.Signature.Generics["T"]);
        Assert.Throws<FunctionResolutionException>(() => Registry.Resolve("ARRAY_CONTAINS", [SqlTypes.Array(SqlTypes.String), SqlTypes.Integer]));
    }

    [Fact]
    public void Generic_numbers_unify_to_the_wider_type_when_casting()
    {
        var r = Registry.Resolve("COALESCE", [SqlTypes.Integer, SqlTypes.BigInt]);
        Assert.Equal(SqlTypes.BigInt, r.ReturnType);
        Assert.Equal(SqlTypes.BigInt, r.ArgumentTargetTypes[0]);
        r = Registry.Resolve("IFNULL", [SqlTypes.Decimal(4, 2), SqlTypes.Decimal(6, 3)]);
        Assert.Equal(SqlTypes.Decimal(6, 3), r.ReturnType);
        r = Registry.Resolve("ARRAY_CONTAINS", [SqlTypes.Array(SqlTypes.BigInt), SqlTypes.Integer]);
        Assert.Equal(SqlTypes.Array(SqlTypes.BigInt), r.ArgumentTargetTypes[0]);
        Assert.Equal(SqlTypes.BigInt, r.ArgumentTargetTypes[1]);
    }

    [Fact]
    public void Generic_return_types_follow_the_bindings()
    {
        Assert.Equal(SqlTypes.Decimal(2, 1), Registry.Resolve("ARRAY_MAX", [SqlTypes.Array(SqlTypes.Decimal(2, 1))]).ReturnType);
        Assert.Equal(SqlTypes.Array(SqlTypes.Integer), Registry.Resolve("MAP_VALUES", [SqlTypes.Map(SqlTypes.String, SqlTypes.Integer)]).ReturnType);
        Assert.Equal(
            SqlTypes.Array(SqlTypes.Struct(new SqlField("K", SqlTypes.String), new SqlField("V", SqlTypes.Double))),
            Registry.Resolve("ENTRIES", [SqlTypes.Map(SqlTypes.String, SqlTypes.Double), SqlTypes.Boolean]).ReturnType);
    }

    [Fact]
    public void Decimal_return_types_depend_on_precision_and_scale()
    {
        Assert.Equal(SqlTypes.Decimal(2, 1), Registry.Resolve("ABS", [SqlTypes.Decimal(2, 1)]).ReturnType);
        Assert.Equal(SqlTypes.Decimal(18, 0), Registry.Resolve("ROUND", [SqlTypes.Decimal(33, 16)]).ReturnType);
        Assert.Equal(SqlTypes.Decimal(33, 16), Registry.Resolve("ROUND", [SqlTypes.Decimal(33, 16), SqlTypes.Integer]).ReturnType);
        Assert.Equal(SqlTypes.Decimal(5, 0), Registry.Resolve("TRUNC", [SqlTypes.Decimal(12, 7)]).ReturnType);
        Assert.Equal(SqlTypes.Decimal(4, 1), Registry.Resolve("FLOOR", [SqlTypes.Decimal(4, 1)]).ReturnType);
        Assert.Equal(SqlTypes.BigInt, Registry.Resolve("ROUND", [SqlTypes.Double]).ReturnType);
        Assert.Equal(SqlTypes.Double, Registry.Resolve("ROUND", [SqlTypes.Double, SqlTypes.Integer]).ReturnType);
    }

    [Fact]
    public void Concrete_overload_beats_generic_one()
    {
        var r = Registry.Resolve("EXPLODE", [SqlTypes.Array(SqlTypes.Decimal(20, 10))]);
        Assert.Equal(SqlTypes.Decimal(20, 10), r.ReturnType);
        Assert.Equal("explode(ARRAY<DECIMAL> input)", r.Overload.Signature);
        Assert.Equal(SqlTypes.Struct(new SqlField("F1", SqlTypes.BigInt)), Registry.Resolve("EXPLODE", [SqlTypes.Array(SqlTypes.Struct(new SqlField("F1", SqlTypes.BigInt)))]).ReturnType);
    }

    [Fact]
    public void Variadic_arguments_map_to_the_variadic_parameter()
    {
        var r = Registry.Resolve("CONCAT_WS", [SqlTypes.String, SqlTypes.String, SqlTypes.String, null, SqlTypes.String]);
        Assert.Equal(1, r.VariadicIndex);
        Assert.Equal([0, 1, 1, 1, 1], Enumerable.Range(0, 5).Select(r.ParameterIndexOf));
        Assert.Equal(SqlTypes.String, r.ArgumentTargetTypes[3]);
        Assert.Contains("ambiguous", Fails("CONCAT").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Lambda_resolution_gives_parameter_types_then_the_return_type()
    {
        var first = Registry.Resolve("TRANSFORM", [FunctionArgument.Of(SqlTypes.Array(SqlTypes.Integer)), FunctionArgument.Lambda(1)]);
        Assert.Null(first.ReturnType);
        Assert.Equal([SqlTypes.Integer], first.LambdaParameterTypes[1]!);
        Assert.Null(first.LambdaParameterTypes[0]);

        var second = Registry.Resolve("TRANSFORM", [FunctionArgument.Of(SqlTypes.Array(SqlTypes.Integer)), FunctionArgument.Lambda(1, SqlTypes.String)]);
        Assert.Equal(SqlTypes.Array(SqlTypes.String), second.ReturnType);
        Assert.Equal(typeof(Func<object?, object?>), second.Method!.GetParameters()[1].ParameterType);
        Assert.Equal(SqlTypes.String, second.LambdaReturnType(1));
    }

    [Fact]
    public void Map_transform_lambdas_see_key_and_value_types()
    {
        var map = SqlTypes.Map(SqlTypes.String, SqlTypes.Array(SqlTypes.Integer));
        var r = Registry.Resolve("TRANSFORM", [FunctionArgument.Of(map), FunctionArgument.Lambda(2), FunctionArgument.Lambda(2)]);
        Assert.Equal([SqlTypes.String, SqlTypes.Array(SqlTypes.Integer)], r.LambdaParameterTypes[1]!);
        Assert.Equal([SqlTypes.String, SqlTypes.Array(SqlTypes.Integer)], r.LambdaParameterTypes[2]!);
        r = Registry.Resolve("TRANSFORM", [FunctionArgument.Of(map), FunctionArgument.Lambda(2, SqlTypes.String), FunctionArgument.Lambda(2, SqlTypes.Integer)]);
        Assert.Equal(SqlTypes.Map(SqlTypes.String, SqlTypes.Integer), r.ReturnType);
    }

    [Fact]
    public void Lambda_arity_selects_the_overload()
    {
        var array = FunctionArgument.Of(SqlTypes.Array(SqlTypes.Integer));
        Assert.Throws<FunctionResolutionException>(() => Registry.Resolve("FILTER", [array, FunctionArgument.Lambda(2)]));
        var map = FunctionArgument.Of(SqlTypes.Map(SqlTypes.String, SqlTypes.Integer));
        var r = Registry.Resolve("FILTER", [map, FunctionArgument.Lambda(2, SqlTypes.Boolean)]);
        Assert.Equal(SqlTypes.Map(SqlTypes.String, SqlTypes.Integer), r.ReturnType);
        Assert.Throws<FunctionResolutionException>(() => Registry.Resolve("FILTER", [map, FunctionArgument.Lambda(2, SqlTypes.Integer)]));
    }

    [Fact]
    public void Reduce_state_type_comes_from_the_initial_state()
    {
        var r = Registry.Resolve("REDUCE", [FunctionArgument.Of(SqlTypes.Array(SqlTypes.Integer)), FunctionArgument.Of(SqlTypes.BigInt), FunctionArgument.Lambda(2)]);
        Assert.Equal([SqlTypes.BigInt, SqlTypes.Integer], r.LambdaParameterTypes[2]!);
        r = Registry.Resolve("REDUCE", [FunctionArgument.Of(SqlTypes.Array(SqlTypes.Integer)), FunctionArgument.Of(SqlTypes.BigInt), FunctionArgument.Lambda(2, SqlTypes.BigInt)]);
        Assert.Equal(SqlTypes.BigInt, r.ReturnType);

        // A body narrower than the state is widened by the compiler.
        r = Registry.Resolve("REDUCE", [FunctionArgument.Of(SqlTypes.Array(SqlTypes.Integer)), FunctionArgument.Of(SqlTypes.Double), FunctionArgument.Lambda(2, SqlTypes.Integer)]);
        Assert.Equal(SqlTypes.Double, r.ReturnType);
        Assert.Equal(SqlTypes.Double, r.LambdaReturnType(2));
    }

    [Fact]
    public void Lambda_where_a_value_is_expected_does_not_match()
    {
        Assert.Throws<FunctionResolutionException>(() => Registry.Resolve("ABS", [FunctionArgument.Lambda(1)]));
        Assert.Throws<FunctionResolutionException>(() => Registry.Resolve("ABS", [FunctionArgument.IntervalUnit]));
    }

    [Fact]
    public void Constant_arguments_are_computed_per_call()
    {
        var r = Registry.Resolve("UNIX_TIMESTAMP", Array.Empty<SqlType?>());
        Assert.Same(Registry.Time, Assert.Single(r.ConstantArguments));
        r = Registry.Resolve("ENTRIES", [SqlTypes.Map(SqlTypes.String, SqlTypes.Integer), SqlTypes.Boolean]);
        Assert.Equal(((SqlArrayType)r.ReturnType!).ElementType, Assert.Single(r.ConstantArguments));
    }

    [Fact]
    public void Aggregate_initial_arguments_are_identified()
    {
        var r = Registry.Resolve("EARLIEST_BY_OFFSET", [SqlTypes.Integer, SqlTypes.Integer, SqlTypes.Boolean]);
        Assert.Equal([1, 2], r.InitArgumentIndexes);
        Assert.Equal([0], r.ColumnArgumentIndexes);
        Assert.Equal(SqlTypes.Array(SqlTypes.Integer), r.ReturnType);

        r = Registry.Resolve("TOPK", [SqlTypes.Integer, SqlTypes.String, SqlTypes.Double, SqlTypes.Integer]);
        Assert.Equal([3], r.InitArgumentIndexes);
        Assert.Equal([0, 1, 2], r.ColumnArgumentIndexes);
        Assert.Equal(
            SqlTypes.Array(SqlTypes.Struct(new SqlField("sort_col", SqlTypes.Integer), new SqlField("col0", SqlTypes.String), new SqlField("col1", SqlTypes.Double))),
            r.ReturnType);
    }

    [Fact]
    public void Aggregate_messages_use_the_upper_case_name()
    {
        var e = Fails("SUM", SqlTypes.String);
        Assert.StartsWith("Function 'SUM' does not accept parameters (STRING).", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Struct_types_print_without_quoting_in_messages()
    {
        var e = Fails("ABS", SqlTypes.Struct(new SqlField("A", SqlTypes.Integer)));
        Assert.StartsWith("Function 'abs' does not accept parameters (STRUCT<A INTEGER>).", e.Message, StringComparison.Ordinal);
    }
}
