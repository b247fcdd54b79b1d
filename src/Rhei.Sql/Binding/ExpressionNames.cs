using Rhei.Sql.Ast;

namespace Rhei.Sql.Binding;

/// <summary>
/// The names ksqlDB gives unaliased SELECT expressions: a column keeps its name, a struct field access
/// <c>A-&gt;B-&gt;C</c> is named after the last field (<c>C</c>), anything else gets no name here and the planner
/// assigns <c>KSQL_COL_&lt;n&gt;</c> (<see cref="GeneratedName"/>).
/// </summary>
public static class ExpressionNames
{
    /// <summary>The prefix of generated column names.</summary>
    public const string GeneratedPrefix = "KSQL_COL_";

    /// <summary>The name of an unaliased bound expression, or null when the planner must generate one.
    /// A join's column keeps its row name (<c>I1_BAR</c> for <c>I1.BAR</c>).</summary>
    public static string? DefaultName(BoundExpression expression) => expression switch
    {
        BoundColumn c => c.Column.Name,
        BoundDereference d => d.FieldName,
        _ => null,
    };

    /// <summary>The name of an unaliased parsed expression, or null when the planner must generate one.</summary>
    public static string? DefaultName(Expression expression) => expression switch
    {
        ColumnReference c => c.Name,
        DereferenceExpression d => d.FieldName,
        _ => null,
    };

    /// <summary><c>KSQL_COL_&lt;index&gt;</c>.</summary>
    public static string GeneratedName(int index) => GeneratedPrefix + index.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
