namespace Rhei.Sql.Ast;

/// <summary>Whether a statement is about a stream or a table.</summary>
public enum SourceType
{
    Stream,
    Table,
}

/// <summary>What a column of a table element list is: a value column, a key, or header data.</summary>
public enum ColumnConstraint
{
    /// <summary>A value column (no constraint).</summary>
    None,

    /// <summary><c>KEY</c> (streams).</summary>
    Key,

    /// <summary><c>PRIMARY KEY</c> (tables).</summary>
    PrimaryKey,

    /// <summary><c>HEADERS</c>: all headers, as <c>ARRAY&lt;STRUCT&lt;KEY STRING, VALUE BYTES&gt;&gt;</c>.</summary>
    Headers,

    /// <summary><c>HEADER('key')</c>: the last header with that key, as BYTES.</summary>
    Header,
}

/// <summary>A column definition: <c>NAME type [KEY | PRIMARY KEY | HEADERS | HEADER('key')]</c>.</summary>
public sealed record TableElement(string Name, TypeSyntax Type, ColumnConstraint Constraint = ColumnConstraint.None, string? HeaderKey = null) : SqlNode
{
    public override IEnumerable<SqlNode> Children => [Type];

    internal override void WriteTo(SqlWriter writer)
    {
        writer.Identifier(Name).Append(' ').Node(Type);
        switch (Constraint)
        {
            case ColumnConstraint.Key:
                writer.Append(" KEY");
                break;
            case ColumnConstraint.PrimaryKey:
                writer.Append(" PRIMARY KEY");
                break;
            case ColumnConstraint.Headers:
                writer.Append(" HEADERS");
                break;
            case ColumnConstraint.Header:
                writer.Append(" HEADER(").StringLiteral(HeaderKey ?? "").Append(')');
                break;
        }
    }
}

/// <summary>
/// One <c>name = literal</c> of a WITH clause. <see cref="Name"/> is the identifier as resolved (upper case unless
/// quoted: <c>kafka_topic</c> gives <c>KAFKA_TOPIC</c>) or the string as written (<c>'connector.class'</c>).
/// </summary>
public sealed record TableProperty(string Name, Literal Value) : SqlNode
{
    public override IEnumerable<SqlNode> Children => [Value];

    internal override void WriteTo(SqlWriter writer)
    {
        if (Parsing.SqlIdentifiers.NeedsQuotes(Name))
        {
            writer.StringLiteral(Name);
        }
        else
        {
            writer.Append(Name);
        }

        writer.Append('=').Node(Value);
    }

    internal static void WriteWith(SqlWriter writer, EquatableArray<TableProperty> properties)
    {
        if (!properties.IsEmpty)
        {
            writer.Append(" WITH (").Nodes(properties).Append(')');
        }
    }
}

/// <summary><c>CREATE [OR REPLACE] [SOURCE] STREAM|TABLE [IF NOT EXISTS] name [(elements)] [WITH (...)]</c>.</summary>
public abstract record CreateSource(
    bool OrReplace,
    bool IsSource,
    bool IfNotExists,
    string Name,
    EquatableArray<TableElement> Elements,
    EquatableArray<TableProperty> Properties) : Statement
{
    public override IEnumerable<SqlNode> Children => [.. Elements, .. Properties];

    public abstract SourceType SourceType { get; }

    /// <summary>Where <see cref="Name"/> is written.</summary>
    public SourcePosition NamePosition { get; init; }

    internal override void WriteTo(SqlWriter writer)
    {
        writer.Append("CREATE ");
        if (OrReplace)
        {
            writer.Append("OR REPLACE ");
        }

        if (IsSource)
        {
            writer.Append("SOURCE ");
        }

        writer.Append(SourceType == SourceType.Stream ? "STREAM " : "TABLE ");
        if (IfNotExists)
        {
            writer.Append("IF NOT EXISTS ");
        }

        writer.Identifier(Name);
        if (!Elements.IsEmpty)
        {
            writer.Append(" (").Nodes(Elements).Append(')');
        }

        TableProperty.WriteWith(writer, Properties);
    }
}

public sealed record CreateStream(
    bool OrReplace,
    bool IsSource,
    bool IfNotExists,
    string Name,
    EquatableArray<TableElement> Elements,
    EquatableArray<TableProperty> Properties) : CreateSource(OrReplace, IsSource, IfNotExists, Name, Elements, Properties)
{
    public override SourceType SourceType => SourceType.Stream;
}

public sealed record CreateTable(
    bool OrReplace,
    bool IsSource,
    bool IfNotExists,
    string Name,
    EquatableArray<TableElement> Elements,
    EquatableArray<TableProperty> Properties) : CreateSource(OrReplace, IsSource, IfNotExists, Name, Elements, Properties)
{
    public override SourceType SourceType => SourceType.Table;
}

/// <summary><c>CREATE [OR REPLACE] STREAM|TABLE [IF NOT EXISTS] name [WITH (...)] AS query</c>.</summary>
public abstract record CreateAsSelect(
    bool OrReplace,
    bool IfNotExists,
    string Name,
    EquatableArray<TableProperty> Properties,
    Query Query) : Statement
{
    public override IEnumerable<SqlNode> Children => [.. Properties, Query];

    public abstract SourceType SourceType { get; }

    /// <summary>Where <see cref="Name"/> is written.</summary>
    public SourcePosition NamePosition { get; init; }

    internal override void WriteTo(SqlWriter writer)
    {
        writer.Append(OrReplace ? "CREATE OR REPLACE " : "CREATE ");
        writer.Append(SourceType == SourceType.Stream ? "STREAM " : "TABLE ");
        if (IfNotExists)
        {
            writer.Append("IF NOT EXISTS ");
        }

        writer.Identifier(Name);
        TableProperty.WriteWith(writer, Properties);
        writer.Append(" AS ").Node(Query);
    }
}

public sealed record CreateStreamAsSelect(
    bool OrReplace,
    bool IfNotExists,
    string Name,
    EquatableArray<TableProperty> Properties,
    Query Query) : CreateAsSelect(OrReplace, IfNotExists, Name, Properties, Query)
{
    public override SourceType SourceType => SourceType.Stream;
}

public sealed record CreateTableAsSelect(
    bool OrReplace,
    bool IfNotExists,
    string Name,
    EquatableArray<TableProperty> Properties,
    Query Query) : CreateAsSelect(OrReplace, IfNotExists, Name, Properties, Query)
{
    public override SourceType SourceType => SourceType.Table;
}

/// <summary><c>INSERT INTO target [WITH (...)] query</c>.</summary>
public sealed record InsertInto(string Target, EquatableArray<TableProperty> Properties, Query Query) : Statement
{
    public override IEnumerable<SqlNode> Children => [.. Properties, Query];

    /// <summary>Where <see cref="Target"/> is written.</summary>
    public SourcePosition TargetPosition { get; init; }

    internal override void WriteTo(SqlWriter writer)
    {
        writer.Append("INSERT INTO ").Identifier(Target);
        TableProperty.WriteWith(writer, Properties);
        writer.Append(' ').Node(Query);
    }
}

/// <summary><c>INSERT INTO target [(columns)] VALUES (values)</c>; <see cref="Columns"/> is empty when not listed.</summary>
public sealed record InsertValues(string Target, EquatableArray<string> Columns, EquatableArray<Expression> Values) : Statement
{
    public override IEnumerable<SqlNode> Children => [.. Values];

    /// <summary>Where <see cref="Target"/> is written.</summary>
    public SourcePosition TargetPosition { get; init; }

    internal override void WriteTo(SqlWriter writer)
    {
        writer.Append("INSERT INTO ").Identifier(Target);
        if (!Columns.IsEmpty)
        {
            writer.Append(" (").Identifiers(Columns).Append(')');
        }

        writer.Append(" VALUES (").Nodes(Values).Append(')');
    }
}

/// <summary><c>DROP STREAM|TABLE [IF EXISTS] name [DELETE TOPIC]</c>.</summary>
public abstract record DropSource(bool IfExists, string Name, bool DeleteTopic) : Statement
{
    public abstract SourceType SourceType { get; }

    /// <summary>Where <see cref="Name"/> is written.</summary>
    public SourcePosition NamePosition { get; init; }

    internal override void WriteTo(SqlWriter writer)
    {
        writer.Append(SourceType == SourceType.Stream ? "DROP STREAM " : "DROP TABLE ");
        if (IfExists)
        {
            writer.Append("IF EXISTS ");
        }

        writer.Identifier(Name);
        if (DeleteTopic)
        {
            writer.Append(" DELETE TOPIC");
        }
    }
}

public sealed record DropStream(bool IfExists, string Name, bool DeleteTopic) : DropSource(IfExists, Name, DeleteTopic)
{
    public override SourceType SourceType => SourceType.Stream;
}

public sealed record DropTable(bool IfExists, string Name, bool DeleteTopic) : DropSource(IfExists, Name, DeleteTopic)
{
    public override SourceType SourceType => SourceType.Table;
}

/// <summary>One <c>ADD [COLUMN] name type</c> of ALTER STREAM/TABLE.</summary>
public sealed record AddColumn(string Name, TypeSyntax Type) : SqlNode
{
    public override IEnumerable<SqlNode> Children => [Type];

    internal override void WriteTo(SqlWriter writer) => writer.Append("ADD COLUMN ").Identifier(Name).Append(' ').Node(Type);
}

/// <summary><c>ALTER STREAM|TABLE name ADD [COLUMN] c type [, ADD [COLUMN] ...]</c>.</summary>
public sealed record AlterSource(SourceType SourceType, string Name, EquatableArray<AddColumn> Columns) : Statement
{
    public override IEnumerable<SqlNode> Children => [.. Columns];

    /// <summary>Where <see cref="Name"/> is written.</summary>
    public SourcePosition NamePosition { get; init; }

    internal override void WriteTo(SqlWriter writer) =>
        writer.Append(SourceType == SourceType.Stream ? "ALTER STREAM " : "ALTER TABLE ").Identifier(Name).Append(' ').Nodes(Columns);
}
