namespace Rhei.Sql.Functions.Scalar;

/// <summary>
/// Numeric functions. Every function returns NULL when an argument is NULL. Doubles follow IEEE rules
/// (NaN and infinities come out as Java's Math gives them); DECIMAL results keep the input's scale.
/// </summary>
public static class MathFunctions
{
    private const double DegreesToRadians = 0.017453292519943295;
    private const double RadiansToDegrees = 57.29577951308232;

    public static int? Abs(int? x) => x is { } v ? (v == int.MinValue ? v : Math.Abs(v)) : null;

    public static long? Abs(long? x) => x is { } v ? (v == long.MinValue ? v : Math.Abs(v)) : null;

    public static double? Abs(double? x) => x is { } v ? Math.Abs(v) : null;

    public static decimal? Abs(decimal? x) => x is { } v ? Math.Abs(v) : null;

    public static double? Acos(int? x) => Acos((double?)x);

    public static double? Acos(long? x) => Acos((double?)x);

    public static double? Acos(double? x) => x is { } v ? Math.Acos(v) : null;

    public static double? Asin(int? x) => Asin((double?)x);

    public static double? Asin(long? x) => Asin((double?)x);

    public static double? Asin(double? x) => x is { } v ? Math.Asin(v) : null;

    public static double? Atan(int? x) => Atan((double?)x);

    public static double? Atan(long? x) => Atan((double?)x);

    public static double? Atan(double? x) => x is { } v ? Math.Atan(v) : null;

    public static double? Atan2(double? y, double? x) => y is { } a && x is { } b ? Math.Atan2(a, b) : null;

    public static double? Cbrt(int? x) => Cbrt((double?)x);

    public static double? Cbrt(long? x) => Cbrt((double?)x);

    public static double? Cbrt(double? x) => x is { } v ? Math.Cbrt(v) : null;

    public static int? Ceil(int? x) => x;

    public static long? Ceil(long? x) => x;

    public static double? Ceil(double? x) => x is { } v ? Math.Ceiling(v) : null;

    public static decimal? Ceil(decimal? x) => x is { } v ? Decimals.WithScale(Math.Ceiling(v), v.Scale) : null;

    public static int? Floor(int? x) => x;

    public static long? Floor(long? x) => x;

    public static double? Floor(double? x) => x is { } v ? Math.Floor(v) : null;

    public static decimal? Floor(decimal? x) => x is { } v ? Decimals.WithScale(Math.Floor(v), v.Scale) : null;

    public static double? Cos(int? x) => Cos((double?)x);

    public static double? Cos(long? x) => Cos((double?)x);

    public static double? Cos(double? x) => x is { } v ? Math.Cos(v) : null;

    public static double? Cosh(int? x) => Cosh((double?)x);

    public static double? Cosh(long? x) => Cosh((double?)x);

    public static double? Cosh(double? x) => x is { } v ? Math.Cosh(v) : null;

    public static double? Cot(int? x) => Cot((double?)x);

    public static double? Cot(long? x) => Cot((double?)x);

    public static double? Cot(double? x) => x is { } v ? 1.0 / Math.Tan(v) : null;

    public static double? Degrees(int? x) => Degrees((double?)x);

    public static double? Degrees(long? x) => Degrees((double?)x);

    public static double? Degrees(double? x) => x is { } v ? v * RadiansToDegrees : null;

    public static double? Radians(int? x) => Radians((double?)x);

    public static double? Radians(long? x) => Radians((double?)x);

    public static double? Radians(double? x) => x is { } v ? v * DegreesToRadians : null;

    public static double? Exp(int? x) => Exp((double?)x);

    public static double? Exp(long? x) => Exp((double?)x);

    public static double? Exp(double? x) => x is { } v ? Math.Exp(v) : null;

    public static double? Ln(int? x) => Ln((double?)x);

    public static double? Ln(long? x) => Ln((double?)x);

    public static double? Ln(double? x) => x is { } v ? Math.Log(v) : null;

    public static double? Log(int? x) => Log((double?)x);

    public static double? Log(long? x) => Log((double?)x);

    /// <summary>LOG(value): the natural logarithm (ksqlDB computes <c>Math.log</c> here, whatever its docs say).</summary>
    public static double? Log(double? x) => x is { } v ? Math.Log(v) : null;

    /// <summary>LOG(base, value): NaN for a base that is not positive or is 1, -Infinity for value 0.</summary>
    public static double? Log(double? logBase, double? x)
    {
        if (logBase is not { } b || x is not { } v)
        {
            return null;
        }

        if (b <= 0 || b == 1 || double.IsNaN(b))
        {
            return double.NaN;
        }

        return Math.Log(v) / Math.Log(b);
    }

    public static double? Power(double? b, double? e) => b is { } x && e is { } y ? Math.Pow(x, y) : null;

    public static double? Pi() => Math.PI;

    public static double? Random() => System.Random.Shared.NextDouble();

    public static double? Sin(int? x) => Sin((double?)x);

    public static double? Sin(long? x) => Sin((double?)x);

    public static double? Sin(double? x) => x is { } v ? Math.Sin(v) : null;

    public static double? Sinh(int? x) => Sinh((double?)x);

    public static double? Sinh(long? x) => Sinh((double?)x);

    public static double? Sinh(double? x) => x is { } v ? Math.Sinh(v) : null;

    public static double? Sqrt(int? x) => Sqrt((double?)x);

    public static double? Sqrt(long? x) => Sqrt((double?)x);

    public static double? Sqrt(double? x) => x is { } v ? Math.Sqrt(v) : null;

    public static double? Tan(int? x) => Tan((double?)x);

    public static double? Tan(long? x) => Tan((double?)x);

    public static double? Tan(double? x) => x is { } v ? Math.Tan(v) : null;

    public static double? Tanh(int? x) => Tanh((double?)x);

    public static double? Tanh(long? x) => Tanh((double?)x);

    public static double? Tanh(double? x) => x is { } v ? Math.Tanh(v) : null;

    public static int? Sign(int? x) => x is { } v ? Math.Sign(v) : null;

    public static int? Sign(long? x) => x is { } v ? Math.Sign(v) : null;

    /// <summary>SIGN of a double: -1, 0 or 1 (0 for NaN, as Java's <c>(int) Math.signum</c>).</summary>
    public static int? Sign(double? x) => x is { } v ? (double.IsNaN(v) ? 0 : Math.Sign(v)) : null;

    public static int? Sign(decimal? x) => x is { } v ? Math.Sign(v) : null;

    /// <summary>ROUND(INT) and ROUND(BIGINT) are the value itself.</summary>
    public static int? Round(int? x) => x;

    public static long? Round(long? x) => x;

    /// <summary>ROUND(DOUBLE) → BIGINT, halves toward positive infinity (Java's <c>Math.round</c>).</summary>
    public static long? Round(double? x)
    {
        if (x is not { } v)
        {
            return null;
        }

        if (double.IsNaN(v))
        {
            return 0;
        }

        var f = Math.Floor(v);
        var r = v - f >= 0.5 ? f + 1 : f;
        return r >= 9.2233720368547758E18 ? long.MaxValue : r <= -9.2233720368547758E18 ? long.MinValue : (long)r;
    }

    /// <summary>ROUND(DECIMAL) → DECIMAL(p - s + 1, 0), halves toward positive infinity.</summary>
    public static decimal? Round(decimal? x) => x is { } v ? Decimals.RoundHalfUp(v, 0) : null;

    public static int? Round(int? x, int? places) =>
        x is { } v && places is { } p ? (p >= 0 ? v : (int)Decimals.RoundHalfUp(v, p)) : null;

    public static long? Round(long? x, int? places) =>
        x is { } v && places is { } p ? (p >= 0 ? v : (long)Decimals.RoundHalfUp(v, p)) : null;

    /// <summary>ROUND(DOUBLE, places): the double's shortest decimal form rounded, halves toward positive infinity.</summary>
    public static double? Round(double? x, int? places)
    {
        if (x is not { } v || places is not { } p)
        {
            return null;
        }

        if (double.IsNaN(v) || double.IsInfinity(v))
        {
            return v;
        }

        if (!Decimals.TryFromDouble(v, out var d))
        {
            var scale = Math.Pow(10, p);
            return Math.Floor((v * scale) + 0.5) / scale;
        }

        return (double)Decimals.RoundHalfUp(d, p);
    }

    /// <summary>ROUND(DECIMAL(p, s), places) → DECIMAL(p, s).</summary>
    public static decimal? Round(decimal? x, int? places) =>
        x is { } v && places is { } p ? Decimals.WithScale(Decimals.RoundHalfUp(v, p), v.Scale) : null;

    public static int? Trunc(int? x) => x;

    public static long? Trunc(long? x) => x;

    /// <summary>TRUNC(DOUBLE) → BIGINT, toward zero.</summary>
    public static long? Trunc(double? x) => x is { } v ? (double.IsNaN(v) ? 0 : (long)Math.Clamp(Math.Truncate(v), long.MinValue, long.MaxValue)) : null;

    /// <summary>TRUNC(DECIMAL(p, s)) → DECIMAL(p - s, 0).</summary>
    public static decimal? Trunc(decimal? x) => x is { } v ? Math.Truncate(v) : null;

    public static int? Trunc(int? x, int? places) =>
        x is { } v && places is { } p ? (p >= 0 ? v : (int)Decimals.Truncate(v, p)) : null;

    public static long? Trunc(long? x, int? places) =>
        x is { } v && places is { } p ? (p >= 0 ? v : (long)Decimals.Truncate(v, p)) : null;

    public static double? Trunc(double? x, int? places)
    {
        if (x is not { } v || places is not { } p)
        {
            return null;
        }

        if (double.IsNaN(v) || double.IsInfinity(v))
        {
            return v;
        }

        if (!Decimals.TryFromDouble(v, out var d))
        {
            var scale = Math.Pow(10, p);
            return Math.Truncate(v * scale) / scale;
        }

        return (double)Decimals.Truncate(d, p);
    }

    public static decimal? Trunc(decimal? x, int? places) =>
        x is { } v && places is { } p ? Decimals.WithScale(Decimals.Truncate(v, p), v.Scale) : null;

    public static int? Greatest(int? first, int?[] rest) => Extreme(first, rest, +1);

    public static long? Greatest(long? first, long?[] rest) => Extreme(first, rest, +1);

    public static double? Greatest(double? first, double?[] rest) => ExtremeDouble(first, rest, +1);

    public static decimal? Greatest(decimal? first, decimal?[] rest) => Extreme(first, rest, +1);

    public static string? Greatest(string? first, string?[] rest) => ExtremeObject(first, rest, +1);

    public static byte[]? Greatest(byte[]? first, byte[]?[] rest) => ExtremeObject(first, rest, +1);

    public static DateOnly? Greatest(DateOnly? first, DateOnly?[] rest) => Extreme(first, rest, +1);

    public static TimeOnly? Greatest(TimeOnly? first, TimeOnly?[] rest) => Extreme(first, rest, +1);

    public static DateTime? Greatest(DateTime? first, DateTime?[] rest) => Extreme(first, rest, +1);

    public static int? Least(int? first, int?[] rest) => Extreme(first, rest, -1);

    public static long? Least(long? first, long?[] rest) => Extreme(first, rest, -1);

    public static double? Least(double? first, double?[] rest) => ExtremeDouble(first, rest, -1);

    public static decimal? Least(decimal? first, decimal?[] rest) => Extreme(first, rest, -1);

    public static string? Least(string? first, string?[] rest) => ExtremeObject(first, rest, -1);

    public static byte[]? Least(byte[]? first, byte[]?[] rest) => ExtremeObject(first, rest, -1);

    public static DateOnly? Least(DateOnly? first, DateOnly?[] rest) => Extreme(first, rest, -1);

    public static TimeOnly? Least(TimeOnly? first, TimeOnly?[] rest) => Extreme(first, rest, -1);

    public static DateTime? Least(DateTime? first, DateTime?[] rest) => Extreme(first, rest, -1);

    /// <summary>The largest (sign +1) or smallest (-1) non-null value; NULL when all are NULL.</summary>
    private static T? Extreme<T>(T? first, T?[] rest, int sign)
        where T : struct, IComparable<T>
    {
        T? best = first;
        foreach (var v in rest)
        {
            if (v is { } x && (best is not { } b || (x.CompareTo(b) * sign) > 0))
            {
                best = x;
            }
        }

        return best;
    }

    /// <summary>Doubles in Java's order: NaN above everything, -0.0 below 0.0.</summary>
    private static double? ExtremeDouble(double? first, double?[] rest, int sign)
    {
        var best = first;
        foreach (var v in rest)
        {
            if (v is { } x && (best is not { } b || (Runtime.SqlValueOrder.CompareDoubles(x, b) * sign) > 0))
            {
                best = x;
            }
        }

        return best;
    }

    private static T? ExtremeObject<T>(T? first, T?[] rest, int sign)
        where T : class
    {
        var best = first;
        foreach (var v in rest)
        {
            if (v is not null && (best is null || (Runtime.SqlValueOrder.Instance.Compare(v, best) * sign) > 0))
            {
                best = v;
            }
        }

        return best;
    }

    /// <summary>GEO_DISTANCE in kilometers.</summary>
    public static double? GeoDistance(double? lat1, double? lon1, double? lat2, double? lon2) =>
        GeoDistance(lat1, lon1, lat2, lon2, "KM");

    /// <summary>
    /// The great-circle (haversine) distance between two points given in decimal degrees, in KM (the
    /// default; also KILOMETERS) or MI (MILES). Throws for out-of-range coordinates or an unknown unit.
    /// </summary>
    public static double? GeoDistance(double? lat1, double? lon1, double? lat2, double? lon2, string? unit)
    {
        if (lat1 is not { } a1 || lon1 is not { } o1 || lat2 is not { } a2 || lon2 is not { } o2)
        {
            return null;
        }

        var radius = (unit ?? "KM").Trim().ToUpperInvariant() switch
        {
            "KM" or "KMS" or "KILOMETER" or "KILOMETERS" or "KILOMETRE" or "KILOMETRES" => 6371.0,
            "MI" or "MILE" or "MILES" => 3959.0,
            _ => throw new SqlFunctionException($"GeoDistance function expects the unit parameter to be KM or MI, got '{unit}'."),
        };
        if (a1 is < -90 or > 90 || a2 is < -90 or > 90 || o1 is < -180 or > 180 || o2 is < -180 or > 180)
        {
            throw new SqlFunctionException("valid latitude values for GeoDistance function are in the range of -90 to 90 decimal degrees, and valid longitude values are in the range of -180 to 180 decimal degrees.");
        }

        // Degrees to radians as x / 180 * PI, and this order of operations, give ksqlDB's exact doubles.
        var deltaLat = (a2 - a1) / 180.0 * Math.PI;
        var deltaLon = (o2 - o1) / 180.0 * Math.PI;
        var sinLat = Math.Sin(deltaLat / 2);
        var sinLon = Math.Sin(deltaLon / 2);
        var h = (sinLat * sinLat) + (sinLon * sinLon * Math.Cos(a1 / 180.0 * Math.PI) * Math.Cos(a2 / 180.0 * Math.PI));
        return 2 * radius * Math.Asin(Math.Sqrt(h));
    }
}
