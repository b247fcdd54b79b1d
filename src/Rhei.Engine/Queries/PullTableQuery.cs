using System.Runtime.CompilerServices;

namespace Rhei.Engine.Queries;

/// <summary>A pull query on a table: the rows of the requested keys (or of a scan) from the table's materialization, filtered, projected, limited.</summary>
internal sealed class PullTableQuery(string queryId, SimpleSelect select, PullKeys keys, TableMaterialization table, int? limit)
    : TransientQuery(queryId, QueryKind.Pull, select.Columns, isTable: true, select.StatementText)
{
    public override IEnumerable<QueryRow> ImmediateRows => Rows();

    public override async IAsyncEnumerable<QueryRow> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask;
        foreach (var row in Rows())
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return row;
        }
    }

    private IEnumerable<QueryRow> Rows()
    {
        var entries = keys.Keys is { } lookups ? Lookup(lookups) : table.Scan();
        var predicate = keys.IsExact ? null : select.Predicate;
        var count = 0;
        foreach (var entry in entries)
        {
            if (limit is { } max && count >= max)
            {
                yield break;
            }

            if (predicate is not null && !predicate(entry.Row))
            {
                continue;
            }

            count++;
            yield return new QueryRow(select.Project(entry.Row));
        }
    }

    private IEnumerable<TableMaterialization.Entry> Lookup(IReadOnlyList<Sql.Execution.GenericKey> lookups)
    {
        if (lookups.Count == 1)
        {
            return table.Get(lookups[0]);
        }

        return lookups.SelectMany(table.Get);
    }
}
