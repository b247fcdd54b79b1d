using Rhei.Formats.SchemaRegistry;
using Rhei.Formats.Serde;
using Rhei.Sql.Ast;
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
