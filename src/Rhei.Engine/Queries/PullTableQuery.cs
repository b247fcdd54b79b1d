using System.Runtime.CompilerServices;

namespace Rhei.Engine.Queries;

/// <summary>A pull query on a table: the rows of the requested keys (or of a scan) from the table's store, filtered, projected, limited.</summary>
internal sealed class PullTableQuery(string queryId, SimpleSelect select, PullKeys keys, PullTable table, int? limit, string statementText)
    : TransientQuery(queryId, QueryKind.Pull, select.Columns, isTable: true, statementText)
{
    public override IEnumerable<QueryRow> ImmediateRows
    {
        get
        {
            if (keys.Keys is { Count: 1 } single && keys.IsExact && limit is null)
            {
                // The common case, a lookup of one key: no enumerator over the table.
                var rows = new List<object?[]>(1);
                table.Get(single[0], rows);
                var result = new QueryRow[rows.Count];
                for (var i = 0; i < rows.Count; i++)
                {
                    result[i] = new QueryRow(select.Project(rows[i]));
                }

                return result;
            }

            return Rows();
        }
    }

    public override async IAsyncEnumerable<QueryRow> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask;
        foreach (var row in ImmediateRows)
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
        foreach (var row in entries)
        {
            if (limit is { } max && count >= max)
            {
                yield break;
            }

            if (predicate is not null && !predicate(row))
            {
                continue;
            }

            count++;
            yield return new QueryRow(select.Project(row));
        }
    }

    private List<object?[]> Lookup(IReadOnlyList<Sql.Execution.GenericKey> lookups)
    {
        var rows = new List<object?[]>(lookups.Count);
        foreach (var key in lookups)
        {
            table.Get(key, rows);
        }

        return rows;
    }
}
