using System.Reflection;
using Rhei.Formats.Types;
using Rhei.Sql.Functions.Aggregate;

namespace Rhei.Sql.Functions;

/// <summary>
/// A call bound to one overload: the return type, how to convert each argument, the lambda parameter
/// types, and how to invoke it (scalar/table: <see cref="Method"/> with <see cref="ConstantArguments"/>
/// first; aggregate: <see cref="CreateAggregator"/>).
/// </summary>
public sealed class FunctionResolution
{
    internal FunctionResolution(BoundSignature signature, SqlType? returnType)
    {
        Signature = signature;
        ReturnType = returnType;
        if (signature.Overload is ScalarOverload s)
        {
            ConstantArguments = s.ConstantArguments(signature, returnType);
        }
        else
        {
            ConstantArguments = [];
        }
    }

    public FunctionDefinition Function => Overload.Function;

    public FunctionOverload Overload => Signature.Overload;

    public BoundSignature Signature { get; }

    /// <summary>
    /// The SQL type of the result (for a table function: of each output row). Null only when it depends
    /// on a lambda whose body type was not given yet: type the lambda bodies with
    /// <see cref="LambdaParameterTypes"/> and resolve again with <see cref="FunctionArgument.Lambda(int, SqlType)"/>.
    /// </summary>
    public SqlType? ReturnType { get; }

    /// <summary>Per argument, the type to convert it to before the call (see <see cref="BoundSignature.TargetTypes"/>).</summary>
    public IReadOnlyList<SqlType?> ArgumentTargetTypes => Signature.TargetTypes;

    /// <summary>Per argument, the parameter types of a lambda argument; null for other arguments.</summary>
    public IReadOnlyList<IReadOnlyList<SqlType>?> LambdaParameterTypes => Signature.LambdaParameterTypes;

    /// <summary>The static method to call (scalar and table functions), else null.</summary>
    public MethodInfo? Method => (Overload as ScalarOverload)?.Method;

    /// <summary>Constants to pass, in order, before the SQL arguments (scalar and table functions).</summary>
    public IReadOnlyList<object?> ConstantArguments { get; }

    /// <summary>Index of the variadic parameter in <see cref="FunctionOverload.Parameters"/>, or -1.</summary>
    public int VariadicIndex => Overload.VariadicIndex;

    /// <summary>
    /// Which parameter each argument goes to (several arguments map to the variadic parameter).
    /// </summary>
    public int ParameterIndexOf(int argumentIndex) => OverloadResolver.ParameterIndex(Overload, Signature.Arguments.Count, argumentIndex);

    /// <summary>
    /// The type a lambda argument's body must produce (the compiler converts the body's value to it);
    /// null when it is not known yet or the argument is not a lambda.
    /// </summary>
    public SqlType? LambdaReturnType(int argumentIndex) =>
        Overload.Parameters[ParameterIndexOf(argumentIndex)].Type is LambdaParam lp ? Signature.Instantiate(lp.Output) : null;

    /// <summary>Indexes of the arguments that are aggregate initial arguments (must be literal constants).</summary>
    public IReadOnlyList<int> InitArgumentIndexes =>
        [.. Enumerable.Range(0, Signature.Arguments.Count).Where(i => Overload.Parameters[ParameterIndexOf(i)].IsInitArgument)];

    /// <summary>Indexes of the arguments that take column values (for an aggregate, the values fed per row).</summary>
    public IReadOnlyList<int> ColumnArgumentIndexes =>
        [.. Enumerable.Range(0, Signature.Arguments.Count).Where(i => !Overload.Parameters[ParameterIndexOf(i)].IsInitArgument)];

    /// <summary>
    /// Creates the aggregator for an aggregate call. <paramref name="initArguments"/> are the values of the
    /// initial arguments, in <see cref="InitArgumentIndexes"/> order; <paramref name="config"/> supplies
    /// settings such as <c>ksql.functions.collect_list.limit</c>.
    /// </summary>
    public Aggregator CreateAggregator(IReadOnlyList<object?> initArguments, IReadOnlyDictionary<string, object?>? config = null)
    {
        if (Overload is not AggregateOverload a)
        {
            throw new InvalidOperationException($"{Function.Name} is not an aggregate function.");
        }

        if (ReturnType is null)
        {
            throw new InvalidOperationException($"{Function.Name}: the return type is not resolved.");
        }

        return a.CreateAggregator(new AggregateBinding(Signature, ColumnArgumentIndexes, initArguments, config ?? EmptyConfig, ReturnType));
    }

    private static readonly IReadOnlyDictionary<string, object?> EmptyConfig = new Dictionary<string, object?>();

    public override string ToString() => $"{Overload.Signature} => {(ReturnType is null ? "?" : SqlTypeNames.Format(ReturnType))}";
}
