using Rhei.Formats.Types;

namespace Rhei.Sql.Functions.Aggregate;

/// <summary>
/// STDDEV_SAMP (the sample variance, as ksqlDB's function returns) and STDDEV_SAMPLE (the sample standard
/// deviation) of INT, BIGINT or DOUBLE values; 0.0 for fewer than two values. The accumulator is
/// STRUCT&lt;SUM, COUNT BIGINT, M2 DOUBLE&gt; updated incrementally (M2 is the sum of squared deviations).
/// </summary>
public sealed class StandardDeviationAggregator : Aggregator
{
    private readonly SqlStructType _state;
    private readonly bool _squareRoot;

    public StandardDeviationAggregator(SqlType inputType, bool squareRoot)
        : base(SqlTypes.Double, State(inputType))
    {
        _state = (SqlStructType)AccumulatorType;
        _squareRoot = squareRoot;
    }

    private static SqlStructType State(SqlType input) => SqlTypes.Struct(
        new SqlField("SUM", input.BaseType == SqlBaseType.Double ? SqlTypes.Double : SqlTypes.BigInt),
        new SqlField("COUNT", SqlTypes.BigInt),
        new SqlField("M2", SqlTypes.Double));

    private bool IsDouble => _state.Fields[0].Type.BaseType == SqlBaseType.Double;

    public override bool CanUndo => true;

    public override object? Initialize() => new SqlStruct(_state, [IsDouble ? 0.0 : 0L, 0L, 0.0]);

    public override object? Aggregate(object? value, object? accumulator)
    {
        if (value is null)
        {
            return accumulator;
        }

        var acc = (SqlStruct)accumulator!;
        var x = ToDouble(value);
        var count = (long)acc[1]! + 1;
        var sum = AddSum(acc[0], value, 1);
        var m2 = (double)acc[2]!;
        if (count > 1)
        {
            var d = (count * x) - ToDouble(sum);
            m2 += d * d / (count * (double)(count - 1));
        }

        return new SqlStruct(_state, [sum, count, m2]);
    }

    public override object? Undo(object? value, object? accumulator)
    {
        if (value is null)
        {
            return accumulator;
        }

        var acc = (SqlStruct)accumulator!;
        var count = (long)acc[1]!;
        if (count <= 1)
        {
            return Initialize();
        }

        var x = ToDouble(value);
        var d = (count * x) - ToDouble(acc[0]!);
        var m2 = (double)acc[2]! - (d * d / (count * (double)(count - 1)));
        return new SqlStruct(_state, [AddSum(acc[0], value, -1), count - 1, Math.Max(m2, 0.0)]);
    }

    public override object? Merge(object? left, object? right)
    {
        var a = (SqlStruct)left!;
        var b = (SqlStruct)right!;
        var na = (long)a[1]!;
        var nb = (long)b[1]!;
        if (na == 0)
        {
            return b;
        }

        if (nb == 0)
        {
            return a;
        }

        var delta = (ToDouble(b[0]!) / nb) - (ToDouble(a[0]!) / na);
        var m2 = (double)a[2]! + (double)b[2]! + (delta * delta * na * nb / (na + nb));
        return new SqlStruct(_state, [AddSum(a[0], b[0]!, 1), na + nb, m2]);
    }

    public override object? Map(object? accumulator)
    {
        var acc = (SqlStruct)accumulator!;
        var count = (long)acc[1]!;
        if (count < 2)
        {
            return 0.0;
        }

        var variance = (double)acc[2]! / (count - 1);
        return _squareRoot ? Math.Sqrt(variance) : variance;
    }

    private static object AddSum(object? sum, object value, int sign) => sum switch
    {
        double s => s + (sign * ToDouble(value)),
        long s => unchecked(s + (sign * Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture))),
        _ => throw new InvalidOperationException("Corrupt STDDEV accumulator."),
    };

    private static double ToDouble(object value) => Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// CORRELATION(x, y): the Pearson correlation coefficient of the rows where both are non-NULL (NaN for
/// fewer than two such rows or a constant column). The accumulator holds the running sums.
/// </summary>
public sealed class CorrelationAggregator() : Aggregator(SqlTypes.Double, StateType)
{
    private static readonly SqlStructType StateType = SqlTypes.Struct(
        new SqlField("X_SUM", SqlTypes.Double),
        new SqlField("Y_SUM", SqlTypes.Double),
        new SqlField("X_SQUARED_SUM", SqlTypes.Double),
        new SqlField("Y_SQUARED_SUM", SqlTypes.Double),
        new SqlField("XY_SUM", SqlTypes.Double),
        new SqlField("COUNT", SqlTypes.BigInt));

    public override bool CanUndo => true;

    public override object? Initialize() => new SqlStruct(StateType, [0.0, 0.0, 0.0, 0.0, 0.0, 0L]);

    public override object? Aggregate(object? value, object? accumulator) => Step(value, accumulator, 1);

    public override object? Undo(object? value, object? accumulator) => Step(value, accumulator, -1);

    private static object? Step(object? value, object? accumulator, int sign)
    {
        var pair = (object?[])value!;
        if (pair[0] is null || pair[1] is null)
        {
            return accumulator;
        }

        var x = Convert.ToDouble(pair[0], System.Globalization.CultureInfo.InvariantCulture);
        var y = Convert.ToDouble(pair[1], System.Globalization.CultureInfo.InvariantCulture);
        var a = (SqlStruct)accumulator!;
        return new SqlStruct(StateType,
        [
            (double)a[0]! + (sign * x),
            (double)a[1]! + (sign * y),
            (double)a[2]! + (sign * x * x),
            (double)a[3]! + (sign * y * y),
            (double)a[4]! + (sign * x * y),
            (long)a[5]! + sign,
        ]);
    }

    public override object? Merge(object? left, object? right)
    {
        var a = (SqlStruct)left!;
        var b = (SqlStruct)right!;
        return new SqlStruct(StateType,
        [
            (double)a[0]! + (double)b[0]!,
            (double)a[1]! + (double)b[1]!,
            (double)a[2]! + (double)b[2]!,
            (double)a[3]! + (double)b[3]!,
            (double)a[4]! + (double)b[4]!,
            (long)a[5]! + (long)b[5]!,
        ]);
    }

    public override object? Map(object? accumulator)
    {
        var a = (SqlStruct)accumulator!;
        var n = (double)(long)a[5]!;
        var sx = (double)a[0]!;
        var sy = (double)a[1]!;
        var numerator = (n * (double)a[4]!) - (sx * sy);
        var denominator = Math.Sqrt(((n * (double)a[2]!) - (sx * sx)) * ((n * (double)a[3]!) - (sy * sy)));
        return numerator / denominator;
    }
}
