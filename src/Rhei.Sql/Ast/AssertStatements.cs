namespace Rhei.Sql.Ast;

/// <summary>
/// <c>ASSERT [NOT EXISTS] TOPIC name [WITH (...)] [TIMEOUT n unit]</c>. The topic name is case-sensitive (an unquoted
/// name keeps its case).
/// </summary>
public sealed record AssertTopic(bool NotExists, string Topic, EquatableArray<TableProperty> Properties, SqlDuration? Timeout = null) : Statement
{
    public override IEnumerable<SqlNode> Children => [.. Properties];

    internal override void WriteTo(SqlWriter writer)
    {
        writer.Append(NotExists ? "ASSERT NOT EXISTS TOPIC " : "ASSERT TOPIC ").Append(Parsing.SqlIdentifiers.FormatResourceName(Topic));
        TableProperty.WriteWith(writer, Properties);
        if (Timeout is { } timeout)
        {
            writer.Append(" TIMEOUT ").Append(timeout.ToSql());
        }
    }
}

/// <summary><c>ASSERT [NOT EXISTS] SCHEMA [SUBJECT name] [ID n] [TIMEOUT n unit]</c>.</summary>
public sealed record AssertSchema(bool NotExists, string? Subject, int? Id, SqlDuration? Timeout = null) : Statement
{
    internal override void WriteTo(SqlWriter writer)
    {
        writer.Append(NotExists ? "ASSERT NOT EXISTS SCHEMA" : "ASSERT SCHEMA");
        if (Subject is not null)
        {
            writer.Append(" SUBJECT ").Append(Parsing.SqlIdentifiers.FormatResourceName(Subject));
        }

        if (Id is { } id)
        {
            writer.Append(" ID ").Append(id);
        }

        if (Timeout is { } timeout)
        {
            writer.Append(" TIMEOUT ").Append(timeout.ToSql());
        }
    }
}

/// <summary>Test-only (ksqlDB's test runner): <c>ASSERT VALUES source [(columns)] VALUES (values)</c>.</summary>
public sealed record AssertValues(string Source, EquatableArray<string> Columns, EquatableArray<Expression> Values) : Statement
{
    public override IEnumerable<SqlNode> Children => [.. Values];

    internal override void WriteTo(SqlWriter writer)
    {
        writer.Append("ASSERT VALUES ").Identifier(Source);
        if (!Columns.IsEmpty)
        {
            writer.Append(" (").Identifiers(Columns).Append(')');
        }

        writer.Append(" VALUES (").Nodes(Values).Append(')');
    }
}

/// <summary>Test-only: <c>ASSERT NULL VALUES source [(columns)] KEY (values)</c> (a tombstone for that key).</summary>
public sealed record AssertTombstone(string Source, EquatableArray<string> Columns, EquatableArray<Expression> Keys) : Statement
{
    public override IEnumerable<SqlNode> Children => [.. Keys];

    internal override void WriteTo(SqlWriter writer)
    {
        writer.Append("ASSERT NULL VALUES ").Identifier(Source);
        if (!Columns.IsEmpty)
        {
            writer.Append(" (").Identifiers(Columns).Append(')');
        }

        writer.Append(" KEY (").Nodes(Keys).Append(')');
    }
}

/// <summary>Test-only: <c>ASSERT STREAM|TABLE name [(elements)] [WITH (...)]</c>.</summary>
public sealed record AssertSource(SourceType SourceType, string Name, EquatableArray<TableElement> Elements, EquatableArray<TableProperty> Properties) : Statement
{
    public override IEnumerable<SqlNode> Children => [.. Elements, .. Properties];

    internal override void WriteTo(SqlWriter writer)
    {
        writer.Append(SourceType == SourceType.Stream ? "ASSERT STREAM " : "ASSERT TABLE ").Identifier(Name);
        if (!Elements.IsEmpty)
        {
            writer.Append(" (").Nodes(Elements).Append(')');
        }

        TableProperty.WriteWith(writer, Properties);
    }
}

/// <summary>Test-only: <c>RUN SCRIPT 'path'</c>.</summary>
public sealed record RunScript(string Path) : Statement
{
    internal override void WriteTo(SqlWriter writer) => writer.Append("RUN SCRIPT ").StringLiteral(Path);
}
