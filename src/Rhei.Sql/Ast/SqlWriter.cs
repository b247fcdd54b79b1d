using System.Text;
using Rhei.Sql.Parsing;

namespace Rhei.Sql.Ast;

/// <summary>Accumulates the SQL text of nodes; the one place that knows how names and strings are quoted.</summary>
internal sealed class SqlWriter
{
    private readonly StringBuilder _sb = new();

    public SqlWriter Append(string text)
    {
        _sb.Append(text);
        return this;
    }

    public SqlWriter Append(char c)
    {
        _sb.Append(c);
        return this;
    }

    public SqlWriter Append(long value)
    {
        _sb.Append(value);
        return this;
    }

    public SqlWriter Node(SqlNode node)
    {
        node.WriteTo(this);
        return this;
    }

    /// <summary>An identifier, back-quoted when it would not read back as the same name.</summary>
    public SqlWriter Identifier(string name) => Append(SqlIdentifiers.Format(name));

    public SqlWriter StringLiteral(string value) => Append(SqlIdentifiers.QuoteString(value));

    public SqlWriter Nodes<T>(EquatableArray<T> nodes, string separator = ", ")
        where T : SqlNode
    {
        for (var i = 0; i < nodes.Count; i++)
        {
            if (i > 0)
            {
                _sb.Append(separator);
            }

            nodes[i].WriteTo(this);
        }

        return this;
    }

    public SqlWriter Identifiers(EquatableArray<string> names)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (i > 0)
            {
                _sb.Append(", ");
            }

            Identifier(names[i]);
        }

        return this;
    }

    public override string ToString() => _sb.ToString();
}
