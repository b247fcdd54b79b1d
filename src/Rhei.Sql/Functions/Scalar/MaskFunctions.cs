using System.Text;

namespace Rhei.Sql.Functions.Scalar;

/// <summary>
/// MASK and its variants: upper-case letters become 'X', lower-case 'x', digits 'n' and anything else
/// '-' unless other mask characters are given; a NULL mask character leaves that class unmasked.
/// </summary>
public static class MaskFunctions
{
    private const string DefaultUpper = "X";
    private const string DefaultLower = "x";
    private const string DefaultDigit = "n";
    private const string DefaultOther = "-";

    public static string? Mask(string? input) => Mask(input, DefaultUpper, DefaultLower, DefaultDigit, DefaultOther);

    public static string? Mask(string? input, string? upper, string? lower, string? digit, string? other) =>
        input is null ? null : Apply(input, 0, input.Length, upper, lower, digit, other);

    public static string? MaskKeepLeft(string? input, int? numChars) =>
        MaskKeepLeft(input, numChars, DefaultUpper, DefaultLower, DefaultDigit, DefaultOther);

    /// <summary>Masks all but the first <paramref name="numChars"/> characters.</summary>
    public static string? MaskKeepLeft(string? input, int? numChars, string? upper, string? lower, string? digit, string? other) =>
        input is null || numChars is not { } n ? null : Apply(input, Math.Min(Check(n, "mask_keep_left"), input.Length), input.Length, upper, lower, digit, other);

    public static string? MaskKeepRight(string? input, int? numChars) =>
        MaskKeepRight(input, numChars, DefaultUpper, DefaultLower, DefaultDigit, DefaultOther);

    /// <summary>Masks all but the last <paramref name="numChars"/> characters.</summary>
    public static string? MaskKeepRight(string? input, int? numChars, string? upper, string? lower, string? digit, string? other) =>
        input is null || numChars is not { } n ? null : Apply(input, 0, Math.Max(input.Length - Check(n, "mask_keep_right"), 0), upper, lower, digit, other);

    public static string? MaskLeft(string? input, int? numChars) =>
        MaskLeft(input, numChars, DefaultUpper, DefaultLower, DefaultDigit, DefaultOther);

    /// <summary>Masks only the first <paramref name="numChars"/> characters.</summary>
    public static string? MaskLeft(string? input, int? numChars, string? upper, string? lower, string? digit, string? other) =>
        input is null || numChars is not { } n ? null : Apply(input, 0, Math.Min(Check(n, "mask_left"), input.Length), upper, lower, digit, other);

    public static string? MaskRight(string? input, int? numChars) =>
        MaskRight(input, numChars, DefaultUpper, DefaultLower, DefaultDigit, DefaultOther);

    /// <summary>Masks only the last <paramref name="numChars"/> characters.</summary>
    public static string? MaskRight(string? input, int? numChars, string? upper, string? lower, string? digit, string? other) =>
        input is null || numChars is not { } n ? null : Apply(input, Math.Max(input.Length - Check(n, "mask_right"), 0), input.Length, upper, lower, digit, other);

    private static int Check(int n, string function) =>
        n >= 0 ? n : throw new SqlFunctionException($"function {function} requires a non-negative number of characters, got {n}");

    private static string Apply(string input, int from, int to, string? upper, string? lower, string? digit, string? other)
    {
        var u = MaskChar(upper);
        var l = MaskChar(lower);
        var d = MaskChar(digit);
        var o = MaskChar(other);
        var sb = new StringBuilder(input);
        for (var i = from; i < to; i++)
        {
            var c = input[i];
            var m = char.IsUpper(c) ? u : char.IsLower(c) ? l : char.IsDigit(c) ? d : o;
            if (m is { } mask)
            {
                sb[i] = mask;
            }
        }

        return sb.ToString();
    }

    private static char? MaskChar(string? mask) => mask switch
    {
        null => null,
        "" => throw new SqlFunctionException("A mask character must not be empty; use NULL to leave a class unmasked."),
        _ => mask[0],
    };
}
