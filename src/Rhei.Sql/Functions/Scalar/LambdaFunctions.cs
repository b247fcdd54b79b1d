using Rhei.Formats.Types;

namespace Rhei.Sql.Functions.Scalar;

/// <summary>
/// TRANSFORM, FILTER and REDUCE over arrays and maps. Lambdas arrive as delegates over boxed values.
/// As in ksqlDB, a filter predicate that yields NULL, or a map transform that yields a NULL or duplicate
/// key or a NULL value, is an error (the call's result is NULL and the error is logged).
/// </summary>
public static class LambdaFunctions
{
    public static List<object?>? Transform(List<object?>? array, Func<object?, object?> function)
    {
        if (array is null)
        {
            return null;
        }

        var result = new List<object?>(array.Count);
        foreach (var e in array)
        {
            result.Add(function(e));
        }

        return result;
    }

    public static Dictionary<object, object?>? Transform(
        Dictionary<object, object?>? map, Func<object?, object?, object?> keyFunction, Func<object?, object?, object?> valueFunction)
    {
        if (map is null)
        {
            return null;
        }

        var result = new Dictionary<object, object?>(map.Count);
        foreach (var (k, v) in map)
        {
            var newKey = keyFunction(k, v) ?? throw new SqlFunctionException("TRANSFORM produced a NULL map key.");
            var newValue = valueFunction(k, v) ?? throw new SqlFunctionException("TRANSFORM produced a NULL map value.");
            if (!result.TryAdd(newKey, newValue))
            {
                throw new SqlFunctionException($"TRANSFORM produced the duplicate map key {SqlValueComparer.Format(newKey)}.");
            }
        }

        return result;
    }

    public static List<object?>? Filter(List<object?>? array, Func<object?, object?> predicate)
    {
        if (array is null)
        {
            return null;
        }

        var result = new List<object?>();
        foreach (var e in array)
        {
            if (Test(predicate(e)))
            {
                result.Add(e);
            }
        }

        return result;
    }

    public static Dictionary<object, object?>? Filter(Dictionary<object, object?>? map, Func<object?, object?, object?> predicate)
    {
        if (map is null)
        {
            return null;
        }

        var result = new Dictionary<object, object?>();
        foreach (var (k, v) in map)
        {
            if (Test(predicate(k, v)))
            {
                result[k] = v;
            }
        }

        return result;
    }

    /// <summary>Folds the array into the state; NULL when the initial state is NULL; the initial state for a NULL array.</summary>
    public static object? Reduce(List<object?>? array, object? initialState, Func<object?, object?, object?> function)
    {
        if (initialState is null)
        {
            return null;
        }

        if (array is null)
        {
            return initialState;
        }

        var state = initialState;
        foreach (var e in array)
        {
            state = function(state, e);
        }

        return state;
    }

    public static object? Reduce(Dictionary<object, object?>? map, object? initialState, Func<object?, object?, object?, object?> function)
    {
        if (initialState is null)
        {
            return null;
        }

        if (map is null)
        {
            return initialState;
        }

        var state = initialState;
        foreach (var (k, v) in map)
        {
            state = function(state, k, v);
        }

        return state;
    }

    private static bool Test(object? result) => result switch
    {
        bool b => b,
        null => throw new SqlFunctionException("FILTER's lambda returned NULL."),
        _ => throw new SqlFunctionException($"FILTER's lambda must return a BOOLEAN, got {result.GetType().Name}."),
    };
}
