using Rhei.Sql.Execution;

namespace Rhei.Engine.Queries;

/// <summary>
/// Where a pull query on a table reads rows: the current row of a key (every window of it, for windowed tables) or
/// every row. Rows are laid out as <see cref="SourceRowShape"/> says. Reads see what the table holds when they run:
/// nothing waits for records still in flight (ksqlDB's pull-query consistency).
/// </summary>
internal abstract class PullTable
{
    /// <summary>The shape of the rows this table hands out.</summary>
    public abstract SourceRowShape Shape { get; }

    /// <summary>Appends the rows of one key to <paramref name="rows"/> (one row, or one per window, oldest first).</summary>
    public abstract void Get(GenericKey key, List<object?[]> rows);

    /// <summary>Every row, partition by partition, in the order of the keys' bytes within a partition (as a store scan reads them).</summary>
    public abstract IEnumerable<object?[]> Scan();
}
