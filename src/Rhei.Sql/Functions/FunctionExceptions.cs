namespace Rhei.Sql.Functions;

/// <summary>
/// A call that cannot be bound: unknown function, no overload for the argument types, an ambiguous
/// call. The message is ksqlDB's text (<c>Function 'substring' does not accept parameters (...)</c>);
/// the binder adds the statement position.
/// </summary>
public sealed class FunctionResolutionException : Exception
{
    public FunctionResolutionException(string message)
        : base(message)
    {
    }

    public FunctionResolutionException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public FunctionResolutionException()
    {
    }
}

/// <summary>
/// A function failed on a particular input (ksqlDB's <c>KsqlFunctionException</c>): the row's
/// expression evaluates to NULL and the failure goes to the processing log; an aggregate failure
/// (<c>Numeric field overflow</c>) is a processing error of the record.
/// </summary>
public sealed class SqlFunctionException : Exception
{
    public SqlFunctionException(string message)
        : base(message)
    {
    }

    public SqlFunctionException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public SqlFunctionException()
    {
    }
}
