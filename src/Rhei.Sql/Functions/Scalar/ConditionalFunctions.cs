using Rhei.Formats.Types;

namespace Rhei.Sql.Functions.Scalar;

/// <summary>NULL handling: COALESCE, IFNULL, NULLIF, and AS_VALUE (the identity, used to copy a key column into the value).</summary>
public static class ConditionalFunctions
{
    /// <summary>The first non-NULL argument (arrays, maps and structs count as non-NULL even when their contents are NULL).</summary>
    public static object? Coalesce(object? first, object?[] others)
    {
        if (first is not null)
        {
            return first;
        }

        foreach (var o in others)
        {
            if (o is not null)
            {
                return o;
            }
        }

        return null;
    }

    public static object? IfNull(object? expression, object? altValue) => expression ?? altValue;

    /// <summary>NULL when both are equal (by value, deeply), else the first.</summary>
    public static object? NullIf(object? expression1, object? expression2) =>
        SqlValueComparer.Instance.Equals(expression1, expression2) ? null : expression1;

    public static object? AsValue(object? keyColumn) => keyColumn;
}
