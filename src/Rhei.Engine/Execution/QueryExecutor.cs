using Rhei.Engine.Entities;
using Rhei.Sql.Ast;
using Rhei.Sql.Planning;

namespace Rhei.Engine.Execution;

/// <summary>CREATE ... AS SELECT, INSERT INTO ... SELECT, INSERT ... VALUES and EXPLAIN.</summary>
internal sealed class QueryExecutor(RheiEngine engine)
{
    public Task<StatementResult> CreateAsSelectAsync(StatementExecutor executor, CreateAsSelect statement, string text, KsqlConfig config, CancellationToken ct) =>
        throw new NotSupportedException("CREATE ... AS SELECT is not implemented yet.");

    public Task<StatementResult> InsertIntoAsync(StatementExecutor executor, InsertInto statement, string text, KsqlConfig config, CancellationToken ct) =>
        throw new NotSupportedException("INSERT INTO is not implemented yet.");

    public Task<StatementResult> InsertValuesAsync(StatementExecutor executor, InsertValues statement, string text, KsqlConfig config, CancellationToken ct) =>
        throw new NotSupportedException("INSERT VALUES is not implemented yet.");

    public StatementResult Explain(Explain statement, string text, KsqlConfig config) =>
        throw new NotSupportedException("EXPLAIN is not implemented yet.");

    internal RheiEngine Engine => engine;
}
