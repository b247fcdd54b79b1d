using System.Collections.Immutable;
using Rhei.Sql.Binding;

namespace Rhei.Sql.Planning;

/// <summary>How a stage's key was made, for ksqlDB's "must include the ... in its projection" messages.</summary>
internal enum KeyOrigin
{
    /// <summary>The source's key columns.</summary>
    Source,

    /// <summary>A join: any of the join expressions, or a synthetic ROWKEY.</summary>
    Join,

    /// <summary>PARTITION BY expressions.</summary>
    PartitionBy,

    /// <summary>GROUP BY expressions.</summary>
    GroupBy,

    /// <summary>A foreign-key join: the left table's primary key.</summary>
    ForeignKey,
}

/// <summary>
/// The plan so far and what its key is: for each key column, the expressions (bound in the stage's scope) whose value
/// the key column holds, and the texts used in messages.
/// </summary>
internal sealed record Stage(ExecutionStep Step, ImmutableArray<ImmutableArray<BoundExpression>> KeyExpressions, ImmutableArray<string> KeyTexts, KeyOrigin Origin)
{
    public PlanSchema Schema => Step.Schema;

    /// <summary>The key column whose value the expression is, or -1.</summary>
    public int KeyIndexOf(BoundExpression expression)
    {
        for (var i = 0; i < KeyExpressions.Length; i++)
        {
            if (KeyExpressions[i].Any(k => k.Equals(expression)))
            {
                return i;
            }
        }

        return -1;
    }
}
