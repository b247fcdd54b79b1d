using System.Collections.Immutable;
using System.Reflection;
using Rhei.Formats.Types;
using Rhei.Sql.Functions.Aggregate;

namespace Rhei.Sql.Functions;

/// <summary>One signature of a function: parameters, return type rule and description.</summary>
public abstract class FunctionOverload
{
    private FunctionDefinition? _function;

    protected FunctionOverload(IEnumerable<FunctionParameter> parameters, ReturnTypeRule returns, string description)
    {
        Parameters = [.. parameters];
        Returns = returns;
        Description = description;
        VariadicIndex = -1;
        for (var i = 0; i < Parameters.Length; i++)
        {
            if (Parameters[i].IsVariadic)
            {
                if (VariadicIndex >= 0)
                {
                    throw new ArgumentException("An overload has at most one variadic parameter.", nameof(parameters));
                }

                VariadicIndex = i;
            }
        }
    }

    public ImmutableArray<FunctionParameter> Parameters { get; }

    public ReturnTypeRule Returns { get; }

    public string Description { get; }

    /// <summary>The index of the variadic parameter, or -1.</summary>
    public int VariadicIndex { get; }

    public bool IsVariadic => VariadicIndex >= 0;

    /// <summary>The function this overload belongs to (set when it is registered).</summary>
    public FunctionDefinition Function
    {
        get => _function ?? throw new InvalidOperationException("The overload is not registered.");
        internal set => _function = value;
    }

    /// <summary>The signature as ksqlDB prints it among "Valid alternatives": <c>substring(STRING str, INTEGER pos)</c>.</summary>
    public string Signature => $"{Function.MessageName}({string.Join(", ", Parameters)})";

    public override string ToString() => Signature + " => " + Returns.Text;
}

/// <summary>
/// A scalar overload implemented by a static method. The compiler calls <see cref="Method"/> with, in order:
/// the constants <see cref="ConstantArguments"/> computes (often none — e.g. the result STRUCT type of
/// ENTRIES, or the clock of UNIX_TIMESTAMP), then one argument per parameter, converted to the parameter's
/// CLR type (<see cref="ParamType.ClrType"/>); the variadic parameter's arguments packed into one array of
/// the element's CLR type; lambdas as <c>Func&lt;object?, ..., object?&gt;</c>.
/// </summary>
public class ScalarOverload : FunctionOverload
{
    private readonly Func<BoundSignature, SqlType?, object?[]>? _constants;

    public ScalarOverload(
        IEnumerable<FunctionParameter> parameters,
        ReturnTypeRule returns,
        MethodInfo method,
        string description = "",
        Func<BoundSignature, SqlType?, object?[]>? constants = null,
        int constantCount = 0)
        : base(parameters, returns, description)
    {
        if (!method.IsStatic)
        {
            throw new ArgumentException($"{method.Name} must be static.", nameof(method));
        }

        Method = method;
        ConstantCount = constantCount;
        _constants = constants;
        var expected = ConstantCount + Parameters.Length;
        if (method.GetParameters().Length != expected)
        {
            throw new ArgumentException($"{method.DeclaringType?.Name}.{method.Name} takes {method.GetParameters().Length} parameters; {expected} expected.", nameof(method));
        }
    }

    /// <summary>The static method that implements the overload.</summary>
    public MethodInfo Method { get; }

    /// <summary>How many leading constant arguments <see cref="Method"/> takes before the SQL arguments.</summary>
    public int ConstantCount { get; }

    /// <summary>The leading constant arguments for a bound call (given its return type).</summary>
    public IReadOnlyList<object?> ConstantArguments(BoundSignature signature, SqlType? returnType) =>
        _constants is null ? [] : _constants(signature, returnType);
}

/// <summary>
/// A table-function overload: like a scalar overload, but <see cref="ScalarOverload.Method"/> returns a
/// <c>List&lt;object?&gt;</c> with one element per output row (empty for no rows), and the return type
/// is the type of one element.
/// </summary>
public sealed class TableOverload : ScalarOverload
{
    public TableOverload(
        IEnumerable<FunctionParameter> parameters,
        ReturnTypeRule returns,
        MethodInfo method,
        string description = "")
        : base(parameters, returns, method, description)
    {
    }
}

/// <summary>
/// An aggregate overload: the binder resolves it like a scalar one, then the runtime creates an
/// <see cref="Aggregator"/> per query from the bound types, the values of the initial arguments
/// (the parameters marked <see cref="FunctionParameter.IsInitArgument"/>, which must be literals) and
/// the configuration.
/// </summary>
public sealed class AggregateOverload : FunctionOverload
{
    private readonly Func<AggregateBinding, Aggregator> _factory;

    public AggregateOverload(
        IEnumerable<FunctionParameter> parameters,
        ReturnTypeRule returns,
        Func<AggregateBinding, Aggregator> factory,
        string description = "",
        bool supportsTables = false)
        : base(parameters, returns, description)
    {
        _factory = factory;
        SupportsTables = supportsTables;
    }

    /// <summary>True when the function can aggregate a TABLE (its aggregators implement Undo).</summary>
    public bool SupportsTables { get; }

    /// <summary>The indexes of the parameters that take column values (not initial arguments), in order.</summary>
    public IEnumerable<int> ColumnParameterIndexes => Enumerable.Range(0, Parameters.Length).Where(i => !Parameters[i].IsInitArgument);

    public Aggregator CreateAggregator(AggregateBinding binding) => _factory(binding);
}
