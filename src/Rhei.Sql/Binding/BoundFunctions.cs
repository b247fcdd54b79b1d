using Rhei.Formats.Types;
using Rhei.Sql.Ast;
using Rhei.Sql.Functions;
using Rhei.Sql.Functions.Aggregate;

namespace Rhei.Sql.Binding;

/// <summary>
/// A scalar function call bound to one overload (<see cref="Resolution"/>). Value arguments have been converted to
/// the resolution's target types; lambda arguments are <see cref="BoundLambda"/>, time units <see cref="BoundIntervalUnit"/>.
/// Equality compares the overload, the type and the arguments.
/// </summary>
public sealed record BoundFunctionCall(FunctionResolution Resolution, EquatableArray<BoundExpression> Arguments, SqlType Type) : BoundExpression
{
    public override SqlType? Type { get; } = Type;

    /// <summary>The function name, upper case.</summary>
    public string Name => Resolution.Function.Name;

    public override IReadOnlyList<BoundExpression> Children => Arguments;

    public override BoundExpression WithChildren(IReadOnlyList<BoundExpression> children) => this with { Arguments = [.. children] };

    public bool Equals(BoundFunctionCall? other) =>
        other is not null && ReferenceEquals(Resolution.Overload, other.Resolution.Overload) && Equals(Type, other.Type) && Arguments.Equals(other.Arguments);

    public override int GetHashCode() => HashCode.Combine(Name, Type, Arguments);

    internal override void WriteTo(SqlWriter writer) => WriteCall(writer, Name, Arguments, star: false);

    internal static void WriteCall(SqlWriter writer, string name, IReadOnlyList<BoundExpression> arguments, bool star)
    {
        writer.Identifier(name).Append('(');
        if (star)
        {
            writer.Append('*');
        }
        else
        {
            WriteList(writer, arguments);
        }

        writer.Append(')');
    }
}

/// <summary>
/// A lambda argument <c>(X, Y) =&gt; body</c>. <see cref="ParameterTypes"/> come from the function's signature; the
/// body has been converted to the type the function expects the lambda to return.
/// </summary>
public sealed record BoundLambda(EquatableArray<string> Parameters, EquatableArray<SqlType> ParameterTypes, BoundExpression Body) : BoundExpression
{
    /// <summary>The type of the body's value.</summary>
    public override SqlType? Type => Body.Type;

    public override IReadOnlyList<BoundExpression> Children => [Body];

    public override BoundExpression WithChildren(IReadOnlyList<BoundExpression> children) => this with { Body = children[0] };

    internal override void WriteTo(SqlWriter writer)
    {
        if (Parameters.Count == 1)
        {
            writer.Identifier(Parameters[0]);
        }
        else
        {
            writer.Append('(').Identifiers(Parameters).Append(')');
        }

        writer.Append(" => ");
        Body.WriteTo(writer);
    }
}

/// <summary>A time-unit keyword argument (<c>DAYS</c> in <c>DATEADD(DAYS, 1, d)</c>); it has no SQL type.</summary>
public sealed record BoundIntervalUnit(IntervalUnit Unit) : BoundExpression
{
    public override SqlType? Type => null;

    public override BoundExpression WithChildren(IReadOnlyList<BoundExpression> children) => this;

    internal override void WriteTo(SqlWriter writer) => writer.Append(Unit.ToString().ToUpperInvariant());
}

/// <summary>
/// An aggregate call (<c>SUM(X)</c>, <c>TOPK(X, 3)</c>, <c>COUNT(*)</c>). The planner extracts these: it evaluates
/// <see cref="ColumnArguments"/> per input row, feeds them to the aggregator from <see cref="CreateAggregator"/>,
/// and replaces the call (with <see cref="BoundExpression.Rewrite"/>) by a column of the aggregated row before
/// compiling the enclosing expression. The compiler rejects an aggregate call that is still in a tree.
/// </summary>
public sealed record BoundAggregateCall(FunctionResolution Resolution, EquatableArray<BoundExpression> Arguments, SqlType Type, bool Star = false) : BoundExpression
{
    public override SqlType? Type { get; } = Type;

    /// <summary>The function name, upper case.</summary>
    public string Name => Resolution.Function.Name;

    /// <summary>The arguments whose values are fed per row, in order (for several, the aggregator takes an
    /// <c>object?[]</c> of their values).</summary>
    public IReadOnlyList<BoundExpression> ColumnArguments => [.. Resolution.ColumnArgumentIndexes.Select(i => Arguments[i])];

    /// <summary>The values of the initial arguments (literal constants such as TOPK's <c>3</c>), in order.</summary>
    public IReadOnlyList<object?> InitArguments =>
        [.. Resolution.InitArgumentIndexes.Select(i => Arguments[i] is BoundLiteral l ? l.Value : Arguments[i] is BoundCast { Operand: BoundLiteral cl } ? cl.Value : null)];

    /// <summary>Creates the aggregator (once per query); <paramref name="config"/> supplies settings such as
    /// <c>ksql.functions.collect_list.limit</c>.</summary>
    public Aggregator CreateAggregator(IReadOnlyDictionary<string, object?>? config = null) => Resolution.CreateAggregator(InitArguments, config);

    public override IReadOnlyList<BoundExpression> Children => Arguments;

    public override BoundExpression WithChildren(IReadOnlyList<BoundExpression> children) => this with { Arguments = [.. children] };

    public bool Equals(BoundAggregateCall? other) =>
        other is not null && ReferenceEquals(Resolution.Overload, other.Resolution.Overload) && Equals(Type, other.Type)
        && Star == other.Star && Arguments.Equals(other.Arguments);

    public override int GetHashCode() => HashCode.Combine(Name, Type, Arguments);

    internal override void WriteTo(SqlWriter writer) => BoundFunctionCall.WriteCall(writer, Name, Arguments, Star);
}

/// <summary>
/// A table function call (<c>EXPLODE(ARR)</c>) in a SELECT item. <see cref="Type"/> is the type of one output
/// value; compiled, the call yields a <c>List&lt;object?&gt;</c> of output values (empty or null for no rows).
/// </summary>
public sealed record BoundTableFunctionCall(FunctionResolution Resolution, EquatableArray<BoundExpression> Arguments, SqlType Type) : BoundExpression
{
    public override SqlType? Type { get; } = Type;

    /// <summary>The function name, upper case.</summary>
    public string Name => Resolution.Function.Name;

    public override IReadOnlyList<BoundExpression> Children => Arguments;

    public override BoundExpression WithChildren(IReadOnlyList<BoundExpression> children) => this with { Arguments = [.. children] };

    public bool Equals(BoundTableFunctionCall? other) =>
        other is not null && ReferenceEquals(Resolution.Overload, other.Resolution.Overload) && Equals(Type, other.Type) && Arguments.Equals(other.Arguments);

    public override int GetHashCode() => HashCode.Combine(Name, Type, Arguments);

    internal override void WriteTo(SqlWriter writer) => BoundFunctionCall.WriteCall(writer, Name, Arguments, star: false);
}
