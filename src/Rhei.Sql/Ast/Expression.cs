namespace Rhei.Sql.Ast;

/// <summary>
/// A SQL expression. Expressions print in ksqlDB's style: every binary operation and predicate is wrapped
/// in parentheses (<c>(A = 1)</c>, <c>((A + B) * 2)</c>), function names and identifiers are printed as
/// resolved (upper case unless they were quoted), literals as written.
/// </summary>
public abstract record Expression : SqlNode
{
    /// <summary>
    /// Writes the expression as the base of a postfix operator (<c>[i]</c>, <c>-&gt;f</c>): prefix forms
    /// are parenthesized so that the operator applies to the whole expression when read back.
    /// </summary>
    internal void WriteAsPostfixBase(SqlWriter writer)
    {
        if (this is ArithmeticUnaryExpression or LambdaExpression)
        {
            writer.Append('(').Node(this).Append(')');
        }
        else
        {
            WriteTo(writer);
        }
    }
}
