using Rhei.Sql.Ast;

namespace Rhei.Sql.Parsing;

public enum SqlTokenKind
{
    EndOfInput,

    /// <summary>An unquoted word: <see cref="SqlToken.Value"/> is upper case; <see cref="SqlToken.Keyword"/> is set when it is a keyword.</summary>
    Identifier,

    /// <summary><c>`name`</c> or <c>"name"</c>: <see cref="SqlToken.Value"/> is the name as written (case kept, quotes unescaped).</summary>
    QuotedIdentifier,

    /// <summary><c>'text'</c>: <see cref="SqlToken.Value"/> is the text with <c>''</c> unescaped.</summary>
    String,

    /// <summary>Digits only.</summary>
    Integer,

    /// <summary>Digits with a decimal point and no exponent.</summary>
    Decimal,

    /// <summary>A number with an exponent.</summary>
    Double,

    /// <summary><c>${name}</c>: a variable reference left after substitution (<see cref="SqlToken.Value"/> is the name).</summary>
    Variable,

    LeftParen,
    RightParen,
    LeftBracket,
    RightBracket,
    Comma,
    Dot,
    Semicolon,
    Asterisk,
    Plus,
    Minus,
    Slash,
    Percent,
    Equal,
    NotEqual,
    LessThan,
    LessThanOrEqual,
    GreaterThan,
    GreaterThanOrEqual,

    /// <summary><c>||</c>.</summary>
    Concat,

    /// <summary><c>:=</c>.</summary>
    Assign,

    /// <summary><c>-&gt;</c>.</summary>
    Arrow,

    /// <summary><c>=&gt;</c>.</summary>
    Lambda,
}

/// <summary>
/// A token of SQL text: its kind, the text as written, its value (upper-cased word, unquoted name, unescaped
/// string), the keyword it is (if any), and where it is.
/// </summary>
public sealed record SqlToken(
    SqlTokenKind Kind,
    string Text,
    string Value,
    SqlKeyword Keyword,
    int Offset,
    SourcePosition Position)
{
    public int Length => Text.Length;

    public int End => Offset + Text.Length;

    public bool IsKeyword(SqlKeyword keyword) => Kind == SqlTokenKind.Identifier && Keyword == keyword;

    /// <summary>True when the token may be used as an identifier: a quoted name, or a word that is not a reserved keyword.</summary>
    public bool IsIdentifier =>
        Kind == SqlTokenKind.QuotedIdentifier || (Kind == SqlTokenKind.Identifier && !SqlKeywords.IsReserved(Keyword));

    /// <summary>The token as shown in error messages (<c>&lt;EOF&gt;</c> at the end).</summary>
    public string Display => Kind == SqlTokenKind.EndOfInput ? "<EOF>" : Text;
}
