using System.Text;
using System.Text.Json;
using Rhei.Server.Rest.Entities;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Rhei.Cli.Sql;

/// <summary>Prints statement results, query rows and errors, as tables (like ksqlDB's CLI) or as the server's JSON.</summary>
internal sealed class ResultPrinter(ShellOutput output)
{
    public OutputFormat Format { get; set; } = OutputFormat.Tabular;

    private TextWriter Out => output.Writer;

    public void Message(string text) => Out.WriteLine(text);

    public void Error(string text)
    {
        if (output.IsTerminal && output.SpoolPath is null && Format == OutputFormat.Tabular)
        {
            output.Console.MarkupLine("[red]" + Markup.Escape(text) + "[/]");
        }
        else
        {
            Out.WriteLine(text);
        }
    }

    public void Error(KsqlErrorMessage error, byte[] raw)
    {
        if (Format == OutputFormat.Json && raw.Length > 0)
        {
            Out.WriteLine(Indent(raw));
            return;
        }

        Error(error.Message);
        if (error is KsqlStatementErrorMessage { Entities.Count: > 0 } statementError)
        {
            // The statements before the failing one did run.
            Entities(statementError.Entities, []);
        }
    }

    public void Entities(IReadOnlyList<KsqlEntity> entities, byte[] raw)
    {
        if (Format == OutputFormat.Json)
        {
            Out.WriteLine(raw.Length > 0 ? Indent(raw) : "[]");
            return;
        }

        foreach (var entity in entities)
        {
            Entity(entity);
            foreach (var warning in entity.Warnings)
            {
                Error("WARNING: " + warning.Message);
            }
        }
    }

    private void Entity(KsqlEntity entity)
    {
        switch (entity)
        {
            case CommandStatusEntity c:
                Table(["Message"], [[c.CommandStatus.Message]]);
                break;
            case StreamsList s:
                Table(["Stream Name", "Kafka Topic", "Key Format", "Value Format", "Windowed"],
                    s.Streams.Select(x => new[] { x.Name, x.Topic, x.KeyFormat, x.ValueFormat, Bool(x.IsWindowed) }));
                break;
            case TablesList t:
                Table(["Table Name", "Kafka Topic", "Key Format", "Value Format", "Windowed"],
                    t.Tables.Select(x => new[] { x.Name, x.Topic, x.KeyFormat, x.ValueFormat, Bool(x.IsWindowed) }));
                break;
            case QueriesList q:
                Table(["Query ID", "Query Type", "Status", "Sink Name", "Sink Kafka Topic", "Query String"],
                    q.Queries.Select(x => new[]
                    {
                        x.Id, x.QueryType, string.Join(",", x.StatusCount.Select(s => $"{s.Key}:{s.Value}")),
                        string.Join(",", x.Sinks), string.Join(",", x.SinkKafkaTopics), x.QueryString,
                    }));
                Out.WriteLine("For detailed information on a Query run: EXPLAIN <Query ID>;");
                break;
            case SourceDescriptionEntity d:
                Describe(d.SourceDescription);
                break;
            case SourceDescriptionList l:
                foreach (var d in l.SourceDescriptions)
                {
                    Describe(d);
                }

                break;
            case QueryDescriptionEntity q:
                Explain(q.QueryDescription);
                break;
            case QueryDescriptionList l:
                foreach (var q in l.QueryDescriptions)
                {
                    Explain(q);
                }

                break;
            case KafkaTopicsList k:
                Table(["Kafka Topic", "Partitions", "Partition Replicas"],
                    k.Topics.Select(x => new[] { x.Name, x.ReplicaInfo.Count.ToString(), x.ReplicaInfo.Count == 0 ? "0" : x.ReplicaInfo[0].ToString() }));
                break;
            case KafkaTopicsListExtended k:
                Table(["Kafka Topic", "Partitions", "Partition Replicas", "Consumers", "Consumer Groups"],
                    k.Topics.Select(x => new[] { x.Name, x.ReplicaInfo.Count.ToString(), x.ReplicaInfo.Count == 0 ? "0" : x.ReplicaInfo[0].ToString(), x.ConsumerCount.ToString(), x.ConsumerGroupCount.ToString() }));
                break;
            case PropertiesList p:
                Table(["Property", "Scope", "Default override", "Effective Value"],
                    p.Properties.Select(x => new[] { x.Name, x.Scope, p.OverwrittenProperties.Contains(x.Name) ? "SESSION" : p.DefaultProperties.Contains(x.Name) ? "" : "SERVER", x.Value }));
                break;
            case FunctionNameList f:
                Table(["Function Name", "Category"], f.Functions.OrderBy(x => x.Name, StringComparer.Ordinal).Select(x => new[] { x.Name, x.Category }));
                Out.WriteLine("For detailed information on a function run: DESCRIBE FUNCTION <Function Name>;");
                break;
            case FunctionDescriptionList f:
                Pairs([("Name", f.Name), ("Author", f.Author), ("Version", f.Version), ("Overview", f.Description), ("Type", f.Type), ("Jar", f.Path), ("Variations", "")]);
                foreach (var v in f.Functions)
                {
                    Pairs([
                        ("\tVariation", $"{f.Name}({string.Join(", ", v.Arguments.Select(a => (a.Name.Length > 0 ? a.Name + " " : "") + a.Type + (a.IsVariadic ? "..." : "")))})"),
                        ("\tReturns", v.ReturnType),
                        ("\tDescription", v.Description),
                    ]);
                }

                break;
            case TypeList t:
                Table(["Type Name", "Schema"], t.Types.OrderBy(x => x.Key, StringComparer.Ordinal).Select(x => new[] { x.Key, TypeText(x.Value) }));
                break;
            case VariablesList v:
                Table(["Variable Name", "Value"], v.Variables.Select(x => new[] { x.Name, x.Value }));
                break;
            case ConnectorList c:
                Table(["Connector Name", "Type", "Class", "Status"], c.Connectors.Select(x => new[] { x.Name, x.Type, x.ClassName, x.State }));
                break;
            case ConnectorDescription c:
                Pairs([("Name", c.Status?.Name ?? ""), ("Class", c.ConnectorClass), ("Type", c.Status?.Type ?? ""),
                    ("State", c.Status?.Connector.State ?? ""), ("WorkerId", c.Status?.Connector.WorkerId ?? ""),
                    ("Trace", c.Status?.Connector.Trace ?? "")]);
                Table(["Task ID", "State", "Error Trace"], (c.Status?.Tasks ?? []).Select(t => new[] { t.Id?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "", t.State, t.Trace ?? "" }));
                Table(["ksqlDB Source Name", "Kafka Topic", "Type"], c.Sources.Select(s => new[] { s.Name, s.Topic, s.Type }));
                Table(["Related Topics"], c.Topics.Select(t => new[] { t }));
                break;
            case CreateConnectorEntity c:
                Out.WriteLine($" Created connector {c.Info?.Name}");
                break;
            case DropConnectorEntity d:
                Out.WriteLine($" Dropped connector \"{d.ConnectorName}\"");
                break;
            case ConnectorPluginsList p:
                Table(["Class", "Type", "Version"], p.ConnectorPlugins.Select(x => new[] { x.ClassName, x.Type, x.Version }));
                break;
            case WarningEntity w:
                Out.WriteLine(w.Message);
                break;
            case ErrorEntity e:
                Error(e.ErrorMessage);
                break;
            default:
                Out.WriteLine($"(a result this CLI cannot show as a table; use 'output json' to see it) {entity.StatementText}");
                break;
        }
    }

    private void Describe(SourceDescription d)
    {
        Out.WriteLine();
        Pairs([("Name", d.Name)]);
        if (d.Extended)
        {
            Pairs([("Type", d.Type), ("Timestamp field", d.Timestamp.Length > 0 ? d.Timestamp : "Not set - using <ROWTIME>"),
                ("Key format", d.KeyFormat), ("Value format", d.ValueFormat), ("Kafka topic", $"{d.Topic} (partitions: {d.Partitions}, replication: {d.Replication})"),
                ("Statement", d.Statement)]);
        }

        Table(["Field", "Type"], d.Fields.Select(f => new[]
        {
            f.Name,
            TypeText(f.Schema) + (f.Type == "KEY" ? (d.Type == "TABLE" ? "          (primary key)" : "          (key)") : f.Type == "HEADER" ? $"          (header{(f.HeaderKey is null ? "" : $"('{f.HeaderKey}')")})" : ""),
        }));
        if (d.Extended)
        {
            QueriesOf("Queries that read from this " + d.Type, d.ReadQueries);
            QueriesOf("Queries that write from this " + d.Type, d.WriteQueries);
        }
        else
        {
            Out.WriteLine("For runtime statistics and query details run: DESCRIBE <Stream,Table> EXTENDED;");
        }
    }

    private void QueriesOf(string title, IReadOnlyList<RunningQuery> queries)
    {
        Out.WriteLine();
        Out.WriteLine(title);
        Out.WriteLine(new string('-', title.Length));
        foreach (var q in queries)
        {
            Out.WriteLine($"{q.Id} ({q.State}) : {q.QueryString}");
        }
    }

    private void Explain(QueryDescription q)
    {
        Pairs([("ID", q.Id), ("Query Type", q.QueryType), ("SQL", q.StatementText), ("Host Query Status", q.State)]);
        Table(["Field", "Type"], q.Fields.Select(f => new[] { f.Name, TypeText(f.Schema) + (f.Type == "KEY" ? "          (key)" : "") }));
        Out.WriteLine();
        Out.WriteLine("Sources that this query reads from: ");
        foreach (var s in q.Sources)
        {
            Out.WriteLine(s);
        }

        Out.WriteLine();
        Out.WriteLine("Sinks that this query writes to: ");
        foreach (var s in q.Sinks)
        {
            Out.WriteLine(s);
        }

        Out.WriteLine();
        Out.WriteLine("Execution plan");
        Out.WriteLine("--------------");
        Out.WriteLine(q.ExecutionPlan);
        Out.WriteLine();
        Out.WriteLine("Processing topology");
        Out.WriteLine("-------------------");
        Out.WriteLine(q.Topology);
    }

    /// <summary>A SQL type from a REST schema object.</summary>
    public static string TypeText(SchemaInfo schema) => schema.Type switch
    {
        "ARRAY" => $"ARRAY<{(schema.MemberSchema is null ? "?" : TypeText(schema.MemberSchema))}>",
        "MAP" => $"MAP<STRING, {(schema.MemberSchema is null ? "?" : TypeText(schema.MemberSchema))}>",
        "STRUCT" => $"STRUCT<{string.Join(", ", (schema.Fields ?? []).Select(f => $"{f.Name} {TypeText(f.Schema)}"))}>",
        "DECIMAL" when schema.Parameters is { } p => $"DECIMAL({p.GetValueOrDefault("precision")}, {p.GetValueOrDefault("scale")})",
        "STRING" => "VARCHAR(STRING)",
        _ => schema.Type,
    };

    private void Pairs(IEnumerable<(string Name, string Value)> pairs)
    {
        var list = pairs.ToList();
        var width = list.Max(p => p.Name.Length);
        foreach (var (name, value) in list)
        {
            Out.WriteLine($"{name.PadRight(Math.Max(width, 20))} : {value}");
        }
    }

    /// <summary>A table with a header row; cells are plain text (no markup).</summary>
    public void Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var table = new Table().Border(TableBorder.Ascii);
        foreach (var header in headers)
        {
            table.AddColumn(new TableColumn(new Text(header)));
        }

        foreach (var row in rows)
        {
            table.AddRow(row.Select(c => (IRenderable)new Text(c ?? "")).ToArray());
        }

        output.Console.Write(table);
    }

    /// <summary>The rows of a pull query, all received: one table.</summary>
    public void PullRows(StreamedQuery query, IReadOnlyList<JsonElement> rows)
    {
        if (Format == OutputFormat.Json)
        {
            Out.WriteLine(query.HeaderJson);
            foreach (var row in rows)
            {
                Out.WriteLine(row.GetRawText());
            }

            return;
        }

        Table(query.ColumnNames, rows.Select(r => r.ValueKind == JsonValueKind.Array ? r.EnumerateArray().Select(Cell).ToArray() : [r.GetRawText()]));
    }

    /// <summary>The header of a push query's rows, printed before any row arrives.</summary>
    public int[] PushHeader(StreamedQuery query)
    {
        if (Format == OutputFormat.Json)
        {
            Out.WriteLine(query.HeaderJson);
            return [];
        }

        var count = Math.Max(1, query.ColumnNames.Count);
        var share = Math.Max(10, ((output.IsTerminal ? output.Console.Profile.Width : 120) - count - 1) / count);
        var widths = query.ColumnNames.Select(n => Math.Max(n.Length, Math.Min(share, 30))).ToArray();
        var rule = "+" + string.Join("+", widths.Select(w => new string('-', w))) + "+";
        Out.WriteLine(rule);
        Out.WriteLine("|" + string.Join("|", query.ColumnNames.Select((n, i) => n.PadRight(widths[i]))) + "|");
        Out.WriteLine(rule);
        Out.Flush();
        return widths;
    }

    /// <summary>One row of a push query, as it arrives.</summary>
    public void PushRow(JsonElement row, int[] widths)
    {
        if (Format == OutputFormat.Json || row.ValueKind != JsonValueKind.Array)
        {
            Out.WriteLine(row.GetRawText());
        }
        else
        {
            var cells = row.EnumerateArray().Select((v, i) => Cell(v).PadRight(i < widths.Length ? widths[i] : 0));
            Out.WriteLine("|" + string.Join("|", cells) + "|");
        }

        Out.Flush();
    }

    /// <summary>The text of one value of a query row, as ksqlDB's CLI shows it (strings bare, null as null, nested values as JSON).</summary>
    public static string Cell(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Null or JsonValueKind.Undefined => "null",
        _ => value.GetRawText(),
    };

    private static string Bool(bool value) => value ? "true" : "false";

    private static string Indent(byte[] json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
            {
                document.RootElement.WriteTo(writer);
            }

            return Encoding.UTF8.GetString(buffer.ToArray());
        }
        catch (JsonException)
        {
            return Encoding.UTF8.GetString(json);
        }
    }
}
