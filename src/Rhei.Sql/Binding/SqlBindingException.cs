using Rhei.Sql.Ast;

namespace Rhei.Sql.Binding;

/// <summary>
/// An expression that cannot be bound: an unknown or ambiguous column, a type error, a function that does not
/// accept its arguments. <see cref="Exception.Message"/> is ksqlDB's text for the same problem (the planner adds
/// the clause prefix ksqlDB adds, such as <c>Error in WHERE expression: </c>). <see cref="Position"/> is where the
/// offending sub-expression starts, when known.
/// </summary>
public sealed class SqlBindingException : Exception
{
    public SqlBindingException(string message, SourcePosition position = default, Exception? inner = null)
        : base(message, inner)
    {
        Position = position;
    }

    public SqlBindingException()
    {
    }

    public SqlBindingException(string message)
        : base(message)
    {
    }

    public SqlBindingException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Where the offending sub-expression starts (<see cref="SourcePosition.None"/> when unknown).</summary>
    public SourcePosition Position { get; }

    /// <summary>The message with ksqlDB's position prefix <c>Line: 3, Col: 38: </c> when the position is known.</summary>
    public string MessageWithPosition => Position.IsKnown ? $"Line: {Position.Line}, Col: {Position.Column}: {Message}" : Message;
}
