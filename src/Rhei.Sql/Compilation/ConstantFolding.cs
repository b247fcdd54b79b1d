using Rhei.Sql.Binding;
using Rhei.Sql.Functions;

namespace Rhei.Sql.Compilation;

/// <summary>
/// Evaluates constant sub-trees once, when a query is compiled: literals, operators over constants, and calls of
/// deterministic built-in functions. A sub-tree that fails (<c>1 / 0</c>) is left to fail per row, as ksqlDB does.
/// </summary>
internal static class ConstantFolding
{
    private static readonly HashSet<string> NonDeterministic = new(StringComparer.Ordinal) { "RANDOM", "UUID", "UNIX_TIMESTAMP", "UNIX_DATE" };

    private static readonly Lazy<HashSet<string>> BuiltIns = new(() =>
        new HashSet<string>(FunctionRegistry.CreateBuiltIn().Functions.Select(f => f.Name), StringComparer.Ordinal));

    /// <summary>The value of a constant expression; false when it reads the row, is not deterministic, or fails.</summary>
    public static bool TryEvaluate(BoundExpression e, out object? value)
    {
        if (e is BoundLiteral literal)
        {
            value = literal.Value;
            return true;
        }

        value = null;
        if (!IsFoldable(e))
        {
            return false;
        }

        try
        {
            value = ExpressionCompiler.Evaluate(e, fold: false);
            return true;
        }
        catch (Exception)
        {
            return false;
        }
    }

    /// <summary>True when the expression's value is the same for every row and can be computed now.</summary>
    public static bool IsFoldable(BoundExpression e)
    {
        if (e.HasFreeLambdaVariables())
        {
            return false;
        }

        foreach (var node in e.Descendants())
        {
            switch (node)
            {
                case BoundColumn or BoundAggregateCall or BoundTableFunctionCall:
                    return false;
                case BoundFunctionCall call when NonDeterministic.Contains(call.Name) || !BuiltIns.Value.Contains(call.Name):
                    return false;
            }
        }

        return true;
    }
}
