using Rhei.Formats.Types;
using Rhei.Sql.Ast;

namespace Rhei.Sql.Binding;

/// <summary>
/// A bound expression: names resolved to row columns, every node typed, functions resolved to one overload,
/// implicit conversions explicit (<see cref="BoundCast"/> with <see cref="BoundCast.IsImplicit"/>). Immutable
/// records that compare by content (a GROUP BY expression and a SELECT expression that say the same thing are
/// equal). <see cref="ToSql"/> prints the expression as ksqlDB does in messages and EXPLAIN (implicit casts are not
/// shown). Compile with <see cref="Compilation.ExpressionCompiler"/>.
/// </summary>
public abstract record BoundExpression
{
    /// <summary>
    /// The SQL type of the value. Null only for an untyped <c>NULL</c> literal (and for the non-value arguments
    /// <see cref="BoundIntervalUnit"/> and a lambda whose body is an untyped NULL).
    /// </summary>
    public abstract SqlType? Type { get; }

    /// <summary>Where the expression starts in the SQL text (not part of equality).</summary>
    public SourcePosition Position { get; init; }

    /// <summary>The direct sub-expressions, in evaluation order.</summary>
    public virtual IReadOnlyList<BoundExpression> Children => [];

    /// <summary>True when the expression reads no column and calls no aggregate or table function (it may still call
    /// a non-deterministic function such as RANDOM()).</summary>
    public bool IsConstant =>
        !Descendants().Any(e => e is BoundColumn or BoundAggregateCall or BoundTableFunctionCall) && !HasFreeLambdaVariables();

    /// <summary>True when a lambda variable occurs outside the lambda that declares it (the expression is part of a lambda body).</summary>
    internal bool HasFreeLambdaVariables()
    {
        static bool Free(BoundExpression e, HashSet<string> bound)
        {
            switch (e)
            {
                case BoundLambdaVariable v:
                    return !bound.Contains(v.Name);
                case BoundLambda lambda:
                    {
                        var inner = new HashSet<string>(bound, StringComparer.Ordinal);
                        inner.UnionWith(lambda.Parameters);
                        return Free(lambda.Body, inner);
                    }

                default:
                    foreach (var child in e.Children)
                    {
                        if (Free(child, bound))
                        {
                            return true;
                        }
                    }

                    return false;
            }
        }

        return Free(this, new HashSet<string>(StringComparer.Ordinal));
    }

    /// <summary>True when an aggregate call occurs anywhere in the expression.</summary>
    public bool ContainsAggregate => Descendants().Any(e => e is BoundAggregateCall);

    /// <summary>True when a table function call occurs anywhere in the expression.</summary>
    public bool ContainsTableFunction => Descendants().Any(e => e is BoundTableFunctionCall);

    /// <summary>This expression and all its sub-expressions, pre-order.</summary>
    public IEnumerable<BoundExpression> Descendants()
    {
        var stack = new Stack<BoundExpression>();
        stack.Push(this);
        while (stack.Count > 0)
        {
            var e = stack.Pop();
            yield return e;
            var children = e.Children;
            for (var i = children.Count - 1; i >= 0; i--)
            {
                stack.Push(children[i]);
            }
        }
    }

    /// <summary>The columns the expression reads, each once, in order of first use.</summary>
    public IReadOnlyList<ScopeColumn> References()
    {
        var seen = new HashSet<int>();
        var result = new List<ScopeColumn>();
        foreach (var e in Descendants())
        {
            if (e is BoundColumn c && seen.Add(c.Column.Index))
            {
                result.Add(c.Column);
            }
        }

        return result;
    }

    /// <summary>The aggregate calls in the expression, outermost first (aggregates never nest).</summary>
    public IReadOnlyList<BoundAggregateCall> AggregateCalls() => [.. Descendants().OfType<BoundAggregateCall>()];

    /// <summary>
    /// Substitutes sub-trees: <paramref name="replace"/> sees each node top-down; a non-null result replaces the node
    /// (and its sub-tree is not visited further), null keeps it and visits its children. Unchanged parts are shared.
    /// Replacements should have the type of the node they replace (e.g. an aggregate call becomes a
    /// <see cref="BoundColumn"/> of the aggregate's type): parent types are not recomputed.
    /// </summary>
    public BoundExpression Rewrite(Func<BoundExpression, BoundExpression?> replace)
    {
        if (replace(this) is { } replaced)
        {
            return replaced;
        }

        var children = Children;
        BoundExpression[]? rewritten = null;
        for (var i = 0; i < children.Count; i++)
        {
            var c = children[i].Rewrite(replace);
            if (!ReferenceEquals(c, children[i]))
            {
                rewritten ??= [.. children];
                rewritten[i] = c;
            }
        }

        return rewritten is null ? this : WithChildren(rewritten) with { Position = Position };
    }

    /// <summary>A copy with new children (same count and order as <see cref="Children"/>).</summary>
    public abstract BoundExpression WithChildren(IReadOnlyList<BoundExpression> children);

    /// <summary>The expression as ksqlDB prints it: <c>(A + 1)</c>, <c>SUBSTRING(REGION, 7, 3)</c>, <c>COL1-&gt;NAME</c>.</summary>
    public string ToSql()
    {
        var writer = new SqlWriter();
        WriteTo(writer);
        return writer.ToString();
    }

    public sealed override string ToString() => ToSql();

    internal abstract void WriteTo(SqlWriter writer);

    /// <summary>Writes the expression as the base of <c>[i]</c> or <c>-&gt;F</c>.</summary>
    internal void WriteAsPostfixBase(SqlWriter writer)
    {
        if (this is BoundNegate or BoundLambda)
        {
            writer.Append('(');
            WriteTo(writer);
            writer.Append(')');
        }
        else
        {
            WriteTo(writer);
        }
    }

    internal static void WriteList(SqlWriter writer, IReadOnlyList<BoundExpression> items)
    {
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                writer.Append(", ");
            }

            items[i].WriteTo(writer);
        }
    }
}
