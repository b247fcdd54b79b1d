using Rhei.Connect.Datagen;
using Rhei.Connect.Files;
using Rhei.Connect.Jdbc;
using Rhei.Connect.Plugins;

namespace Rhei.Connect.Runtime;

/// <summary>The connectors that ship with Rhei, under their Kafka Connect class names and short aliases.</summary>
public static class BuiltInPlugins
{
    public const string Version = "1.0.0";

    public static ConnectorPlugin JdbcSource { get; } = new(
        "io.confluent.connect.jdbc.JdbcSourceConnector", ConnectorKind.Source, Version,
        ["JdbcSource", "JdbcSourceConnector", "jdbc-source"],
        "Reads PostgreSQL or SQLite tables (bulk, incrementing, timestamp, timestamp+incrementing) into topics.",
        () => new JdbcSourceConnector());

    public static ConnectorPlugin JdbcSink { get; } = new(
        "io.confluent.connect.jdbc.JdbcSinkConnector", ConnectorKind.Sink, Version,
        ["JdbcSink", "JdbcSinkConnector", "jdbc-sink"],
        "Writes topics to PostgreSQL or SQLite tables (insert, upsert, update; deletes on tombstones).",
        () => new JdbcSinkConnector());

    public static ConnectorPlugin Datagen { get; } = new(
        "io.confluent.kafka.connect.datagen.DatagenConnector", ConnectorKind.Source, Version,
        ["DatagenSource", "DatagenConnector", "Datagen", "datagen"],
        "Generates sample data: the quickstart sets (pageviews, users, orders, ...) and the Nexmark benchmark's events.",
        () => new DatagenConnector());

    public static ConnectorPlugin FileSource { get; } = new(
        "org.apache.kafka.connect.file.FileStreamSourceConnector", ConnectorKind.Source, Version,
        ["FileStreamSource", "FileStreamSourceConnector", "FileSource"],
        "Reads the lines of a file into a topic.",
        () => new FileStreamSourceConnector());

    public static ConnectorPlugin FileSink { get; } = new(
        "org.apache.kafka.connect.file.FileStreamSinkConnector", ConnectorKind.Sink, Version,
        ["FileStreamSink", "FileStreamSinkConnector", "FileSink"],
        "Writes the values of topics to a file, one line each.",
        () => new FileStreamSinkConnector());

    public static IReadOnlyList<ConnectorPlugin> All { get; } = [JdbcSource, JdbcSink, Datagen, FileSource, FileSink];
}
