namespace Rhei.Sql.Ast;

/// <summary>How a query emits results: <c>EMIT CHANGES</c> (push) or <c>EMIT FINAL</c> (suppressed until the window closes).</summary>
public enum ResultMaterialization
{
    Changes,
    Final,
}

/// <summary>
/// <c>SELECT ... FROM ... [WINDOW ...] [WHERE ...] [GROUP BY ...] [PARTITION BY ...] [HAVING ...] [EMIT ...] [LIMIT n]</c>.
/// A query without EMIT is a pull query when run on its own. <see cref="GroupBy"/> and <see cref="PartitionBy"/> are null
/// when the clause is absent and empty for <c>GROUP BY ()</c>. A WINDOW clause written right after the first FROM
/// source (before the joins, a Rhei extension) ends up in <see cref="Window"/> like one in the standard position.
/// </summary>
public sealed record Query(
    EquatableArray<SelectItem> Select,
    FromClause From,
    WindowExpression? Window = null,
    Expression? Where = null,
    EquatableArray<Expression>? GroupBy = null,
    EquatableArray<Expression>? PartitionBy = null,
    Expression? Having = null,
    ResultMaterialization? Emit = null,
    int? Limit = null) : Statement
{
    public override IEnumerable<SqlNode> Children => [.. Select, From, .. Optional(Window), .. Optional(Where), .. GroupBy ?? [], .. PartitionBy ?? [], .. Optional(Having)];

    internal override void WriteTo(SqlWriter writer)
    {
        writer.Append("SELECT ").Nodes(Select).Append(" FROM ").Node(From);
        if (Window is not null)
        {
            writer.Append(" WINDOW ").Node(Window);
        }

        if (Where is not null)
        {
            writer.Append(" WHERE ").Node(Where);
        }

        if (GroupBy is { } groupBy)
        {
            writer.Append(" GROUP BY ");
            WriteGrouping(writer, groupBy);
        }

        if (PartitionBy is { } partitionBy)
        {
            writer.Append(" PARTITION BY ");
            WriteGrouping(writer, partitionBy);
        }

        if (Having is not null)
        {
            writer.Append(" HAVING ").Node(Having);
        }

        if (Emit is { } emit)
        {
            writer.Append(emit == ResultMaterialization.Changes ? " EMIT CHANGES" : " EMIT FINAL");
        }

        if (Limit is { } limit)
        {
            writer.Append(" LIMIT ").Append(limit);
        }
    }

    private static void WriteGrouping(SqlWriter writer, EquatableArray<Expression> expressions)
    {
        if (expressions.IsEmpty)
        {
            writer.Append("()");
        }
        else
        {
            writer.Nodes(expressions);
        }
    }
}

/// <summary>An item of the SELECT list.</summary>
public abstract record SelectItem : SqlNode;

/// <summary><c>expression [AS alias]</c>.</summary>
public sealed record SingleColumn(Expression Expression, string? Alias = null) : SelectItem
{
    public override IEnumerable<SqlNode> Children => [Expression];

    internal override void WriteTo(SqlWriter writer)
    {
        writer.Node(Expression);
        if (Alias is not null)
        {
            writer.Append(" AS ").Identifier(Alias);
        }
    }
}

/// <summary><c>*</c>, or <c>source.*</c> when <see cref="Source"/> is set.</summary>
public sealed record AllColumns(string? Source = null) : SelectItem
{
    internal override void WriteTo(SqlWriter writer)
    {
        if (Source is not null)
        {
            writer.Identifier(Source).Append('.');
        }

        writer.Append('*');
    }
}

/// <summary><c>struct-&gt;*</c>: every field of a STRUCT as its own column.</summary>
public sealed record AllStructFields(Expression Struct) : SelectItem
{
    public override IEnumerable<SqlNode> Children => [Struct];

    internal override void WriteTo(SqlWriter writer)
    {
        Struct.WriteAsPostfixBase(writer);
        writer.Append("->*");
    }
}

/// <summary>The FROM clause: a source and the sources joined to it, in order (n-way joins).</summary>
public sealed record FromClause(AliasedSource Source, EquatableArray<JoinClause> Joins) : SqlNode
{
    public override IEnumerable<SqlNode> Children => [Source, .. Joins];

    public FromClause(AliasedSource source)
        : this(source, [])
    {
    }

    internal override void WriteTo(SqlWriter writer)
    {
        writer.Node(Source);
        foreach (var join in Joins)
        {
            writer.Append(' ').Node(join);
        }
    }
}

/// <summary>A stream or table named in FROM or JOIN, with its alias if any.</summary>
public sealed record AliasedSource(string Name, string? Alias = null) : SqlNode
{
    /// <summary>The name other clauses use for this source: the alias, else the source name.</summary>
    public string EffectiveName => Alias ?? Name;

    internal override void WriteTo(SqlWriter writer)
    {
        writer.Identifier(Name);
        if (Alias is not null)
        {
            writer.Append(" AS ").Identifier(Alias);
        }
    }
}

public enum JoinType
{
    Inner,
    Left,
    Right,
    Full,
}

/// <summary><c>[INNER | LEFT [OUTER] | RIGHT [OUTER] | FULL [OUTER]] JOIN source [WITHIN ...] ON criteria</c>.</summary>
public sealed record JoinClause(JoinType Type, AliasedSource Source, WithinClause? Within, Expression Criteria) : SqlNode
{
    public override IEnumerable<SqlNode> Children => [Source, .. Optional(Within), Criteria];

    internal override void WriteTo(SqlWriter writer)
    {
        writer.Append(Type switch
        {
            JoinType.Inner => "INNER JOIN ",
            JoinType.Left => "LEFT OUTER JOIN ",
            JoinType.Right => "RIGHT OUTER JOIN ",
            _ => "FULL OUTER JOIN ",
        });
        writer.Node(Source);
        if (Within is not null)
        {
            writer.Append(' ').Node(Within);
        }

        writer.Append(" ON ").Node(Criteria);
    }
}

/// <summary>
/// The join window of a stream-stream join: <c>WITHIN n unit</c> (<see cref="Before"/> equals <see cref="After"/>) or
/// <c>WITHIN (before, after)</c>, with an optional <c>GRACE PERIOD n unit</c>.
/// </summary>
public sealed record WithinClause(SqlDuration Before, SqlDuration After, SqlDuration? GracePeriod = null) : SqlNode
{
    internal override void WriteTo(SqlWriter writer)
    {
        writer.Append("WITHIN ");
        if (Before == After)
        {
            writer.Append(Before.ToSql());
        }
        else
        {
            writer.Append('(').Append(Before.ToSql()).Append(", ").Append(After.ToSql()).Append(')');
        }

        if (GracePeriod is { } grace)
        {
            writer.Append(" GRACE PERIOD ").Append(grace.ToSql());
        }
    }
}
