using System.Runtime.CompilerServices;

namespace Rhei.Engine.Queries;

/// <summary>
/// A push query with <c>LIMIT 0</c>: checked and planned like any other (so its header and errors are the same), then
/// answered with no rows and "Limit Reached" at once.
/// </summary>
internal sealed class LimitZeroQuery(TransientQuery planned)
    : TransientQuery(planned.QueryId, planned.Kind, planned.Columns, planned.IsTable, planned.StatementText)
{
    public override async IAsyncEnumerable<QueryRow> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask;
        CompletionMessage = "Limit Reached";
        yield break;
    }
}
