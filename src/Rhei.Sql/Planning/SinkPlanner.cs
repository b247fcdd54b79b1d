using Rhei.Formats.Serde;
using Rhei.Formats.Types;
using Rhei.Sql.Ast;
using Rhei.Sql.Schema;

namespace Rhei.Sql.Planning;

/// <summary>The sink of a persistent query: a new stream/table with inherited formats (CSAS/CTAS), or an existing stream (INSERT INTO).</summary>
internal static class SinkPlanner
{
    public static SinkStep Plan(PlanContext ctx, ResultShape result, ExecutionStep step)
    {
        var target = ctx.Target;
        if (target.ExistingSink is { } existing)
        {
            return Insert(ctx, result, step, existing);
        }

        if (target.Transient)
        {
            var transient = new DataSource(target.SinkName, result.IsTable ? SourceType.Table : SourceType.Stream, result.Schema,
                new KsqlTopic("", new KeyFormat(FormatInfo.Of("JSON"), SerdeFeatures.None, result.Window), new ValueFormat(FormatInfo.Of("JSON"), SerdeFeatures.None)));
            return new SinkStep(step, transient, null, null, ctx.Query.Limit);
        }

        var sinkIsTable = target.SinkType == SourceType.Table;
        if (sinkIsTable && !result.IsTable)
        {
            throw ctx.Error("Invalid result type. Your SELECT query produces a STREAM. Please use CREATE STREAM AS SELECT statement instead.");
        }

        if (!sinkIsTable && result.IsTable)
        {
            throw ctx.Error("Invalid result type. Your SELECT query produces a TABLE. Please use CREATE TABLE AS SELECT statement instead.");
        }

        var props = target.Properties;
        var left = ctx.Sources[0].Source;
        var schema = result.Schema;
        var topic = props.Topic ?? (ctx.Config.GetString(KsqlConfig.OutputTopicPrefix) ?? "") + target.SinkName;

        // Key format: explicit, else the left source's (the default one when it has none and the result has a key).
        var explicitKey = props.KeyFormatName;
        if (explicitKey is not null)
        {
            _ = ctx.Formats.Get(explicitKey);
        }

        if (props.ValueFormatName is { } explicitValue)
        {
            _ = ctx.Formats.Get(explicitValue);
        }

        if (schema.Key.Length == 0 && explicitKey is not null && !explicitKey.Equals("NONE", StringComparison.OrdinalIgnoreCase) && !sinkIsTable)
        {
            throw ctx.Error("Key format specified for stream without key columns.");
        }

        var inheritedKey = left.Topic.KeyFormat;
        string keyName;
        IReadOnlyDictionary<string, string>? keyProps = null;
        if (explicitKey is not null)
        {
            keyName = explicitKey;
        }
        else if (schema.Key.Length == 0)
        {
            keyName = "NONE";
        }
        else if (inheritedKey.Name == "NONE")
        {
            keyName = ctx.Config.GetString(KsqlConfig.DefaultKeyFormat) ?? "KAFKA";
        }
        else
        {
            keyName = inheritedKey.Name;
            keyProps = inheritedKey.Format.Properties;
        }

        var keyFormat = ctx.Formats.Get(keyName);
        var keyProperties = new Dictionary<string, string>(keyProps ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        if (props.GetString(WithProperties.KeyDelimiter) is { } kd)
        {
            keyProperties[FormatPropertyNames.Delimiter] = Formats.Delimited.Delimiter.Parse(WithProperties.KeyDelimiter, kd).ToString();
        }

        keyProperties.Remove(FormatPropertyNames.SchemaId);
        keyProperties.Remove(FormatPropertyNames.FullSchemaName);
        AddSchemaProperties(props, keyFormat.Name, key: true, keyProperties);
        if (keyFormat.Name == "AVRO" && !keyProperties.ContainsKey(FormatPropertyNames.FullSchemaName) && schema.Key.Length > 0)
        {
            keyProperties[FormatPropertyNames.FullSchemaName] = "io.confluent.ksql.avro_schemas." + PascalCase(target.SinkName) + "Key";
        }
        keyFormat.ValidateProperties(keyProperties);
        var keySchema = schema.KeySerdeSchema();
        keyFormat.ValidateSchema(keySchema, SerdeTarget.Key);
        var window = result.Window;

        // Value format: explicit, else the left source's.
        var valueName = props.ValueFormatName ?? left.Topic.ValueFormat.Name;
        var valueFormat = ctx.Formats.Get(valueName);
        var valueProperties = new Dictionary<string, string>(StringComparer.Ordinal);
        if (props.ValueFormatName is null || props.ValueFormatName.Equals(left.Topic.ValueFormat.Name, StringComparison.OrdinalIgnoreCase))
        {
            foreach (var (k, v) in left.Topic.ValueFormat.Format.Properties)
            {
                valueProperties[k] = v;
            }
        }

        if (props.GetString(WithProperties.ValueDelimiter) is { } vd)
        {
            valueProperties[FormatPropertyNames.Delimiter] = Formats.Delimited.Delimiter.Parse(WithProperties.ValueDelimiter, vd).ToString();
        }

        valueProperties.Remove(FormatPropertyNames.SchemaId);
        AddSchemaProperties(props, valueFormat.Name, key: false, valueProperties);
        valueFormat.ValidateProperties(valueProperties);
        var valueSchema = schema.ValueSerdeSchema();
        var valueFeatures = ctx.Config.ValueFeatures(valueFormat, valueSchema.Count, props.WrapSingle);
        valueFormat.ValidateSchema(valueSchema, SerdeTarget.Value, valueFeatures);

        var timestamp = ResolveTimestamp(ctx, props, schema);
        var sink = new DataSource(
            target.SinkName,
            target.SinkType,
            schema,
            new KsqlTopic(topic, new KeyFormat(FormatInfo.Of(keyFormat.Name, keyProperties), keyFormat.ResolveKeyFeatures(keySchema.Count), window), new ValueFormat(FormatInfo.Of(valueFormat.Name, valueProperties), valueFeatures)),
            timestamp,
            false,
            ctx.StatementText)
        { IsCreateAsSelect = true };
        var valueIndex = timestamp is null ? -1 : result.Schema.Value.ToList().FindIndex(c => c.Name == timestamp.Column);
        var keyIndex = timestamp is null ? -1 : result.Schema.Key.ToList().FindIndex(c => c.Name == timestamp.Column);
        return new SinkStep(step, sink, valueIndex >= 0 ? valueIndex : null, timestamp?.Format, ctx.Query.Limit)
        {
            TimestampKeyColumn = keyIndex >= 0 ? keyIndex : null,
        };
    }

    private static string PascalCase(string name) =>
        string.Concat(name.Split('_', StringSplitOptions.RemoveEmptyEntries).Select(p => char.ToUpperInvariant(p[0]) + p[1..].ToLowerInvariant()));

    /// <summary>Schema-registry properties of a sink's format: full schema name, schema id, PROTOBUF options.</summary>
    private static void AddSchemaProperties(WithProperties props, string format, bool key, Dictionary<string, string> properties)
    {
        var fullName = key ? props.GetString(WithProperties.KeySchemaFullName) : props.GetString(WithProperties.ValueSchemaFullName) ?? props.GetString(WithProperties.ValueAvroSchemaFullName);
        if (fullName is not null)
        {
            properties[FormatPropertyNames.FullSchemaName] = fullName;
        }

        if ((key ? props.GetString(WithProperties.KeySchemaId) : props.GetString(WithProperties.ValueSchemaId)) is { } id)
        {
            properties[FormatPropertyNames.SchemaId] = id;
        }

        if (format is "PROTOBUF" or "PROTOBUF_NOSR")
        {
            properties.TryAdd(Formats.Protobuf.ProtobufProperties.UnwrapPrimitives, "true");
            if ((key ? props.GetString(WithProperties.KeyProtobufNullable) : props.GetString(WithProperties.ValueProtobufNullable)) is { } nullable)
            {
                properties[Formats.Protobuf.ProtobufProperties.NullableRepresentation] = nullable.ToLowerInvariant();
            }
        }
        else
        {
            properties.Remove(Formats.Protobuf.ProtobufProperties.UnwrapPrimitives);
            properties.Remove(Formats.Protobuf.ProtobufProperties.NullableRepresentation);
        }

        if (format is not ("AVRO" or "PROTOBUF" or "JSON_SR" or "PROTOBUF_NOSR"))
        {
            properties.Remove(FormatPropertyNames.FullSchemaName);
            properties.Remove(FormatPropertyNames.SchemaId);
        }
    }

    private static TimestampColumn? ResolveTimestamp(PlanContext ctx, WithProperties props, LogicalSchema schema)
    {
        var column = props.GetString(WithProperties.Timestamp);
        if (column is null)
        {
            return null;
        }

        var name = column.StartsWith('`') && column.EndsWith('`') && column.Length > 1 ? column[1..^1] : column.ToUpperInvariant();
        var c = schema.FindColumn(name)
            ?? throw ctx.Error($"The TIMESTAMP column set in the WITH clause does not exist in the schema: '{name}'");

        var format = props.GetString(WithProperties.TimestampFormat);
        var ok = c.Type.BaseType switch
        {
            SqlBaseType.BigInt or SqlBaseType.Timestamp => true,
            SqlBaseType.String => format is not null,
            _ => false,
        };
        if (!ok)
        {
            throw ctx.Error($"Timestamp column, `{name}`, should be LONG(INT64), TIMESTAMP, or a String with a timestamp_format specified.");
        }

        return new TimestampColumn(name, format);
    }

    private static SinkStep Insert(PlanContext ctx, ResultShape result, ExecutionStep step, DataSource sink)
    {
        if (sink.IsTable)
        {
            throw ctx.Error($"INSERT INTO can only be used to insert into a stream. {sink.Name} is a table.");
        }

        if (sink.IsSource)
        {
            throw ctx.Error($"Cannot insert into read-only stream: {sink.Name}");
        }

        if (sink.Schema.HasHeaders)
        {
            throw ctx.Error($"Cannot insert into {sink.Name} because it has header columns");
        }

        if (result.IsTable)
        {
            throw ctx.Error($"Incompatible data sink and query result. Data sink ({sink.Name}) type is STREAM but select query result is TABLE.");
        }

        var resultSchema = result.Schema;
        var sinkSchema = sink.Schema.WithValue(sink.Schema.Value.Where(c => !c.IsHeader));
        var sameShape = resultSchema.Key.Length == sinkSchema.Key.Length && resultSchema.Value.Length == sinkSchema.Value.Length
            && resultSchema.Key.Zip(sinkSchema.Key).All(p => p.First.Name == p.Second.Name)
            && resultSchema.Value.Zip(sinkSchema.Value).All(p => p.First.Name == p.Second.Name);
        if (!sameShape)
        {
            throw ctx.Error($"Incompatible schema between results and sink.\nResult schema is {resultSchema}\nSink schema is {sinkSchema}");
        }

        var typesMatch = resultSchema.Key.Zip(sinkSchema.Key).All(p => p.First.Type.Equals(p.Second.Type))
            && resultSchema.Value.Zip(sinkSchema.Value).All(p => p.First.Type.Equals(p.Second.Type) || Formats.Conversion.SqlCoercion.CanImplicitlyCast(p.First.Type, p.Second.Type));
        if (!typesMatch)
        {
            throw ctx.Error($"Incompatible schema between results and sink.\nResult schema is {resultSchema}\nSink schema is {sinkSchema}");
        }

        if ((result.Window is null) != (sink.Topic.KeyFormat.Window is null))
        {
            throw ctx.Error($"Incompatible schema between results and sink. Result is {(result.Window is null ? "not " : "")}windowed, sink is {(sink.IsWindowed ? "" : "not ")}windowed.");
        }

        // Cast values whose types widen implicitly into the sink's types.
        if (step is ProjectStep project && !resultSchema.Value.Zip(sinkSchema.Value).All(p => p.First.Type.Equals(p.Second.Type)))
        {
            var casts = project.Expressions.Select((e, i) => e.Type!.Equals(sinkSchema.Value[i].Type) ? e : new Binding.BoundCast(e, sinkSchema.Value[i].Type, IsImplicit: true)).ToList();
            step = project with { Expressions = [.. casts] };
        }

        var timestamp = sink.Timestamp is { } ts ? resultSchema.Value.ToList().FindIndex(c => c.Name == ts.Column) : (int?)null;
        return new SinkStep(step, sink, timestamp is >= 0 ? timestamp : null, sink.Timestamp?.Format, ctx.Query.Limit);
    }
}
