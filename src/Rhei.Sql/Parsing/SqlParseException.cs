using Rhei.Sql.Ast;

namespace Rhei.Sql.Parsing;

/// <summary>
/// SQL text that cannot be parsed. <see cref="Exception.Message"/> reads as ksqlDB's:
/// <c>line 1:32: Syntax Error\nExpecting {'STRING', INTEGER_VALUE}</c>. <see cref="ErrorMessage"/> is the part after
/// the position, <see cref="ShortMessage"/> the one-line form ksqlDB logs:
/// <c>Syntax error at or near 'KEY' at line 1:32</c>.
/// </summary>
public sealed class SqlParseException : FormatException
{
    public SqlParseException(string errorMessage, SourcePosition position, string? offendingText)
        : base($"line {position.Line}:{position.Column}: {errorMessage}")
    {
        ErrorMessage = errorMessage;
        Position = position;
        OffendingText = offendingText;
    }

    /// <summary>The message without the position prefix.</summary>
    public string ErrorMessage { get; }

    /// <summary>Where the problem is (1-based line and column).</summary>
    public SourcePosition Position { get; }

    public int Line => Position.Line;

    public int Column => Position.Column;

    /// <summary>The text of the token at the error (<c>&lt;EOF&gt;</c> at the end of the input), if known.</summary>
    public string? OffendingText { get; }

    /// <summary>True for errors in the structure of the text (as opposed to, say, a number out of range).</summary>
    public bool IsSyntaxError => ErrorMessage.StartsWith("Syntax Error", StringComparison.Ordinal);

    /// <summary>
    /// For syntax errors <c>Syntax error at or near 'X' at line L:C</c> (the form ksqlDB logs); otherwise the
    /// <see cref="Exception.Message"/>.
    /// </summary>
    public string ShortMessage => !IsSyntaxError
        ? Message
        : OffendingText is null
            ? $"Syntax error at line {Line}:{Column}"
            : $"Syntax error at or near '{OffendingText}' at line {Line}:{Column}";
}
