using Rhei.Formats.Types;

namespace Rhei.Sql.Functions;

/// <summary>
/// Picks the overload of a function for a call, as ksqlDB does: first without implicit casts (a NULL
/// literal matches any parameter), then with them; among several matches a non-variadic overload beats
/// variadic ones, and any other tie is an ambiguity error.
/// </summary>
internal static class OverloadResolver
{
    public static FunctionResolution Resolve(FunctionDefinition function, IReadOnlyList<FunctionArgument> arguments)
    {
        var chosen = Choose(function, arguments, allowCasts: false) ?? Choose(function, arguments, allowCasts: true);
        if (chosen is null)
        {
            throw NoMatch(function, arguments);
        }

        SqlType? returnType;
        try
        {
            returnType = chosen.Overload.Returns.Resolve(chosen);
        }
        catch (FunctionResolutionException)
        {
            throw;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or KeyNotFoundException)
        {
            throw new FunctionResolutionException($"Function '{function.MessageName}' cannot be resolved for parameters ({Describe(arguments)}): {e.Message}", e);
        }

        return new FunctionResolution(chosen, returnType);
    }

    private static BoundSignature? Choose(FunctionDefinition function, IReadOnlyList<FunctionArgument> arguments, bool allowCasts)
    {
        var candidates = new List<BoundSignature>();
        foreach (var overload in function.Overloads)
        {
            if (TryBind(overload, arguments, allowCasts) is { } bound)
            {
                candidates.Add(bound);
            }
        }

        if (candidates.Count <= 1)
        {
            return candidates.Count == 1 ? candidates[0] : null;
        }

        // Prefer a fixed-arity overload over variadic ones, then concrete parameter types over generic ones.
        var best = candidates
            .GroupBy(c => (c.Overload.IsVariadic ? 1 : 0, c.Overload.Parameters.Count(p => p.Type.IsGeneric)))
            .OrderBy(g => g.Key.Item1).ThenBy(g => g.Key.Item2)
            .First()
            .ToList();
        if (best.Count == 1)
        {
            return best[0];
        }

        throw new FunctionResolutionException(
            $"Function '{function.MessageName}' cannot be resolved due to ambiguous method parameters ({Describe(arguments)}).");
    }

    internal static FunctionResolutionException NoMatch(FunctionDefinition function, IReadOnlyList<FunctionArgument> arguments)
    {
        var alternatives = function.Overloads.Select(o => o.Signature).Order(StringComparer.Ordinal);
        return new FunctionResolutionException(
            $"Function '{function.MessageName}' does not accept parameters ({Describe(arguments)}).\nValid alternatives are:\n{string.Join("\n", alternatives)}");
    }

    internal static string Describe(IReadOnlyList<FunctionArgument> arguments) => string.Join(", ", arguments.Select(a => a.Describe()));

    /// <summary>Matches one overload against the arguments; null when it does not apply.</summary>
    internal static BoundSignature? TryBind(FunctionOverload overload, IReadOnlyList<FunctionArgument> arguments, bool allowCasts)
    {
        var parameters = overload.Parameters;
        var n = arguments.Count;
        if (overload.IsVariadic ? n < parameters.Length - 1 : n != parameters.Length)
        {
            return null;
        }

        var paramOf = new FunctionParameter[n];
        for (var i = 0; i < n; i++)
        {
            paramOf[i] = parameters[ParameterIndex(overload, n, i)];
        }

        // 1. Value arguments: check shapes and collect what each generic is bound to.
        var observed = new Dictionary<string, List<(SqlType Type, bool IsStringLiteral)>>(StringComparer.Ordinal);
        for (var i = 0; i < n; i++)
        {
            var p = paramOf[i].Type;
            switch (arguments[i])
            {
                case ValueArgument v:
                    if (p is LambdaParam or IntervalUnitParam)
                    {
                        return null;
                    }

                    if (v.Type is not null && !Match(p, v.Type, v.IsStringLiteral, allowCasts, observed))
                    {
                        return null;
                    }

                    break;
                case LambdaArgument l:
                    if (p is not LambdaParam lp || lp.Inputs.Length != l.Arity)
                    {
                        return null;
                    }

                    break;
                case IntervalUnitArgument:
                    if (p is not IntervalUnitParam)
                    {
                        return null;
                    }

                    break;
                default:
                    return null;
            }
        }

        var generics = new Dictionary<string, SqlType>(StringComparer.Ordinal);
        if (!BindGenerics(observed, allowCasts, generics))
        {
            return null;
        }

        // 2. Lambdas: their parameter types follow from the generics; a typed body binds the output.
        var lambdaParams = new IReadOnlyList<SqlType>?[n];
        for (var i = 0; i < n; i++)
        {
            if (arguments[i] is not LambdaArgument l)
            {
                continue;
            }

            var lp = (LambdaParam)paramOf[i].Type;
            var inputs = new SqlType[lp.Inputs.Length];
            for (var j = 0; j < inputs.Length; j++)
            {
                var t = BoundSignature.Instantiate(lp.Inputs[j], generics);
                if (t is null)
                {
                    return null;
                }

                inputs[j] = t;
            }

            lambdaParams[i] = inputs;
            if (l.ReturnType is not null && !BindLambdaOutput(lp.Output, l.ReturnType, allowCasts, generics))
            {
                return null;
            }
        }

        // 3. Target types.
        var targets = new SqlType?[n];
        for (var i = 0; i < n; i++)
        {
            if (arguments[i] is not ValueArgument v)
            {
                continue;
            }

            var p = paramOf[i].Type;
            targets[i] = v.Type is null
                ? BoundSignature.Instantiate(p, generics)
                : p switch
                {
                    PrimitiveParam pp => ImplicitCasts.CastTarget(v.Type, pp.BaseType),
                    AnyParam => v.Type,
                    _ => BoundSignature.Instantiate(p, generics) ?? v.Type,
                };
        }

        return new BoundSignature(overload, arguments, targets, generics, lambdaParams);
    }

    internal static int ParameterIndex(FunctionOverload overload, int argumentCount, int argumentIndex)
    {
        var p = overload.Parameters.Length;
        var v = overload.VariadicIndex;
        if (v < 0 || argumentIndex < v)
        {
            return argumentIndex;
        }

        var after = p - v - 1;
        return argumentIndex >= argumentCount - after ? p - (argumentCount - argumentIndex) : v;
    }

    private static bool Match(ParamType p, SqlType a, bool stringLiteral, bool allowCasts, Dictionary<string, List<(SqlType, bool)>> observed)
    {
        switch (p)
        {
            case PrimitiveParam pp:
                return a.BaseType == pp.BaseType || (allowCasts && ImplicitCasts.CanCast(a, pp.BaseType, stringLiteral));
            case AnyParam:
                return true;
            case GenericParam g:
                if (!observed.TryGetValue(g.Name, out var list))
                {
                    observed[g.Name] = list = [];
                }

                list.Add((a, stringLiteral));
                return true;
            case ArrayParam ap:
                return a is SqlArrayType at && Match(ap.Element, at.ElementType, false, allowCasts, observed);
            case MapParam mp:
                return a is SqlMapType mt
                    && Match(mp.Key, mt.KeyType, false, allowCasts, observed)
                    && Match(mp.Value, mt.ValueType, false, allowCasts, observed);
            default:
                return false;
        }
    }

    private static bool BindGenerics(Dictionary<string, List<(SqlType Type, bool IsStringLiteral)>> observed, bool allowCasts, Dictionary<string, SqlType> generics)
    {
        foreach (var (name, types) in observed)
        {
            SqlType? bound;
            if (allowCasts)
            {
                bound = ImplicitCasts.CommonType(types);
            }
            else
            {
                bound = types[0].Type;
                if (types.Any(t => !t.Type.Equals(bound)))
                {
                    return false;
                }
            }

            if (bound is null)
            {
                return false;
            }

            generics[name] = bound;
        }

        return true;
    }

    private static bool BindLambdaOutput(ParamType pattern, SqlType actual, bool allowCasts, Dictionary<string, SqlType> generics)
    {
        var observed = new Dictionary<string, List<(SqlType, bool)>>(StringComparer.Ordinal);
        if (!Match(pattern, actual, false, allowCasts, observed))
        {
            return false;
        }

        foreach (var (name, types) in observed)
        {
            var t = allowCasts ? ImplicitCasts.CommonType(types) : types[0].Item1;
            if (t is null)
            {
                return false;
            }

            if (generics.TryGetValue(name, out var existing))
            {
                if (existing.Equals(t))
                {
                    continue;
                }

                // The body may produce a narrower numeric type than the state it feeds (REDUCE's S):
                // the compiler converts the body's result to the bound type.
                if (!allowCasts || !ImplicitCasts.CanCast(t, existing.BaseType, false) || !existing.IsNumeric)
                {
                    return false;
                }
            }
            else
            {
                generics[name] = t;
            }
        }

        return true;
    }
}
