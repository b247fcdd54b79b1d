using System.Globalization;
using System.Reflection;
using Rhei.Formats.Types;
using Rhei.Sql.Functions;
using Rhei.Sql.Functions.Aggregate;

namespace Rhei.Sql.Tests.Functions;

/// <summary>One argument of a test call: how the binder describes it and the value passed at run time.</summary>
internal sealed record Arg(FunctionArgument Argument, object? Value)
{
    public static implicit operator Arg(int v) => FunctionTestKit.A(v);

    public static implicit operator Arg(long v) => FunctionTestKit.A(v);

    public static implicit operator Arg(double v) => FunctionTestKit.A(v);

    public static implicit operator Arg(decimal v) => FunctionTestKit.A(v);

    public static implicit operator Arg(string? v) => FunctionTestKit.A(v);

    public static implicit operator Arg(bool v) => FunctionTestKit.A(v);

    public static implicit operator Arg(byte[] v) => FunctionTestKit.A(v);

    public static implicit operator Arg(DateOnly v) => FunctionTestKit.A(v);

    public static implicit operator Arg(TimeOnly v) => FunctionTestKit.A(v);

    public static implicit operator Arg(DateTime v) => FunctionTestKit.A(v);

    public static implicit operator Arg(List<object?> v) => FunctionTestKit.A(v);

    public static implicit operator Arg(Dictionary<object, object?> v) => FunctionTestKit.A(v);

    public static implicit operator Arg(IntervalUnit v) => new(FunctionArgument.IntervalUnit, v);

    public static implicit operator Arg(SqlStruct v) => FunctionTestKit.A(v);
}

/// <summary>
/// Calls functions the way the expression compiler will: resolve through the registry, convert each
/// argument to its target type, pack variadic arguments, prepend the constants, invoke the MethodInfo.
/// </summary>
internal static class FunctionTestKit
{
    /// <summary>2024-02-29T12:34:56.789Z, the fixed "now" of the test registry.</summary>
    public static readonly DateTimeOffset Now = new(2024, 2, 29, 12, 34, 56, 789, TimeSpan.Zero);

    public static readonly FunctionRegistry Registry = FunctionRegistry.CreateBuiltIn(new FixedClock(Now));

    /// <summary>A bare NULL literal.</summary>
    public static Arg Nul => new(FunctionArgument.Null, null);

    /// <summary>A NULL of a known type (like <c>CAST(NULL AS INT)</c>).</summary>
    public static Arg Null(SqlType type) => new(FunctionArgument.Of(type), null);

    public static Arg A(object? value) => new(FunctionArgument.Of(TypeOf(value)), value);

    public static Arg A(SqlType type, object? value) => new(FunctionArgument.Of(type), value);

    /// <summary>A literal (string literals may coerce to DATE, TIME, TIMESTAMP).</summary>
    public static Arg Lit(object? value) => new(FunctionArgument.Literal(TypeOf(value), value), value);

    public static Arg Lambda(SqlType returnType, Func<object?, object?> f) => new(FunctionArgument.Lambda(1, returnType), f);

    public static Arg Lambda(SqlType returnType, Func<object?, object?, object?> f) => new(FunctionArgument.Lambda(2, returnType), f);

    public static Arg Lambda(SqlType returnType, Func<object?, object?, object?, object?> f) => new(FunctionArgument.Lambda(3, returnType), f);

    public static List<object?> L(params object?[] items) => [.. items];

    public static Dictionary<object, object?> M(params (object Key, object? Value)[] entries)
    {
        var d = new Dictionary<object, object?>();
        foreach (var (k, v) in entries)
        {
            d[k] = v;
        }

        return d;
    }

    public static byte[] B64(string base64) => System.Convert.FromBase64String(base64);

    public static DateTime Ts(long millis) => DateTime.UnixEpoch.AddMilliseconds(millis);

    public static DateOnly Day(int epochDays) => DateOnly.FromDayNumber(719_162 + epochDays);

    public static TimeOnly Tm(long millisOfDay) => new(millisOfDay * TimeSpan.TicksPerMillisecond);

    public static FunctionResolution Resolve(string name, params Arg[] args) =>
        Registry.Resolve(name, [.. args.Select(a => a.Argument)]);

    /// <summary>Resolves and invokes a scalar or table function; rethrows the function's own exception.</summary>
    public static object? Call(string name, params Arg[] args)
    {
        var resolution = Resolve(name, args);
        return Invoke(resolution, args);
    }

    /// <summary>The SQL type a call returns.</summary>
    public static SqlType? TypeOfCall(string name, params Arg[] args) => Resolve(name, args).ReturnType;

    public static object? Invoke(FunctionResolution resolution, Arg[] args)
    {
        var method = resolution.Method ?? throw new InvalidOperationException("Not a scalar or table function.");
        var parameters = method.GetParameters();
        var values = new List<object?>(resolution.ConstantArguments);
        var overload = resolution.Overload;
        var constantCount = resolution.ConstantArguments.Count;
        for (var p = 0; p < overload.Parameters.Length; p++)
        {
            var clr = parameters[constantCount + p].ParameterType;
            var indexes = Enumerable.Range(0, args.Length).Where(i => resolution.ParameterIndexOf(i) == p).ToList();
            if (overload.Parameters[p].IsVariadic)
            {
                var element = clr.GetElementType()!;
                var array = Array.CreateInstance(element, indexes.Count);
                for (var k = 0; k < indexes.Count; k++)
                {
                    array.SetValue(ConvertArg(args[indexes[k]].Value, resolution.ArgumentTargetTypes[indexes[k]]), k);
                }

                values.Add(array);
            }
            else
            {
                var i = indexes.Single();
                values.Add(args[i].Value is Delegate or IntervalUnit ? args[i].Value : ConvertArg(args[i].Value, resolution.ArgumentTargetTypes[i]));
            }
        }

        try
        {
            return method.Invoke(null, [.. values]);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }

    /// <summary>What the compiler's implicit conversions do: numeric widening and string literals to DATE/TIME/TIMESTAMP.</summary>
    public static object? ConvertArg(object? value, SqlType? target)
    {
        if (value is null || target is null)
        {
            return value;
        }

        return (target.BaseType, value) switch
        {
            (SqlBaseType.BigInt, int i) => (long)i,
            (SqlBaseType.Double, int i) => (double)i,
            (SqlBaseType.Double, long l) => (double)l,
            (SqlBaseType.Double, decimal m) => (double)m,
            (SqlBaseType.Decimal, int i) => (decimal)i,
            (SqlBaseType.Decimal, long l) => (decimal)l,
            (SqlBaseType.Date, string s) => DateOnly.ParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture),
            (SqlBaseType.Time, string s) => TimeOnly.Parse(s, CultureInfo.InvariantCulture),
            (SqlBaseType.Timestamp, string s) => DateTime.SpecifyKind(DateTime.Parse(s, CultureInfo.InvariantCulture), DateTimeKind.Utc),
            (SqlBaseType.Array, List<object?> list) when target is SqlArrayType at => list.Select(e => ConvertArg(e, at.ElementType)).ToList(),
            _ => value,
        };
    }

    /// <summary>The SQL type a test value stands for.</summary>
    public static SqlType? TypeOf(object? value) => value switch
    {
        null => null,
        int => SqlTypes.Integer,
        long => SqlTypes.BigInt,
        double => SqlTypes.Double,
        decimal m => DecimalTypeOf(m),
        string => SqlTypes.String,
        bool => SqlTypes.Boolean,
        byte[] => SqlTypes.Bytes,
        DateOnly => SqlTypes.Date,
        TimeOnly => SqlTypes.Time,
        DateTime => SqlTypes.Timestamp,
        List<object?> list => SqlTypes.Array(list.Select(TypeOf).FirstOrDefault(t => t is not null) ?? SqlTypes.String),
        Dictionary<object, object?> map => SqlTypes.Map(
            map.Keys.Select(TypeOf).FirstOrDefault() ?? SqlTypes.String,
            map.Values.Select(TypeOf).FirstOrDefault(t => t is not null) ?? SqlTypes.String),
        SqlStruct s => s.Type,
        _ => throw new ArgumentException($"No SQL type for {value.GetType()}"),
    };

    private static SqlDecimalType DecimalTypeOf(decimal m)
    {
        var scale = m.Scale;
        var digits = Math.Abs(m).ToString(CultureInfo.InvariantCulture).Replace(".", "", StringComparison.Ordinal).TrimStart('0').Length;
        return SqlTypes.Decimal(Math.Max(Math.Max(digits, scale), 1), scale);
    }

    /// <summary>Runs an aggregate over values (each a column value, or an object?[] for several columns) and returns the output after each row.</summary>
    public static List<object?> Aggregate(Aggregator aggregator, IEnumerable<object?> values)
    {
        var acc = aggregator.Initialize();
        var outputs = new List<object?>();
        foreach (var v in values)
        {
            acc = aggregator.Aggregate(v, acc);
            outputs.Add(aggregator.Map(acc));
        }

        return outputs;
    }

    /// <summary>Creates the aggregator for a call (column arguments typed, initial arguments as literals).</summary>
    public static Aggregator CreateAggregator(string name, Arg[] args, IReadOnlyDictionary<string, object?>? config = null)
    {
        var resolution = Resolve(name, args);
        var init = resolution.InitArgumentIndexes.Select(i => args[i].Value).ToList();
        return resolution.CreateAggregator(init, config);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
