using Rhei.Formats.SchemaRegistry;
using Rhei.Formats.Serde;
using Rhei.Sql.Ast;
using Rhei.Sql.Parsing;
using Rhei.Sql.Planning;
using Rhei.Sql.Schema;

namespace Rhei.Engine.Execution;

/// <summary>
/// The schema-registry side of statements: CREATE STREAM/TABLE without columns reads them from the registry (schema
/// inference), and sources with explicit columns and the sinks of queries register their schemas under
/// <c>topic-key</c> / <c>topic-value</c>.
/// </summary>
internal static class SchemaRegistration
{
    /// <summary>The key and value columns to infer for a CREATE without (some) columns, or nulls.</summary>
    public static async Task<(SerdeSchema? Key, SerdeSchema? Value)> InferAsync(CreateSource statement, WithProperties props, KsqlConfig config, FormatRegistry formats, CancellationToken ct)
    {
        var topic = props.Topic ?? statement.Name;
        var hasKey = statement.Elements.Any(e => e.Constraint is ColumnConstraint.Key or ColumnConstraint.PrimaryKey);
        var hasValue = statement.Elements.Any(e => e.Constraint is ColumnConstraint.None);
        SerdeSchema? key = null, value = null;

        var valueName = props.ValueFormatName ?? config.GetString(KsqlConfig.DefaultValueFormat);
        if (!hasValue && valueName is not null && formats.TryGet(valueName, out var vf) && vf is SchemaRegistryFormat valueFormat)
        {
            var id = props.GetInt(WithProperties.ValueSchemaId);
            var inferred = await valueFormat.InferAsync(topic, SerdeTarget.Value, props.WrapSingle, id, props.GetString(WithProperties.ValueSchemaFullName), ct);
            value = inferred.Columns;
        }
        else if (!hasValue && props.Contains(WithProperties.ValueSchemaId))
        {
            throw new KsqlException($"VALUE_FORMAT should support schema inference when VALUE_SCHEMA_ID is provided. Current format is {valueName?.ToUpperInvariant() ?? "KAFKA"}.");
        }

        var keyName = props.KeyFormatName ?? config.GetString(KsqlConfig.DefaultKeyFormat) ?? "KAFKA";
        if (!hasKey && formats.TryGet(keyName, out var kf) && kf is SchemaRegistryFormat keyFormat)
        {
            var id = props.GetInt(WithProperties.KeySchemaId);
            try
            {
                var inferred = await keyFormat.InferAsync(topic, SerdeTarget.Key, null, id, props.GetString(WithProperties.KeySchemaFullName), ct);
                key = inferred.Columns;
            }
            catch (FormatValidationException) when (id is null && statement.SourceType == SourceType.Stream)
            {
                // A stream whose topic has no key schema is a stream without key columns.
            }
        }
        else if (!hasKey && props.Contains(WithProperties.KeySchemaId))
        {
            throw new KsqlException($"KEY_FORMAT should support schema inference when KEY_SCHEMA_ID is provided. Current format is {keyName.ToUpperInvariant()}.");
        }

        return (key, value);
    }

    /// <summary>
    /// A CREATE STREAM/TABLE whose key or value columns come from the registry, with those columns written out: the
    /// statement the command topic records (ksqlDB records the statement with its inferred schema), so that a replay —
    /// on another node, or after the subject evolved — gets the columns inferred now. A part pinned by
    /// <c>KEY_SCHEMA_ID</c>/<c>VALUE_SCHEMA_ID</c> stays as written (the id fixes it already). Other statements, and a
    /// CREATE whose inference fails (it then fails with its own error when it runs), are returned as they are.
    /// </summary>
    public static async Task<ParsedStatement> WithInferredColumnsAsync(ParsedStatement parsed, KsqlConfig config, FormatRegistry formats, CancellationToken ct)
    {
        if (parsed.Statement is not CreateSource create)
        {
            return parsed;
        }

        SerdeSchema? key, value;
        try
        {
            var props = WithProperties.From(create.Properties, createAs: false);
            (key, value) = await InferAsync(create, props, config, formats, ct);
            if (props.Contains(WithProperties.KeySchemaId))
            {
                key = null;
            }

            if (props.Contains(WithProperties.ValueSchemaId))
            {
                value = null;
            }
        }
        catch (Exception e) when (RheiEngine.IsStatementError(e))
        {
            return parsed;
        }

        if (key is null && value is null)
        {
            return parsed;
        }

        // The order SourceFactory gives inferred columns: inferred keys, the written columns, inferred values.
        var keyConstraint = create.SourceType == SourceType.Table ? ColumnConstraint.PrimaryKey : ColumnConstraint.Key;
        var elements = new List<TableElement>();
        try
        {
            elements.AddRange((key ?? SerdeSchema.Empty).Select(c => new TableElement(c.Name, SqlParser.ParseType(c.Type.ToString()), keyConstraint)));
            elements.AddRange(create.Elements);
            elements.AddRange((value ?? SerdeSchema.Empty).Select(c => new TableElement(c.Name, SqlParser.ParseType(c.Type.ToString()))));
        }
        catch (SqlParseException)
        {
            // A type SQL cannot write back (none known): the statement is recorded as written.
            return parsed;
        }

        var rewritten = create with { Elements = [.. elements] };
        return parsed with { Statement = rewritten, Text = rewritten.ToSql() + ";" };
    }

    /// <summary>Registers the key and value schemas of a source whose formats use the registry.</summary>
    public static async Task RegisterAsync(DataSource source, FormatRegistry formats, bool onlyIfAbsent, CancellationToken ct)
    {
        var topic = source.KafkaTopicName;
        if (source.Schema.Key.Length > 0 && formats.TryGet(source.Topic.KeyFormat.Name, out var kf) && kf is SchemaRegistryFormat keyFormat && keyFormat.HasClient)
        {
            var options = new SerdeOptions(SerdeTarget.Key) { Topic = topic, Features = source.Topic.KeyFormat.Features, Properties = source.Topic.KeyFormat.Format.Properties };
            if (!onlyIfAbsent || await keyFormat.Client.GetLatestAsync(SchemaRegistryClient.Subject(topic, true), ct) is null)
            {
                await keyFormat.RegisterAsync(topic, source.Schema.KeySerdeSchema(), options, ct);
            }
        }

        if (formats.TryGet(source.Topic.ValueFormat.Name, out var vf) && vf is SchemaRegistryFormat valueFormat && valueFormat.HasClient)
        {
            var options = new SerdeOptions(SerdeTarget.Value) { Topic = topic, Features = source.Topic.ValueFormat.Features, Properties = source.Topic.ValueFormat.Format.Properties };
            if (!onlyIfAbsent || await valueFormat.Client.GetLatestAsync(SchemaRegistryClient.Subject(topic, false), ct) is null)
            {
                await valueFormat.RegisterAsync(topic, source.Schema.ValueSerdeSchema(), options, ct);
            }
        }
    }
}
