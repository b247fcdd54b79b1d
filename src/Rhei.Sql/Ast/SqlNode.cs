namespace Rhei.Sql.Ast;

/// <summary>
/// The base of every AST node: an immutable record that compares by content (never by
/// <see cref="Position"/>) and prints back to SQL with <see cref="ToSql"/>, such that parsing the printed
/// text gives an equal node.
/// </summary>
public abstract record SqlNode
{
    /// <summary>Where the node starts in the source text (<see cref="SourcePosition.None"/> for built nodes).</summary>
    public SourcePosition Position { get; init; }

    /// <summary>
    /// The direct sub-nodes, in source order (operands, arguments, clauses, column definitions, ...). Leaves such as
    /// literals and column references have none. Walk them to visit a whole tree without knowing every node type.
    /// </summary>
    public virtual IEnumerable<SqlNode> Children => [];

    /// <summary>The node as SQL text, in ksqlDB's formatting style (binary operations fully parenthesized).</summary>
    public string ToSql()
    {
        var writer = new SqlWriter();
        WriteTo(writer);
        return writer.ToString();
    }

    /// <summary>The SQL text of the node (<see cref="ToSql"/>), so that nodes read well in messages.</summary>
    public sealed override string ToString() => ToSql();

    internal abstract void WriteTo(SqlWriter writer);

    private protected static SqlNode[] Optional(SqlNode? node) => node is null ? [] : [node];
}
