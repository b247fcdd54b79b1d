using Rhei.Formats.Types;
using Rhei.Sql.Functions;
using Rhei.Sql.Functions.Aggregate;
using static Rhei.Conformance.Functions.TestFunctions;

namespace Rhei.Conformance.Functions;

/// <summary>test_udaf, VAR_ARG, MID_VAR_ARG, MULTI_ARG and FOUR_ARG.</summary>
internal static class TestAggregateFunctions
{
    public static void Register(FunctionRegistry registry)
    {
        registry.Register(new FunctionDefinition("TEST_UDAF", FunctionKind.Aggregate, FunctionCategory.Aggregate, "Sums its argument.",
        [
            new AggregateOverload([P("value", ParamType.Integer)], ReturnTypeRule.Fixed(SqlTypes.Integer), _ => new SumInt(), "", true),
            new AggregateOverload([P("value", ParamType.BigInt)], ReturnTypeRule.Fixed(SqlTypes.BigInt), _ => new SumLong(), "", true),
        ]));
        registry.Register(new FunctionDefinition("VAR_ARG", FunctionKind.Aggregate, FunctionCategory.Aggregate, "Sums a number and the lengths of strings.",
            [new AggregateOverload([P("first", ParamType.BigInt), new FunctionParameter("rest", ParamType.String, IsVariadic: true)], ReturnTypeRule.Fixed(SqlTypes.BigInt), _ => new LengthSum(0), "")]));
        registry.Register(new FunctionDefinition("MID_VAR_ARG", FunctionKind.Aggregate, FunctionCategory.Aggregate, "Sums a number and the lengths of strings, from two initial numbers.",
            [new AggregateOverload([P("first", ParamType.BigInt), new FunctionParameter("rest", ParamType.String, IsVariadic: true), new FunctionParameter("a", ParamType.Integer, IsInitArgument: true), new FunctionParameter("b", ParamType.Integer, IsInitArgument: true)],
                ReturnTypeRule.Fixed(SqlTypes.BigInt), b => new LengthSum(b.IntArgument(0) + b.IntArgument(1)), "")]));
        registry.Register(new FunctionDefinition("MULTI_ARG", FunctionKind.Aggregate, FunctionCategory.Aggregate, "Sums a number and a string's length, from an initial number and strings.",
            [new AggregateOverload([P("first", ParamType.BigInt), P("second", ParamType.String), new FunctionParameter("a", ParamType.Integer, IsInitArgument: true), new FunctionParameter("rest", ParamType.String, IsVariadic: true, IsInitArgument: true)],
                ReturnTypeRule.Fixed(SqlTypes.BigInt), b => new LengthSum(InitialValue(b)), "")]));
        registry.Register(new FunctionDefinition("FOUR_ARG", FunctionKind.Aggregate, FunctionCategory.Aggregate, "Sums a number and three strings' lengths, from an initial number and strings.",
            [new AggregateOverload([P("first", ParamType.BigInt), P("second", ParamType.String), P("third", ParamType.String), P("fourth", ParamType.String), new FunctionParameter("a", ParamType.Integer, IsInitArgument: true), new FunctionParameter("rest", ParamType.String, IsVariadic: true, IsInitArgument: true)],
                ReturnTypeRule.Fixed(SqlTypes.BigInt), b => new LengthSum(InitialValue(b)), "")]));
    }

    private static long InitialValue(AggregateBinding binding)
    {
        long total = binding.IntArgument(0);
        for (var i = 1; i < binding.InitArguments.Count; i++)
        {
            total += binding.InitArguments[i] is string s ? s.Length : 0;
        }

        return total;
    }

    private sealed class SumInt() : Aggregator(SqlTypes.Integer, SqlTypes.Integer)
    {
        public override bool CanUndo => true;

        public override object? Initialize() => 0;

        public override object? Aggregate(object? value, object? accumulator) => value is int v ? unchecked((int)accumulator! + v) : accumulator;

        public override object? Undo(object? value, object? accumulator) => value is int v ? unchecked((int)accumulator! - v) : accumulator;

        public override object? Merge(object? left, object? right) => unchecked((int)left! + (int)right!);

        public override object? Map(object? accumulator) => accumulator;
    }

    private sealed class SumLong() : Aggregator(SqlTypes.BigInt, SqlTypes.BigInt)
    {
        public override bool CanUndo => true;

        public override object? Initialize() => 0L;

        public override object? Aggregate(object? value, object? accumulator) => value is long v ? (long)accumulator! + v : accumulator;

        public override object? Undo(object? value, object? accumulator) => value is long v ? (long)accumulator! - v : accumulator;

        public override object? Merge(object? left, object? right) => (long)left! + (long)right!;

        public override object? Map(object? accumulator) => accumulator;
    }

    /// <summary>Adds, per row, the first (numeric) column and the lengths of the string columns.</summary>
    private sealed class LengthSum(long initial) : Aggregator(SqlTypes.BigInt, SqlTypes.BigInt)
    {
        public override object? Initialize() => initial;

        public override object? Aggregate(object? value, object? accumulator)
        {
            var total = (long)accumulator!;
            foreach (var v in value is object?[] values ? values : [value])
            {
                total += v switch
                {
                    long l => l,
                    int i => i,
                    string s => s.Length,
                    object?[] nested => nested.Sum(x => x is string ns ? ns.Length : 0),
                    List<object?> list => list.Sum(x => x is string ls ? ls.Length : 0),
                    _ => 0,
                };
            }

            return total;
        }

        public override object? Merge(object? left, object? right) => (long)left! + (long)right! - initial;

        public override object? Map(object? accumulator) => accumulator;
    }
}
