using System.Text;
using Rhei.Formats.Types;
using Rhei.Sql.Functions.Runtime;

namespace Rhei.Sql.Functions.Scalar;

/// <summary>
/// ARRAY functions. Elements compare by value (<see cref="SqlValueComparer"/>: nested arrays, maps and
/// structs by content); ordering functions accept primitive elements only. Results are new lists.
/// </summary>
public static class ArrayFunctions
{
    /// <summary>Both arrays one after the other; a NULL array counts as empty unless both are NULL.</summary>
    public static List<object?>? ArrayConcat(List<object?>? left, List<object?>? right)
    {
        if (left is null && right is null)
        {
            return null;
        }

        var result = new List<object?>((left?.Count ?? 0) + (right?.Count ?? 0));
        if (left is not null)
        {
            result.AddRange(left);
        }

        if (right is not null)
        {
            result.AddRange(right);
        }

        return result;
    }

    /// <summary>True when the array holds the value (a NULL value matches a NULL element); false for a NULL array.</summary>
    public static bool? ArrayContains(List<object?>? array, object? value) =>
        array is not null && array.Contains(value, SqlValueComparer.Instance);

    /// <summary>The distinct elements in order of first occurrence (NULL included once).</summary>
    public static List<object?>? ArrayDistinct(List<object?>? array) =>
        array is null ? null : [.. array.Distinct(SqlValueComparer.Instance)];

    /// <summary>The distinct elements of the first array that are not in the second, in order.</summary>
    public static List<object?>? ArrayExcept(List<object?>? left, List<object?>? right)
    {
        if (left is null || right is null)
        {
            return null;
        }

        var exclude = new HashSet<object?>(right, SqlValueComparer.Instance);
        return [.. left.Distinct(SqlValueComparer.Instance).Where(x => !exclude.Contains(x))];
    }

    /// <summary>The distinct elements present in both arrays, in the first array's order.</summary>
    public static List<object?>? ArrayIntersect(List<object?>? left, List<object?>? right)
    {
        if (left is null || right is null)
        {
            return null;
        }

        var keep = new HashSet<object?>(right, SqlValueComparer.Instance);
        return [.. left.Distinct(SqlValueComparer.Instance).Where(keep.Contains)];
    }

    /// <summary>The distinct elements of both arrays, in order of first occurrence.</summary>
    public static List<object?>? ArrayUnion(List<object?>? left, List<object?>? right) =>
        left is null || right is null ? null : [.. left.Concat(right).Distinct(SqlValueComparer.Instance)];

    public static string? ArrayJoin(List<object?>? array) => ArrayJoin(array, ",");

    /// <summary>The elements' text joined by a delimiter (NULL delimiter = none); NULL elements print as <c>null</c>.</summary>
    public static string? ArrayJoin(List<object?>? array, string? delimiter)
    {
        if (array is null)
        {
            return null;
        }

        var sb = new StringBuilder();
        for (var i = 0; i < array.Count; i++)
        {
            var e = array[i];
            if (e is List<object?> or Dictionary<object, object?> or SqlStruct)
            {
                throw new SqlFunctionException("ARRAY_JOIN only supports arrays of primitive types.");
            }

            if (i > 0)
            {
                sb.Append(delimiter);
            }

            sb.Append(JavaText.ToJavaString(e));
        }

        return sb.ToString();
    }

    public static int? ArrayLength(List<object?>? array) => array?.Count;

    /// <summary>The largest non-NULL element, or NULL for an empty or all-NULL array.</summary>
    public static object? ArrayMax(List<object?>? array) => Extreme(array, +1);

    public static object? ArrayMin(List<object?>? array) => Extreme(array, -1);

    private static object? Extreme(List<object?>? array, int sign)
    {
        if (array is null)
        {
            return null;
        }

        object? best = null;
        foreach (var e in array)
        {
            if (e is null)
            {
                continue;
            }

            CheckOrdered(e);
            if (best is null || SqlValueOrder.Instance.Compare(e, best) * sign > 0)
            {
                best = e;
            }
        }

        return best;
    }

    private static void CheckOrdered(object e)
    {
        if (!SqlValueOrder.IsOrdered(e))
        {
            throw new SqlFunctionException("Arrays of arrays, maps or structs cannot be ordered.");
        }
    }

    /// <summary>The array without the elements equal to the value (NULL removes NULLs).</summary>
    public static List<object?>? ArrayRemove(List<object?>? array, object? value) =>
        array is null ? null : [.. array.Where(e => !SqlValueComparer.Instance.Equals(e, value))];

    public static List<object?>? ArraySort(List<object?>? array) => ArraySort(array, "ASC");

    /// <summary>The elements sorted ASC or DESC (case-insensitive), NULLs last; NULL for another direction.</summary>
    public static List<object?>? ArraySort(List<object?>? array, string? direction)
    {
        if (array is null || direction is null)
        {
            return null;
        }

        var sign = direction.ToUpperInvariant() switch
        {
            "ASC" => 1,
            "DESC" => -1,
            _ => 0,
        };
        if (sign == 0)
        {
            return null;
        }

        var values = new List<object?>(array.Count);
        var nulls = 0;
        foreach (var e in array)
        {
            if (e is null)
            {
                nulls++;
            }
            else
            {
                CheckOrdered(e);
                values.Add(e);
            }
        }

        var sorted = values.Order(Comparer<object?>.Create((a, b) => SqlValueOrder.Instance.Compare(a, b) * sign)).ToList();
        for (var i = 0; i < nulls; i++)
        {
            sorted.Add(null);
        }

        return sorted;
    }

    /// <summary>Elements <paramref name="from"/> to <paramref name="to"/> (1-based, inclusive; NULL bounds mean the ends); NULL when out of range.</summary>
    public static List<object?>? Slice(List<object?>? array, int? from, int? to)
    {
        if (array is null)
        {
            return null;
        }

        var start = from is { } f ? f - 1 : 0;
        var end = to ?? array.Count;
        if (start < 0 || end > array.Count || start > end)
        {
            return null;
        }

        return array.GetRange(start, end - start);
    }

    /// <summary>ELT(n, args...): the n-th argument (1-based), NULL when out of range.</summary>
    public static string? Elt(int? n, string?[] args) =>
        n is { } i && i >= 1 && i <= args.Length ? args[i - 1] : null;

    /// <summary>FIELD(str, args...): the 1-based position of str among the arguments, 0 when absent or str is NULL.</summary>
    public static int? Field(string? s, string?[] args)
    {
        if (s is null)
        {
            return 0;
        }

        for (var i = 0; i < args.Length; i++)
        {
            if (s == args[i])
            {
                return i + 1;
            }
        }

        return 0;
    }

    public static List<object?>? GenerateSeries(int? start, int? end) =>
        start is { } s && end is { } e ? Series(s, e, s <= e ? 1 : -1, asInt: true) : null;

    public static List<object?>? GenerateSeries(int? start, int? end, int? step) =>
        start is { } s && end is { } e && step is { } st ? Series(s, e, st, asInt: true) : null;

    public static List<object?>? GenerateSeries(long? start, long? end) =>
        start is { } s && end is { } e ? Series(s, e, s <= e ? 1 : -1, asInt: false) : null;

    public static List<object?>? GenerateSeries(long? start, long? end, int? step) =>
        start is { } s && end is { } e && step is { } st ? Series(s, e, st, asInt: false) : null;

    private static List<object?> Series(long start, long end, long step, bool asInt)
    {
        if (step == 0)
        {
            throw new SqlFunctionException("GENERATE_SERIES step cannot be zero");
        }

        if ((end - (decimal)start) * step < 0)
        {
            throw new SqlFunctionException("GENERATE_SERIES step has wrong sign");
        }

        var exact = decimal.Truncate(((decimal)end - start) / step) + 1;
        if (exact > 10_000_000)
        {
            throw new SqlFunctionException($"GENERATE_SERIES would produce {exact} elements; at most 10000000 are allowed.");
        }

        var count = (long)exact;

        var result = new List<object?>((int)count);
        for (long i = 0, v = start; i < count; i++, v += step)
        {
            result.Add(asInt ? (object)(int)v : v);
        }

        return result;
    }
}
