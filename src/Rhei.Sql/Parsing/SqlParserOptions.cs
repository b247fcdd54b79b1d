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
    /// The deepest nesting of expressions accepted (parentheses, operators, function calls, chains of binary
    /// operators). Deeper input is rejected with a <see cref="SqlParseException"/> instead of exhausting the stack.
    /// </summary>
    public int MaxDepth { get; init; } = 500;
}
