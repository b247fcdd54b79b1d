using Rhei.Formats.Types;
using Rhei.Sql.Functions.Runtime;
using Rhei.Sql.Functions.Scalar;

namespace Rhei.Sql.Functions.Aggregate;

/// <summary>COUNT(col): rows where the value is not NULL (COUNT(*) is compiled as COUNT(ROWTIME)).</summary>
public sealed class CountAggregator() : Aggregator(SqlTypes.BigInt, SqlTypes.BigInt)
{
    public override bool CanUndo => true;

    public override object? Initialize() => 0L;

    public override object? Aggregate(object? value, object? accumulator) => value is null ? accumulator : (long)accumulator! + 1;

    public override object? Undo(object? value, object? accumulator) => value is null ? accumulator : (long)accumulator! - 1;

    public override object? Merge(object? left, object? right) => (long)left! + (long)right!;

    public override object? Map(object? accumulator) => accumulator;
}

/// <summary>SUM of INT (wrapping on overflow, as Java ints do), BIGINT, DOUBLE or DECIMAL(p, s) (overflow is an error); NULLs are skipped, an empty sum is 0.</summary>
public sealed class SumAggregator : Aggregator
{
    private readonly SqlDecimalType? _decimal;

    public SumAggregator(SqlType type)
        : base(type, type)
    {
        _decimal = type as SqlDecimalType;
    }

    public override bool CanUndo => true;

    public override object? Initialize() => Zero(ReturnType);

    internal static object Zero(SqlType type) => type.BaseType switch
    {
        SqlBaseType.Integer => 0,
        SqlBaseType.BigInt => 0L,
        SqlBaseType.Double => 0.0,
        SqlBaseType.Decimal => 0m,
        _ => throw new ArgumentException($"SUM does not support {type}.", nameof(type)),
    };

    public override object? Aggregate(object? value, object? accumulator) => value is null ? accumulator : Add(accumulator, value, 1);

    public override object? Undo(object? value, object? accumulator) => value is null ? accumulator : Add(accumulator, value, -1);

    public override object? Merge(object? left, object? right) => Add(left, right!, 1);

    public override object? Map(object? accumulator) => accumulator;

    private object Add(object? accumulator, object value, int sign)
    {
        try
        {
            return accumulator switch
            {
                int a => unchecked(a + (sign * (int)value)),
                long a => unchecked(a + (sign * (long)value)),
                double a => a + (sign * (double)value),
                decimal a => Decimals.EnsureFits(a + (sign * (decimal)value), _decimal!.Precision, _decimal.Scale),
                _ => Zero(ReturnType),
            };
        }
        catch (OverflowException e)
        {
            throw new SqlFunctionException("Numeric field overflow", e);
        }
    }
}

/// <summary>SUM_LIST: the sum of all elements of every array (INT, BIGINT or DOUBLE elements); NULL arrays and elements are skipped.</summary>
public sealed class SumListAggregator(SqlType elementType) : Aggregator(elementType, elementType)
{
    private readonly SumAggregator _sum = new(elementType);

    public override bool CanUndo => true;

    public override object? Initialize() => _sum.Initialize();

    public override object? Aggregate(object? value, object? accumulator)
    {
        if (value is List<object?> list)
        {
            foreach (var e in list)
            {
                accumulator = _sum.Aggregate(e, accumulator);
            }
        }

        return accumulator;
    }

    public override object? Undo(object? value, object? accumulator)
    {
        if (value is List<object?> list)
        {
            foreach (var e in list)
            {
                accumulator = _sum.Undo(e, accumulator);
            }
        }

        return accumulator;
    }

    public override object? Merge(object? left, object? right) => _sum.Merge(left, right);

    public override object? Map(object? accumulator) => accumulator;
}

/// <summary>AVG: the mean of the non-NULL values as a DOUBLE (0.0 for none); the accumulator is STRUCT&lt;SUM, COUNT&gt;.</summary>
public sealed class AverageAggregator : Aggregator
{
    private readonly SqlStructType _state;
    private readonly SqlType _sumType;

    public AverageAggregator(SqlType inputType)
        : base(SqlTypes.Double, State(SumTypeOf(inputType)))
    {
        _state = (SqlStructType)AccumulatorType;
        _sumType = _state.Fields[0].Type;
    }

    private static SqlType SumTypeOf(SqlType input) => input.BaseType switch
    {
        SqlBaseType.Integer or SqlBaseType.BigInt => SqlTypes.BigInt,
        SqlBaseType.Double => SqlTypes.Double,
        SqlBaseType.Decimal => SqlTypes.Decimal(ImplicitCasts.MaxDecimalPrecision, ((SqlDecimalType)input).Scale),
        _ => throw new ArgumentException($"AVG does not support {input}.", nameof(input)),
    };

    private static SqlStructType State(SqlType sumType) =>
        SqlTypes.Struct(new SqlField("SUM", sumType), new SqlField("COUNT", SqlTypes.BigInt));

    public override bool CanUndo => true;

    public override object? Initialize() => new SqlStruct(_state, [SumAggregator.Zero(_sumType), 0L]);

    public override object? Aggregate(object? value, object? accumulator) => value is null ? accumulator : Step(accumulator, value, 1);

    public override object? Undo(object? value, object? accumulator) => value is null ? accumulator : Step(accumulator, value, -1);

    private SqlStruct Step(object? accumulator, object value, int sign)
    {
        var acc = (SqlStruct)accumulator!;
        object sum = acc[0] switch
        {
            long s => s + (sign * Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)),
            double s => s + (sign * (double)value),
            decimal s => s + (sign * (decimal)value),
            _ => throw new InvalidOperationException("Corrupt AVG accumulator."),
        };
        return new SqlStruct(_state, [sum, (long)acc[1]! + sign]);
    }

    public override object? Merge(object? left, object? right)
    {
        var a = (SqlStruct)left!;
        var b = (SqlStruct)right!;
        object sum = a[0] switch
        {
            long s => s + (long)b[0]!,
            double s => s + (double)b[0]!,
            decimal s => s + (decimal)b[0]!,
            _ => throw new InvalidOperationException("Corrupt AVG accumulator."),
        };
        return new SqlStruct(_state, [sum, (long)a[1]! + (long)b[1]!]);
    }

    public override object? Map(object? accumulator)
    {
        var acc = (SqlStruct)accumulator!;
        var count = (long)acc[1]!;
        if (count == 0)
        {
            return 0.0;
        }

        return acc[0] switch
        {
            long s => s / (double)count,
            double s => s / count,
            decimal s => (double)(s / count),
            _ => throw new InvalidOperationException("Corrupt AVG accumulator."),
        };
    }
}

/// <summary>MIN or MAX of the non-NULL values of an ordered type (NULL when there are none).</summary>
public sealed class ExtremeAggregator(SqlType type, bool max) : Aggregator(type, type)
{
    private readonly int _sign = max ? 1 : -1;

    public override object? Initialize() => null;

    public override object? Aggregate(object? value, object? accumulator) =>
        value is null ? accumulator : accumulator is null || SqlValueOrder.Instance.Compare(value, accumulator) * _sign > 0 ? value : accumulator;

    public override object? Merge(object? left, object? right) => Aggregate(right, left);

    public override object? Map(object? accumulator) => accumulator;
}

/// <summary>
/// ATTR: the value when every row of the group has the same value (NULL counts as a value), else NULL.
/// The accumulator counts each distinct value: ARRAY&lt;STRUCT&lt;VALUE, COUNT&gt;&gt;.
/// </summary>
public sealed class AttrAggregator : Aggregator
{
    private readonly SqlStructType _entry;

    public AttrAggregator(SqlType type)
        : base(type, SqlTypes.Array(SqlTypes.Struct(new SqlField("VALUE", type), new SqlField("COUNT", SqlTypes.Integer))))
    {
        _entry = (SqlStructType)((SqlArrayType)AccumulatorType).ElementType;
    }

    public override bool CanUndo => true;

    public override object? Initialize() => new List<object?>();

    public override object? Aggregate(object? value, object? accumulator) => Add((List<object?>)accumulator!, value, 1);

    public override object? Undo(object? value, object? accumulator) => Add((List<object?>)accumulator!, value, -1);

    private List<object?> Add(List<object?> entries, object? value, int delta)
    {
        for (var i = 0; i < entries.Count; i++)
        {
            var e = (SqlStruct)entries[i]!;
            if (SqlValueComparer.Instance.Equals(e[0], value))
            {
                var count = (int)e[1]! + delta;
                if (count <= 0)
                {
                    entries.RemoveAt(i);
                }
                else
                {
                    entries[i] = new SqlStruct(_entry, [e[0], count]);
                }

                return entries;
            }
        }

        if (delta > 0)
        {
            entries.Add(new SqlStruct(_entry, [value, delta]));
        }

        return entries;
    }

    public override object? Merge(object? left, object? right)
    {
        var result = (List<object?>)left!;
        foreach (var o in (List<object?>)right!)
        {
            var e = (SqlStruct)o!;
            Add(result, e[0], (int)e[1]!);
        }

        return result;
    }

    public override object? Map(object? accumulator) =>
        accumulator is List<object?> { Count: 1 } entries ? ((SqlStruct)entries[0]!)[0] : null;
}
