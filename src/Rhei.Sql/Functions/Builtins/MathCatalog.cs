using Rhei.Formats.Types;
using Rhei.Sql.Functions.Scalar;
using static Rhei.Sql.Functions.Builtins.FunctionBuilder;

namespace Rhei.Sql.Functions.Builtins;

/// <summary>The numeric built-ins.</summary>
internal static class MathCatalog
{
    private static readonly ParamType I = ParamType.Integer;
    private static readonly ParamType L = ParamType.BigInt;
    private static readonly ParamType D = ParamType.Double;
    private static readonly ParamType Dec = ParamType.Decimal;

    public static void Register(FunctionRegistry r)
    {
        Scalar("ABS", "Returns the absolute value of its argument.")
            .Add("Abs", SqlTypes.Integer, P("col1", I))
            .Add("Abs", SqlTypes.BigInt, P("col1", L))
            .Add("Abs", SqlTypes.Double, P("col1", D))
            .Add("Abs", ReturnTypeRule.ArgumentType(0, "DECIMAL"), P("col1", Dec))
            .Register(r);

        DoubleOfNumber(r, "ACOS", "Acos", "Returns the inverse (arc) cosine of its argument, in radians; NaN outside [-1, 1].");
        DoubleOfNumber(r, "ASIN", "Asin", "Returns the inverse (arc) sine of its argument, in radians; NaN outside [-1, 1].");
        DoubleOfNumber(r, "ATAN", "Atan", "Returns the inverse (arc) tangent of its argument, in radians.");
        DoubleOfNumber(r, "CBRT", "Cbrt", "Returns the cube root of its argument.");
        DoubleOfNumber(r, "COS", "Cos", "Returns the cosine of an angle given in radians.");
        DoubleOfNumber(r, "COSH", "Cosh", "Returns the hyperbolic cosine of its argument.");
        DoubleOfNumber(r, "COT", "Cot", "Returns the cotangent of an angle given in radians.");
        DoubleOfNumber(r, "DEGREES", "Degrees", "Converts an angle in radians to degrees.");
        DoubleOfNumber(r, "EXP", "Exp", "Returns e raised to the power of its argument.");
        DoubleOfNumber(r, "LN", "Ln", "Returns the natural logarithm of its argument.");
        DoubleOfNumber(r, "RADIANS", "Radians", "Converts an angle in degrees to radians.");
        DoubleOfNumber(r, "SIN", "Sin", "Returns the sine of an angle given in radians.");
        DoubleOfNumber(r, "SINH", "Sinh", "Returns the hyperbolic sine of its argument.");
        DoubleOfNumber(r, "SQRT", "Sqrt", "Returns the square root of its argument.");
        DoubleOfNumber(r, "TAN", "Tan", "Returns the tangent of an angle given in radians.");
        DoubleOfNumber(r, "TANH", "Tanh", "Returns the hyperbolic tangent of its argument.");

        Scalar("ATAN2", "Returns the angle theta of the point (x, y) in polar coordinates, in radians.")
            .Add("Atan2", SqlTypes.Double, P("y", D), P("x", D))
            .Register(r);

        Scalar("CEIL", "Returns the smallest integer value not less than its argument.")
            .Add("Ceil", SqlTypes.Integer, P("col1", I))
            .Add("Ceil", SqlTypes.BigInt, P("col1", L))
            .Add("Ceil", SqlTypes.Double, P("col1", D))
            .Add("Ceil", ReturnTypeRule.ArgumentType(0, "DECIMAL"), P("col1", Dec))
            .Register(r);

        Scalar("FLOOR", "Returns the largest integer value not greater than its argument.")
            .Add("Floor", SqlTypes.Integer, P("col1", I))
            .Add("Floor", SqlTypes.BigInt, P("col1", L))
            .Add("Floor", SqlTypes.Double, P("col1", D))
            .Add("Floor", ReturnTypeRule.ArgumentType(0, "DECIMAL"), P("col1", Dec))
            .Register(r);

        Scalar("LOG", "Returns the logarithm of a value: natural with one argument (as ksqlDB computes it), or in a given base.")
            .Add("Log", SqlTypes.Double, P("value", I))
            .Add("Log", SqlTypes.Double, P("value", L))
            .Add("Log", SqlTypes.Double, P("value", D))
            .Add("Log", SqlTypes.Double, P("base", D), P("value", D))
            .Register(r);

        Scalar("POWER", "Returns a base raised to an exponent.")
            .Add("Power", SqlTypes.Double, P("base", D), P("exponent", D))
            .Register(r);

        Scalar("PI", "Returns an approximation of pi.").Add("Pi", SqlTypes.Double).Register(r);

        Scalar("RANDOM", "Returns a random DOUBLE between 0.0 (inclusive) and 1.0 (exclusive).").Add("Random", SqlTypes.Double).Register(r);

        Scalar("SIGN", "Returns the sign of its argument as an INTEGER: -1, 0 or 1.")
            .Add("Sign", SqlTypes.Integer, P("col1", I))
            .Add("Sign", SqlTypes.Integer, P("col1", L))
            .Add("Sign", SqlTypes.Integer, P("col1", D))
            .Add("Sign", SqlTypes.Integer, P("col1", Dec))
            .Register(r);

        var roundDecimal = ReturnTypeRule.Computed("DECIMAL", b =>
        {
            var d = ImplicitCasts.AsDecimal(b.TypeOf(0));
            return SqlTypes.Decimal(Math.Clamp(d.Precision - d.Scale + 1, 1, ImplicitCasts.MaxDecimalPrecision), 0);
        });
        Scalar("ROUND", "Rounds a value to a number of decimal places (default 0); halves round toward positive infinity.")
            .Add("Round", SqlTypes.Integer, P("col1", I))
            .Add("Round", SqlTypes.BigInt, P("col1", L))
            .Add("Round", SqlTypes.BigInt, P("col1", D))
            .Add("Round", roundDecimal, P("col1", Dec))
            .Add("Round", SqlTypes.Integer, P("col1", I), P("scale", I))
            .Add("Round", SqlTypes.BigInt, P("col1", L), P("scale", I))
            .Add("Round", SqlTypes.Double, P("col1", D), P("scale", I))
            .Add("Round", ReturnTypeRule.ArgumentType(0, "DECIMAL"), P("col1", Dec), P("scale", I))
            .Register(r);

        var truncDecimal = ReturnTypeRule.Computed("DECIMAL", b =>
        {
            var d = ImplicitCasts.AsDecimal(b.TypeOf(0));
            return SqlTypes.Decimal(Math.Max(d.Precision - d.Scale, 1), 0);
        });
        Scalar("TRUNC", "Truncates (rounds toward zero) a value to a number of decimal places (default 0).")
            .Add("Trunc", SqlTypes.Integer, P("col1", I))
            .Add("Trunc", SqlTypes.BigInt, P("col1", L))
            .Add("Trunc", SqlTypes.BigInt, P("col1", D))
            .Add("Trunc", truncDecimal, P("col1", Dec))
            .Add("Trunc", SqlTypes.Integer, P("col1", I), P("scale", I))
            .Add("Trunc", SqlTypes.BigInt, P("col1", L), P("scale", I))
            .Add("Trunc", SqlTypes.Double, P("col1", D), P("scale", I))
            .Add("Trunc", ReturnTypeRule.ArgumentType(0, "DECIMAL"), P("col1", Dec), P("scale", I))
            .Register(r);

        Extremes(r, "GREATEST", "Greatest", "Returns the largest non-null value among its arguments.");
        Extremes(r, "LEAST", "Least", "Returns the smallest non-null value among its arguments.");

        Scalar("GEO_DISTANCE", "Returns the great-circle distance between two lat-long points in decimal degrees, in KM (default) or MI.")
            .Add("GeoDistance", SqlTypes.Double, P("lat1", D), P("lon1", D), P("lat2", D), P("lon2", D))
            .Add("GeoDistance", SqlTypes.Double, P("lat1", D), P("lon1", D), P("lat2", D), P("lon2", D), P("units", ParamType.String))
            .Register(r);
    }

    private static FunctionBuilder Scalar(string name, string description) =>
        new(typeof(MathFunctions), name, FunctionKind.Scalar, FunctionCategory.Mathematical, description);

    private static void DoubleOfNumber(FunctionRegistry r, string name, string method, string description) =>
        Scalar(name, description)
            .Add(method, SqlTypes.Double, P("value", I))
            .Add(method, SqlTypes.Double, P("value", L))
            .Add(method, SqlTypes.Double, P("value", D))
            .Register(r);

    private static void Extremes(FunctionRegistry r, string name, string method, string description)
    {
        var widest = ReturnTypeRule.Computed("DECIMAL", b =>
        {
            SqlDecimalType? result = null;
            foreach (var t in b.TargetTypes)
            {
                if (t is SqlDecimalType d)
                {
                    result = result is null ? d : ImplicitCasts.WidenDecimal(result, d);
                }
            }

            return result ?? SqlTypes.Decimal(ImplicitCasts.MaxDecimalPrecision, 0);
        });
        var b = Scalar(name, description);
        foreach (var (type, ret) in new (ParamType, ReturnTypeRule)[]
                 {
                     (ParamType.Integer, ReturnTypeRule.Fixed(SqlTypes.Integer)),
                     (ParamType.BigInt, ReturnTypeRule.Fixed(SqlTypes.BigInt)),
                     (ParamType.Double, ReturnTypeRule.Fixed(SqlTypes.Double)),
                     (ParamType.Decimal, widest),
                     (ParamType.String, ReturnTypeRule.Fixed(SqlTypes.String)),
                     (ParamType.Bytes, ReturnTypeRule.Fixed(SqlTypes.Bytes)),
                     (ParamType.Date, ReturnTypeRule.Fixed(SqlTypes.Date)),
                     (ParamType.Time, ReturnTypeRule.Fixed(SqlTypes.Time)),
                     (ParamType.Timestamp, ReturnTypeRule.Fixed(SqlTypes.Timestamp)),
                 })
        {
            b.Add(method, ret, P("val", type), Variadic("vals", type));
        }

        b.Register(r);
    }
}
