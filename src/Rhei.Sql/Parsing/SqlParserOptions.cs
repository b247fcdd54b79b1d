namespace Rhei.Sql.Parsing;

/// <summary>Options of <see cref="SqlParser"/>.</summary>
public sealed record SqlParserOptions
{
    public static SqlParserOptions Default { get; } = new();

    /// <summary>
    /// Variables for <c>${name}</c> substitution (names compare case-insensitively). <see cref="SqlParser.ParseScript"/>
    /// starts from these and applies the script's own DEFINE and UNDEFINE statements as it goes.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Variables { get; init; }

    /// <summary>
    /// Accept the statements of ksqlDB's test runner: <c>ASSERT VALUES</c>, <c>ASSERT NULL VALUES</c>,
    /// <c>ASSERT STREAM</c>, <c>ASSERT TABLE</c> and <c>RUN SCRIPT</c>. Off by default, as in ksqlDB's server.
    /// </summary>
    public bool AllowTestStatements { get; init; }

    /// <summary>
    /// The deepest AST accepted (<see cref="AstDepth"/>: a statement's nodes on the longest path, so a chain of 300
    /// ORs is about 300 deep; parentheses add nothing). Deeper statements are rejected with a
    /// <see cref="SqlParseException"/>, so that code walking the AST recursively cannot exhaust the stack. Input nested
    /// so deeply that the parser itself would exhaust the stack is rejected too.
    /// </summary>
    public int MaxDepth { get; init; } = 400;
}
