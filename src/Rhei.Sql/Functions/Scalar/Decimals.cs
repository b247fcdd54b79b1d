using System.Globalization;

namespace Rhei.Sql.Functions.Scalar;

/// <summary>Decimal helpers: Java-style rounding (halves toward positive infinity), scale handling and checked precision.</summary>
public static class Decimals
{
    private static readonly decimal[] Powers = BuildPowers();

    private static decimal[] BuildPowers()
    {
        var p = new decimal[29];
        p[0] = 1m;
        for (var i = 1; i < p.Length; i++)
        {
            p[i] = p[i - 1] * 10m;
        }

        return p;
    }

    /// <summary>10^n for 0 ≤ n ≤ 28.</summary>
    public static decimal Pow10(int n) => Powers[n];

    /// <summary>The value with at least/at most <paramref name="scale"/> fraction digits (adds trailing zeros, or rounds half up).</summary>
    public static decimal WithScale(decimal value, int scale)
    {
        scale = Math.Clamp(scale, 0, 28);
        if (value.Scale == scale)
        {
            return value;
        }

        if (value.Scale > scale)
        {
            return RoundHalfUp(value, scale);
        }

        return value + new decimal(0, 0, 0, false, (byte)scale);
    }

    /// <summary>Rounds to <paramref name="places"/> fraction digits (negative: to tens, hundreds...), halves toward positive infinity.</summary>
    public static decimal RoundHalfUp(decimal value, int places)
    {
        if (places >= 0)
        {
            if (places >= value.Scale)
            {
                return value;
            }

            var scaled = Shift(value, places);
            var floor = Math.Floor(scaled);
            var rounded = scaled - floor >= 0.5m ? floor + 1 : floor;
            return Unshift(rounded, places);
        }

        if (-places > 28)
        {
            return 0m;
        }

        var divisor = Pow10(-places);
        var q = value / divisor;
        var f = Math.Floor(q);
        var r = q - f >= 0.5m ? f + 1 : f;
        return r * divisor;
    }

    /// <summary>Truncates (toward zero) to <paramref name="places"/> fraction digits (negative: to tens, hundreds...).</summary>
    public static decimal Truncate(decimal value, int places)
    {
        if (places >= 0)
        {
            return places >= value.Scale ? value : Unshift(Math.Truncate(Shift(value, places)), places);
        }

        if (-places > 28)
        {
            return 0m;
        }

        var divisor = Pow10(-places);
        return Math.Truncate(value / divisor) * divisor;
    }

    private static decimal Shift(decimal value, int places) => places == 0 ? value : value * Pow10(Math.Min(places, 28));

    private static decimal Unshift(decimal value, int places) => places == 0 ? value : value / Pow10(Math.Min(places, 28));

    /// <summary>A double as the decimal of its shortest text (Java's <c>BigDecimal.valueOf(double)</c>); false when out of range.</summary>
    public static bool TryFromDouble(double value, out decimal result) =>
        decimal.TryParse(value.ToString("R", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture, out result);

    /// <summary>The number of significant integer digits (digits left of the point) of a value.</summary>
    public static int IntegerDigits(decimal value)
    {
        var t = Math.Abs(Math.Truncate(value));
        var digits = 0;
        while (t >= 1)
        {
            t = Math.Truncate(t / 10);
            digits++;
        }

        return digits;
    }

    /// <summary>
    /// Checks that a value fits DECIMAL(precision, scale) after rounding to the scale; throws ksqlDB's
    /// <c>Numeric field overflow</c> otherwise.
    /// </summary>
    public static decimal EnsureFits(decimal value, int precision, int scale)
    {
        var rounded = WithScale(value, scale);
        if (IntegerDigits(rounded) > precision - scale)
        {
            throw new SqlFunctionException("Numeric field overflow");
        }

        return rounded;
    }
}
