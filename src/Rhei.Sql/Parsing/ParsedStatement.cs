using Rhei.Sql.Ast;

namespace Rhei.Sql.Parsing;

/// <summary>
/// A statement of a script: its AST, the text that was parsed (after <c>${variable}</c> substitution, with its
/// terminating semicolon if it had one — the text the engine stores), and where it starts in the script.
/// </summary>
public sealed record ParsedStatement(Statement Statement, string Text, SourcePosition Position)
{
    /// <summary>The statement as written in the script, before variable substitution.</summary>
    public string SourceText { get; init; } = Text;
}

/// <summary>The text of one statement of a script, found by <see cref="SqlScript.Split"/>.</summary>
/// <param name="Text">The statement text, including the terminating semicolon if present.</param>
/// <param name="Offset">Where the text starts in the script.</param>
/// <param name="Position">The line and column where it starts.</param>
public sealed record SqlStatementText(string Text, int Offset, SourcePosition Position);
