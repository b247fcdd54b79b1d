using Rhei.Engine.Entities;
using Rhei.Sql.Ast;
using Rhei.Sql.Parsing;
using Rhei.Sql.Planning;

namespace Rhei.Engine;

/// <summary>
/// A sequence of statements sharing property overrides (SET/UNSET) and variables (DEFINE/UNDEFINE), like a ksqlDB
/// CLI session. Statements run one at a time, in order; a statement that fails throws, leaving the earlier ones done.
/// </summary>
public sealed class RheiSession
{
    private readonly RheiEngine _engine;

    internal RheiSession(RheiEngine engine, IReadOnlyDictionary<string, string>? properties, IReadOnlyDictionary<string, string>? variables)
    {
        _engine = engine;
        foreach (var (k, v) in properties ?? new Dictionary<string, string>())
        {
            Properties[k] = v;
        }

        foreach (var (k, v) in variables ?? new Dictionary<string, string>())
        {
            Variables[k] = v;
        }
    }

    /// <summary>Property overrides for this session's statements.</summary>
    public Dictionary<string, string> Properties { get; } = new(StringComparer.Ordinal);

    /// <summary>Variables for <c>${name}</c> substitution.</summary>
    public Dictionary<string, string> Variables { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Parses and executes each statement of <paramref name="sql"/> in turn. Positions in errors count from the start of
    /// <paramref name="sql"/>.
    /// </summary>
    /// <exception cref="KsqlParseFailedException">A statement does not parse (the parser's <see cref="SqlParseException"/> is the inner exception).</exception>
    /// <exception cref="Sql.Planning.KsqlStatementException">A statement cannot be executed.</exception>
    public async Task<IReadOnlyList<StatementResult>> ExecuteAsync(string sql, CancellationToken cancellationToken = default)
    {
        var results = new List<StatementResult>();
        foreach (var text in SqlScript.Split(sql))
        {
            var padded = new string('\n', text.Position.Line - 1) + new string(' ', text.Position.Column - 1) + text.Text;
            IReadOnlyList<ParsedStatement> parsed;
            try
            {
                parsed = SqlParser.ParseScript(padded, new SqlParserOptions { Variables = Variables });
            }
            catch (SqlParseException e)
            {
                throw new KsqlParseFailedException(e.IsSyntaxError ? e.Message : "Failed to prepare statement: " + e.Message, text.Text, e);
            }

            foreach (var statement in parsed)
            {
                var stmt = statement with { Text = statement.Text.Trim(), SourceText = text.Text };
                switch (stmt.Statement)
                {
                    case DefineVariable define:
                        Variables[define.Name] = define.Value;
                        break;
                    case UndefineVariable undefine:
                        Variables.Remove(undefine.Name);
                        break;
                }

                results.Add(await _engine.ExecuteStatementAsync(stmt, this, cancellationToken));
            }
        }

        return results;
    }
}
