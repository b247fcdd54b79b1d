namespace Rhei.Sql.Ast;

// LIST and SHOW are synonyms; these print with SHOW.

/// <summary><c>SHOW PROPERTIES</c>.</summary>
public sealed record ListProperties : Statement
{
    internal override void WriteTo(SqlWriter writer) => writer.Append("SHOW PROPERTIES");
}

/// <summary><c>SHOW [ALL] TOPICS [EXTENDED]</c> (ALL includes internal topics).</summary>
public sealed record ListTopics(bool All = false, bool Extended = false) : Statement
{
    internal override void WriteTo(SqlWriter writer) =>
        writer.Append(All ? "SHOW ALL TOPICS" : "SHOW TOPICS").Append(Extended ? " EXTENDED" : "");
}

/// <summary><c>SHOW STREAMS [EXTENDED]</c>.</summary>
public sealed record ListStreams(bool Extended = false) : Statement
{
    internal override void WriteTo(SqlWriter writer) => writer.Append(Extended ? "SHOW STREAMS EXTENDED" : "SHOW STREAMS");
}

/// <summary><c>SHOW TABLES [EXTENDED]</c>.</summary>
public sealed record ListTables(bool Extended = false) : Statement
{
    internal override void WriteTo(SqlWriter writer) => writer.Append(Extended ? "SHOW TABLES EXTENDED" : "SHOW TABLES");
}

/// <summary><c>SHOW QUERIES [EXTENDED]</c>.</summary>
public sealed record ListQueries(bool Extended = false) : Statement
{
    internal override void WriteTo(SqlWriter writer) => writer.Append(Extended ? "SHOW QUERIES EXTENDED" : "SHOW QUERIES");
}

/// <summary><c>SHOW FUNCTIONS</c>.</summary>
public sealed record ListFunctions : Statement
{
    internal override void WriteTo(SqlWriter writer) => writer.Append("SHOW FUNCTIONS");
}

public enum ConnectorType
{
    Source,
    Sink,
}

/// <summary><c>SHOW [SOURCE | SINK] CONNECTORS</c>; <see cref="Type"/> is null for all connectors.</summary>
public sealed record ListConnectors(ConnectorType? Type = null) : Statement
{
    internal override void WriteTo(SqlWriter writer) => writer.Append(Type switch
    {
        ConnectorType.Source => "SHOW SOURCE CONNECTORS",
        ConnectorType.Sink => "SHOW SINK CONNECTORS",
        _ => "SHOW CONNECTORS",
    });
}

/// <summary><c>SHOW CONNECTOR PLUGINS</c>.</summary>
public sealed record ListConnectorPlugins : Statement
{
    internal override void WriteTo(SqlWriter writer) => writer.Append("SHOW CONNECTOR PLUGINS");
}

/// <summary><c>SHOW TYPES</c>.</summary>
public sealed record ListTypes : Statement
{
    internal override void WriteTo(SqlWriter writer) => writer.Append("SHOW TYPES");
}

/// <summary><c>SHOW VARIABLES</c>.</summary>
public sealed record ListVariables : Statement
{
    internal override void WriteTo(SqlWriter writer) => writer.Append("SHOW VARIABLES");
}

/// <summary><c>DESCRIBE source [EXTENDED]</c>.</summary>
public sealed record DescribeSource(string Name, bool Extended = false) : Statement
{
    /// <summary>Where <see cref="Name"/> is written.</summary>
    public SourcePosition NamePosition { get; init; }

    internal override void WriteTo(SqlWriter writer)
    {
        writer.Append("DESCRIBE ");

        // A source named STREAMS must stay a name, not DESCRIBE STREAMS.
        writer.Append(Name is "STREAMS" or "FUNCTION" or "CONNECTOR" ? Parsing.SqlIdentifiers.Backquote(Name) : Parsing.SqlIdentifiers.Format(Name));
        if (Extended)
        {
            writer.Append(" EXTENDED");
        }
    }
}

/// <summary><c>DESCRIBE STREAMS [EXTENDED]</c>.</summary>
public sealed record DescribeStreams(bool Extended = false) : Statement
{
    internal override void WriteTo(SqlWriter writer) => writer.Append(Extended ? "DESCRIBE STREAMS EXTENDED" : "DESCRIBE STREAMS");
}

/// <summary><c>DESCRIBE FUNCTION name</c>.</summary>
public sealed record DescribeFunction(string Name) : Statement
{
    internal override void WriteTo(SqlWriter writer) => writer.Append("DESCRIBE FUNCTION ").Identifier(Name);
}

/// <summary><c>DESCRIBE CONNECTOR name</c>.</summary>
public sealed record DescribeConnector(string Name) : Statement
{
    internal override void WriteTo(SqlWriter writer) => writer.Append("DESCRIBE CONNECTOR ").Identifier(Name);
}
