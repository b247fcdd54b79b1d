namespace Rhei.Sql.Planning;

/// <summary>
/// A statement cannot be executed: it names something that does not exist, its types do not fit, or the query it
/// describes is not supported. The message is ksqlDB's text for the same problem.
/// </summary>
public class KsqlException : Exception
{
    public KsqlException(string message)
        : base(message)
    {
    }

    public KsqlException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// A <see cref="KsqlException"/> tied to the statement that caused it (<see cref="StatementText"/>), as ksqlDB's
/// KsqlStatementException: <see cref="Exception.Message"/> is the problem alone; <see cref="FullMessage"/> adds the
/// statement.
/// </summary>
public class KsqlStatementException : KsqlException
{
    public KsqlStatementException(string message, string statementText, Exception? innerException = null)
        : base(message, innerException)
    {
        StatementText = statementText;
    }

    public string StatementText { get; }

    /// <summary>The message followed by the statement, as ksqlDB reports it.</summary>
    public string FullMessage => string.IsNullOrEmpty(StatementText) ? Message : $"{Message}\nStatement: {StatementText}";
}

/// <summary>
/// A statement that parsed but is malformed in a way ksqlDB reports as a parse failure (for example a KEY column in a
/// table): <c>Line: 1, Col: 21: Column `ID` is a 'KEY' column: please use 'PRIMARY KEY' for tables.</c>
/// </summary>
public sealed class KsqlParseFailedException : KsqlStatementException
{
    public KsqlParseFailedException(string message, string statementText, Exception? innerException = null)
        : base(message, statementText, innerException)
    {
    }
}
