using Rhei.Sql.Ast;
using Rhei.Sql.Parsing;

namespace Rhei.Engine.Commands;

/// <summary>
/// The command id (<c>stream/NAME/create</c>, <c>query/ID/terminate</c>) of a recorded statement that did not run
/// here, for its status: the id a successful run reports, derived from the statement.
/// </summary>
internal static class CommandIds
{
    public static string For(string statementText, long offset)
    {
        Statement statement;
        try
        {
            statement = SqlParser.ParseStatement(statementText);
        }
        catch (SqlParseException)
        {
            return $"command/{offset}/execute";
        }

        return statement switch
        {
            CreateSource c => $"{Kind(c.SourceType)}/{c.Name}/create",
            CreateAsSelect c => $"{Kind(c.SourceType)}/{c.Name}/create",
            DropSource d => $"{Kind(d.SourceType)}/{d.Name}/drop",
            InsertInto i => $"stream/{i.Target}/insert",
            TerminateQuery t => $"query/{t.QueryId ?? "ALL"}/terminate",
            PauseQuery p => $"query/{p.QueryId ?? "ALL"}/pause",
            ResumeQuery r => $"query/{r.QueryId ?? "ALL"}/resume",
            CreateType t => $"type/{t.Name}/create",
            DropType t => $"type/{t.Name}/drop",
            _ => $"command/{offset}/execute",
        };
    }

    private static string Kind(SourceType type) => type == SourceType.Table ? "table" : "stream";
}
