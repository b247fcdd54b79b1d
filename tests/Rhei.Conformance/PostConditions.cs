using System.Text.Json;
using Rhei.Engine;
using Rhei.Engine.Topics;
using Rhei.Sql.Ast;
using Rhei.Sql.Parsing;
using Rhei.Sql.Schema;

namespace Rhei.Conformance;

/// <summary>Checks a case's <c>post</c> section: the sources in the metastore and the topics that exist.</summary>
internal static class PostConditions
{
    public static void Check(QttCase c, RheiEngine engine, TestKafka kafka, InMemoryTopicClient topics)
    {
        if (c.Property("post") is not { ValueKind: JsonValueKind.Object } post)
        {
            return;
        }

        if (post.TryGetProperty("sources", out var sources) && sources.ValueKind == JsonValueKind.Array)
        {
            foreach (var s in sources.EnumerateArray())
            {
                CheckSource(s, engine);
            }
        }

        if (post.TryGetProperty("topics", out var t) && t.ValueKind == JsonValueKind.Object)
        {
            var names = kafka.AllTopicNames.Concat(topics.Topics.Select(x => x.Name)).Distinct(StringComparer.Ordinal).ToList();
            if (t.TryGetProperty("blacklist", out var black) && black.ValueKind == JsonValueKind.String)
            {
                var bad = names.FirstOrDefault(n => CaseRunner.MatchesRegex(black.GetString()!, n));
                if (bad is not null)
                {
                    throw new CaseFailure($"post: topic {bad} matches the blacklist {black.GetString()}");
                }
            }

            if (t.TryGetProperty("topics", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var topic in list.EnumerateArray())
                {
                    var name = topic.GetProperty("name").GetString()!;
                    var d = topics.Topics.FirstOrDefault(x => x.Name == name);
                    if (d is null && !names.Contains(name))
                    {
                        throw new CaseFailure($"post: topic {name} does not exist");
                    }

                    if (d is not null && topic.TryGetProperty("partitions", out var p) && p.ValueKind == JsonValueKind.Number && p.GetInt32() != d.Partitions)
                    {
                        throw new CaseFailure($"post: topic {name} has {d.Partitions} partitions, expected {p.GetInt32()}");
                    }

                    var source = engine.MetaStore.Sources.LastOrDefault(x => x.KafkaTopicName == name);
                    if (source is not null)
                    {
                        CheckFormat(topic, "keyFormat", source.Topic.KeyFormat.Format, source.Topic.KeyFormat.Window, $"topic {name}");
                        CheckFormat(topic, "valueFormat", source.Topic.ValueFormat.Format, null, $"topic {name}");
                    }
                }
            }
        }
    }

    private static void CheckSource(JsonElement expected, RheiEngine engine)
    {
        var name = expected.GetProperty("name").GetString()!;
        var source = engine.MetaStore.GetSource(name) ?? throw new CaseFailure($"post: source {name} does not exist");
        var where = $"post: source {name}";
        if (expected.TryGetProperty("type", out var type) && !string.Equals(type.GetString(), source.TypeName, StringComparison.OrdinalIgnoreCase))
        {
            throw new CaseFailure($"{where} is a {source.TypeName}, expected {type.GetString()}");
        }

        if (expected.TryGetProperty("schema", out var schema) && schema.ValueKind == JsonValueKind.String)
        {
            var want = ParseSchema(schema.GetString()!, engine);
            if (!SameColumns(want, source.Schema))
            {
                throw new CaseFailure($"{where} schema is {source.Schema}, expected {want}");
            }
        }

        CheckFormat(expected, "keyFormat", source.Topic.KeyFormat.Format, source.Topic.KeyFormat.Window, where);
        CheckFormat(expected, "valueFormat", source.Topic.ValueFormat.Format, null, where);
        CheckFeatures(expected, "keyFeatures", source.Topic.KeyFormat.Features, where);
        CheckFeatures(expected, "valueFeatures", source.Topic.ValueFormat.Features, where);
        if (expected.TryGetProperty("isSource", out var isSource) && isSource.ValueKind is JsonValueKind.True or JsonValueKind.False
            && isSource.GetBoolean() != source.IsSource)
        {
            throw new CaseFailure($"{where}: isSource is {source.IsSource}");
        }
    }

    private static bool SameColumns(LogicalSchema a, LogicalSchema b) =>
        a.Key.Select(c => (c.Name, c.Type)).SequenceEqual(b.Key.Select(c => (c.Name, c.Type)))
        && a.Value.Select(c => (c.Name, c.Type, c.Namespace, c.HeaderKey)).SequenceEqual(b.Value.Select(c => (c.Name, c.Type, c.Namespace, c.HeaderKey)));

    internal static LogicalSchema ParseSchema(string text, RheiEngine engine)
    {
        var statement = SqlParser.ParseStatement($"CREATE STREAM X ({text}) WITH (KAFKA_TOPIC='x', VALUE_FORMAT='JSON');");
        var create = (CreateSource)statement;
        var b = LogicalSchema.CreateBuilder();
        foreach (var e in create.Elements)
        {
            var type = e.Type.ToSqlType(engine.MetaStore.GetType);
            switch (e.Constraint)
            {
                case ColumnConstraint.Key:
                case ColumnConstraint.PrimaryKey:
                    b.KeyColumn(e.Name, type);
                    break;
                case ColumnConstraint.Headers:
                    b.HeaderColumn(e.Name, type, null);
                    break;
                case ColumnConstraint.Header:
                    b.HeaderColumn(e.Name, type, e.HeaderKey);
                    break;
                default:
                    b.ValueColumn(e.Name, type);
                    break;
            }
        }

        return b.Build();
    }

    private static void CheckFormat(JsonElement expected, string property, FormatInfo actual, WindowInfo? window, string where)
    {
        if (!expected.TryGetProperty(property, out var f))
        {
            return;
        }

        string? format = f.ValueKind == JsonValueKind.String ? f.GetString() : f.TryGetProperty("format", out var ff) ? ff.GetString() : null;
        if (format is not null && !string.Equals(format, actual.Format, StringComparison.OrdinalIgnoreCase))
        {
            throw new CaseFailure($"{where}: {property} is {actual.Format}, expected {format}");
        }

        if (f.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (f.TryGetProperty("properties", out var props) && props.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in props.EnumerateObject())
            {
                if (actual.Property(p.Name) != p.Value.GetString())
                {
                    throw new CaseFailure($"{where}: {property} property {p.Name} is {actual.Property(p.Name) ?? "unset"}, expected {p.Value.GetString()}");
                }
            }
        }

        if (f.TryGetProperty("windowType", out var wt) && wt.ValueKind == JsonValueKind.String)
        {
            var want = CaseRunner.ParseWindowType(wt.GetString()!);
            if (window is null || window.Type != want)
            {
                throw new CaseFailure($"{where}: window type is {window?.Type.ToString() ?? "none"}, expected {wt.GetString()}");
            }
        }

        if (f.TryGetProperty("windowSize", out var ws) && ws.ValueKind == JsonValueKind.Number && window?.SizeMs != ws.GetInt64())
        {
            throw new CaseFailure($"{where}: window size is {window?.SizeMs}, expected {ws.GetInt64()}");
        }
    }

    private static void CheckFeatures(JsonElement expected, string property, Rhei.Formats.Serde.SerdeFeatures actual, string where)
    {
        if (!expected.TryGetProperty(property, out var f) || f.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        var want = Rhei.Formats.Serde.SerdeFeatures.None;
        foreach (var e in f.EnumerateArray())
        {
            want |= e.GetString() switch
            {
                "WRAP_SINGLES" => Rhei.Formats.Serde.SerdeFeatures.WrapSingles,
                "UNWRAP_SINGLES" => Rhei.Formats.Serde.SerdeFeatures.UnwrapSingles,
                "SCHEMA_INFERENCE" => Rhei.Formats.Serde.SerdeFeatures.SchemaInference,
                _ => Rhei.Formats.Serde.SerdeFeatures.None,
            };
        }

        if (want != actual)
        {
            throw new CaseFailure($"{where}: {property} are {actual}, expected {want}");
        }
    }
}
