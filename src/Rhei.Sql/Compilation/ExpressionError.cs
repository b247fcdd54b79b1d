namespace Rhei.Sql.Compilation;

/// <summary>
/// An expression that failed on one row (ksqlDB replaces the value with NULL, or treats a failing condition as
/// false, and writes a processing-log record). Created only when an error happens.
/// </summary>
/// <param name="ExpressionText">The failing expression as SQL (the whole output column's expression).</param>
/// <param name="Exception">What went wrong (<see cref="ArithmeticException"/> for <c>/ by zero</c>, a function's
/// <see cref="Functions.SqlFunctionException"/>, a <see cref="FormatException"/> from a CAST, ...).</param>
/// <param name="ColumnIndex">The output column of a projection, or -1 for a single expression or predicate.</param>
/// <param name="Row">The input row.</param>
public sealed record ExpressionError(string ExpressionText, Exception Exception, int ColumnIndex, object?[] Row)
{
    /// <summary>The processing-log message, worded as ksqlDB's:
    /// <c>Error computing expression (A / B) for column KSQL_COL_0 with index 0: / by zero</c> (without a column name:
    /// <c>Error computing expression (A / B): / by zero</c>).</summary>
    public string Message(string? columnName = null) => ColumnIndex >= 0 && columnName is not null
        ? $"Error computing expression {ExpressionText} for column {columnName} with index {ColumnIndex}: {Exception.Message}"
        : $"Error computing expression {ExpressionText}: {Exception.Message}";
}
