using Rhei.Formats.Types;

namespace Rhei.Sql.Functions.Aggregate;

/// <summary>
/// One aggregate function call in one query, bound to its types and initial arguments. The runtime
/// keeps one accumulator per group (and window) in its state store, serialized with
/// <see cref="AccumulatorType"/>:
/// <list type="bullet">
/// <item><see cref="Initialize"/> gives the accumulator of an empty group;</item>
/// <item><see cref="Aggregate"/> folds one row's value in (for a call with several column arguments,
/// such as CORRELATION(x, y) or TOPK(col, other, 3), the value is an <c>object?[]</c> of the column
/// arguments in order);</item>
/// <item><see cref="Undo"/> takes a row's old value back out when a TABLE row changes or is deleted
/// (only when <see cref="CanUndo"/>);</item>
/// <item><see cref="Merge"/> combines the accumulators of two session windows;</item>
/// <item><see cref="Map"/> turns an accumulator into the output value.</item>
/// </list>
/// Aggregate, Undo and Merge may modify the accumulators they are given and return one of them;
/// Map always returns a value that shares nothing mutable with the accumulator.
/// </summary>
public abstract class Aggregator
{
    protected Aggregator(SqlType returnType, SqlType accumulatorType)
    {
        ReturnType = returnType;
        AccumulatorType = accumulatorType;
    }

    /// <summary>The SQL type of <see cref="Map"/>'s result.</summary>
    public SqlType ReturnType { get; }

    /// <summary>The SQL type of the accumulator, for the state store's serde (a STRUCT for AVG's sum and count).</summary>
    public SqlType AccumulatorType { get; }

    /// <summary>True when the function can aggregate a TABLE, i.e. <see cref="Undo"/> is supported.</summary>
    public virtual bool CanUndo => false;

    public abstract object? Initialize();

    public abstract object? Aggregate(object? value, object? accumulator);

    public abstract object? Merge(object? left, object? right);

    public abstract object? Map(object? accumulator);

    public virtual object? Undo(object? value, object? accumulator) =>
        throw new NotSupportedException($"{GetType().Name} cannot aggregate a table.");
}

/// <summary>What an aggregate overload's factory gets: the bound call, the initial arguments' values and the configuration.</summary>
public sealed class AggregateBinding
{
    public AggregateBinding(
        BoundSignature signature,
        IReadOnlyList<int> columnArgumentIndexes,
        IReadOnlyList<object?> initArguments,
        IReadOnlyDictionary<string, object?> config,
        SqlType returnType)
    {
        Signature = signature;
        ColumnArgumentIndexes = columnArgumentIndexes;
        InitArguments = initArguments;
        Config = config;
        ReturnType = returnType;
    }

    public BoundSignature Signature { get; }

    /// <summary>The argument indexes of the column arguments, in the order their values are fed.</summary>
    public IReadOnlyList<int> ColumnArgumentIndexes { get; }

    /// <summary>The values of the initial arguments (literal constants), in argument order.</summary>
    public IReadOnlyList<object?> InitArguments { get; }

    public IReadOnlyDictionary<string, object?> Config { get; }

    public SqlType ReturnType { get; }

    public int ColumnCount => ColumnArgumentIndexes.Count;

    /// <summary>The (coerced) type of column argument <paramref name="k"/>.</summary>
    public SqlType ColumnType(int k) =>
        Signature.TargetTypes[ColumnArgumentIndexes[k]] ?? Signature.ArgumentType(ColumnArgumentIndexes[k])
        ?? throw new FunctionResolutionException($"Can't infer the type of argument {ColumnArgumentIndexes[k] + 1} of {Signature.Overload.Function.Name}.");

    /// <summary>Initial argument <paramref name="k"/> as an int (literal INT or BIGINT).</summary>
    public int IntArgument(int k) => InitArguments[k] switch
    {
        int i => i,
        long l => checked((int)l),
        decimal m => (int)m,
        null => throw new FunctionResolutionException($"{Signature.Overload.Function.Name}: initial argument {k + 1} must not be null."),
        var o => Convert.ToInt32(o, System.Globalization.CultureInfo.InvariantCulture),
    };

    public bool BoolArgument(int k) => InitArguments[k] is bool b
        ? b
        : throw new FunctionResolutionException($"{Signature.Overload.Function.Name}: initial argument {k + 1} must be a BOOLEAN literal.");

    /// <summary>A positive integer setting (for example <c>ksql.functions.collect_list.limit</c>), or the default.</summary>
    public int ConfigInt(string key, int defaultValue)
    {
        if (!Config.TryGetValue(key, out var v) || v is null)
        {
            return defaultValue;
        }

        return v switch
        {
            int i => i,
            long l => (int)Math.Clamp(l, int.MinValue, int.MaxValue),
            string s when int.TryParse(s, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var p) => p,
            _ => Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture),
        };
    }
}

/// <summary>An aggregator made of delegates, for functions added from outside (test UDAFs).</summary>
public sealed class DelegateAggregator : Aggregator
{
    private readonly Func<object?> _initialize;
    private readonly Func<object?, object?, object?> _aggregate;
    private readonly Func<object?, object?, object?> _merge;
    private readonly Func<object?, object?> _map;
    private readonly Func<object?, object?, object?>? _undo;

    public DelegateAggregator(
        SqlType returnType,
        SqlType accumulatorType,
        Func<object?> initialize,
        Func<object?, object?, object?> aggregate,
        Func<object?, object?, object?> merge,
        Func<object?, object?> map,
        Func<object?, object?, object?>? undo = null)
        : base(returnType, accumulatorType)
    {
        _initialize = initialize;
        _aggregate = aggregate;
        _merge = merge;
        _map = map;
        _undo = undo;
    }

    public override bool CanUndo => _undo is not null;

    public override object? Initialize() => _initialize();

    public override object? Aggregate(object? value, object? accumulator) => _aggregate(value, accumulator);

    public override object? Merge(object? left, object? right) => _merge(left, right);

    public override object? Map(object? accumulator) => _map(accumulator);

    public override object? Undo(object? value, object? accumulator) =>
        _undo is null ? base.Undo(value, accumulator) : _undo(value, accumulator);
}
