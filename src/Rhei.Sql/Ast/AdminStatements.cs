namespace Rhei.Sql.Ast;

/// <summary>
/// <c>PRINT topic [FROM BEGINNING] [INTERVAL | SAMPLE n] [LIMIT n]</c>. The topic name is case-sensitive: an
/// unquoted name keeps its case, as in ksqlDB.
/// </summary>
public sealed record PrintTopic(string Topic, bool FromBeginning = false, int? Interval = null, int? Limit = null) : Statement
{
    internal override void WriteTo(SqlWriter writer)
    {
        writer.Append("PRINT ").Append(Parsing.SqlIdentifiers.FormatResourceName(Topic));
        if (FromBeginning)
        {
            writer.Append(" FROM BEGINNING");
        }

        if (Interval is { } interval)
        {
            writer.Append(" INTERVAL ").Append(interval);
        }

        if (Limit is { } limit)
        {
            writer.Append(" LIMIT ").Append(limit);
        }
    }
}

/// <summary><c>TERMINATE query_id</c>, or <c>TERMINATE ALL</c> when <see cref="QueryId"/> is null.</summary>
public sealed record TerminateQuery(string? QueryId) : Statement
{
    public bool All => QueryId is null;

    internal override void WriteTo(SqlWriter writer) => WriteQueryCommand(writer, "TERMINATE ", QueryId);

    internal static void WriteQueryCommand(SqlWriter writer, string command, string? queryId)
    {
        writer.Append(command);
        if (queryId is null)
        {
            writer.Append("ALL");
        }
        else
        {
            writer.Identifier(queryId);
        }
    }
}

/// <summary><c>PAUSE query_id</c>, or <c>PAUSE ALL</c> when <see cref="QueryId"/> is null.</summary>
public sealed record PauseQuery(string? QueryId) : Statement
{
    public bool All => QueryId is null;

    internal override void WriteTo(SqlWriter writer) => TerminateQuery.WriteQueryCommand(writer, "PAUSE ", QueryId);
}

/// <summary><c>RESUME query_id</c>, or <c>RESUME ALL</c> when <see cref="QueryId"/> is null.</summary>
public sealed record ResumeQuery(string? QueryId) : Statement
{
    public bool All => QueryId is null;

    internal override void WriteTo(SqlWriter writer) => TerminateQuery.WriteQueryCommand(writer, "RESUME ", QueryId);
}

/// <summary><c>SET 'name' = 'value'</c> (a session property).</summary>
public sealed record SetProperty(string Name, string Value) : Statement
{
    internal override void WriteTo(SqlWriter writer) => writer.Append("SET ").StringLiteral(Name).Append("=").StringLiteral(Value);
}

/// <summary><c>UNSET 'name'</c>.</summary>
public sealed record UnsetProperty(string Name) : Statement
{
    internal override void WriteTo(SqlWriter writer) => writer.Append("UNSET ").StringLiteral(Name);
}

/// <summary><c>ALTER SYSTEM 'name' = 'value'</c> (a cluster-wide property).</summary>
public sealed record AlterSystemProperty(string Name, string Value) : Statement
{
    internal override void WriteTo(SqlWriter writer) => writer.Append("ALTER SYSTEM ").StringLiteral(Name).Append("=").StringLiteral(Value);
}

/// <summary><c>DEFINE name = 'value'</c>. The name keeps its case; the value has its quotes removed.</summary>
public sealed record DefineVariable(string Name, string Value) : Statement
{
    internal override void WriteTo(SqlWriter writer) => writer.Append("DEFINE ").Append(Name).Append(" = ").StringLiteral(Value);
}

/// <summary><c>UNDEFINE name</c>.</summary>
public sealed record UndefineVariable(string Name) : Statement
{
    internal override void WriteTo(SqlWriter writer) => writer.Append("UNDEFINE ").Append(Name);
}

/// <summary><c>EXPLAIN statement</c> or <c>EXPLAIN query_id</c>: exactly one of <see cref="Statement"/> and <see cref="QueryId"/> is set.</summary>
public sealed record Explain(Statement? Statement, string? QueryId) : Statement
{
    public override IEnumerable<SqlNode> Children => [.. Optional(Statement)];

    internal override void WriteTo(SqlWriter writer)
    {
        writer.Append("EXPLAIN ");
        if (Statement is not null)
        {
            writer.Node(Statement);
        }
        else
        {
            writer.Identifier(QueryId ?? "");
        }
    }
}

/// <summary><c>CREATE SOURCE|SINK CONNECTOR [IF NOT EXISTS] name WITH (...)</c>.</summary>
public sealed record CreateConnector(ConnectorType Type, bool IfNotExists, string Name, EquatableArray<TableProperty> Properties) : Statement
{
    public override IEnumerable<SqlNode> Children => [.. Properties];

    internal override void WriteTo(SqlWriter writer)
    {
        writer.Append(Type == ConnectorType.Source ? "CREATE SOURCE CONNECTOR " : "CREATE SINK CONNECTOR ");
        if (IfNotExists)
        {
            writer.Append("IF NOT EXISTS ");
        }

        writer.Identifier(Name);
        TableProperty.WriteWith(writer, Properties);
    }
}

/// <summary><c>DROP CONNECTOR [IF EXISTS] name</c>.</summary>
public sealed record DropConnector(bool IfExists, string Name) : Statement
{
    internal override void WriteTo(SqlWriter writer) =>
        writer.Append(IfExists ? "DROP CONNECTOR IF EXISTS " : "DROP CONNECTOR ").Identifier(Name);
}

/// <summary><c>CREATE TYPE [IF NOT EXISTS] name AS type</c> (ksqlDB's RegisterType).</summary>
public sealed record CreateType(bool IfNotExists, string Name, TypeSyntax Type) : Statement
{
    public override IEnumerable<SqlNode> Children => [Type];

    internal override void WriteTo(SqlWriter writer) =>
        writer.Append(IfNotExists ? "CREATE TYPE IF NOT EXISTS " : "CREATE TYPE ").Identifier(Name).Append(" AS ").Node(Type);
}

/// <summary><c>DROP TYPE [IF EXISTS] name</c>.</summary>
public sealed record DropType(bool IfExists, string Name) : Statement
{
    internal override void WriteTo(SqlWriter writer) =>
        writer.Append(IfExists ? "DROP TYPE IF EXISTS " : "DROP TYPE ").Identifier(Name);
}
