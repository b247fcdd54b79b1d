using Rhei.Engine.Entities;
using Rhei.Sql.Ast;
using Rhei.Sql.Planning;

namespace Rhei.Engine.Execution;

/// <summary>INSERT INTO source [(columns)] VALUES (...): one record, serialized with the source's formats.</summary>
internal sealed class InsertValuesExecutor(RheiEngine engine)
{
    public Task<StatementResult> ExecuteAsync(StatementExecutor executor, InsertValues statement, string text, KsqlConfig config, CancellationToken ct)
    {
        var source = engine.MetaStore.GetSource(statement.Target);
        if (source is null)
        {
            var other = engine.MetaStore.FindCaseInsensitive(statement.Target);
            var hint = other is null ? ""
                : other.Name.ToUpperInvariant() == other.Name
                    ? $"\nDid you mean {other.Name}? Hint: try removing double quotes from the source name."
                    : $"\nDid you mean \"{other.Name}\"? Hint: wrap the source name in double quotes to make it case-sensitive.";
            throw new KsqlException($"Cannot insert values into an unknown stream/table: `{statement.Target}`{hint}");
        }

        if (source.IsSource)
        {
            throw new KsqlException($"Cannot insert values into read-only {source.TypeName}: {source.Name}");
        }

        var headers = source.Schema.HeaderColumns.Select(c => c.Name).ToList();
        if (headers.Count > 0)
        {
            var named = statement.Columns.Where(c => headers.Contains(c)).ToList();
            if (named.Count > 0)
            {
                throw new KsqlException($"Cannot insert into HEADER columns: {string.Join(", ", named)}");
            }

            if (statement.Columns.IsEmpty)
            {
                throw new KsqlException($"Cannot insert into {source.Name} because it has header columns");
            }
        }

        _ = executor;
        _ = config;
        _ = ct;
        throw new KsqlException("INSERT INTO ... VALUES is not supported yet.");
    }
}
