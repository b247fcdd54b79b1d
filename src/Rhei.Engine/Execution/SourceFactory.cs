using Rhei.Formats.Delimited;
using Rhei.Formats.Serde;
using Rhei.Formats.Types;
using Rhei.Formats.Windowed;
using Rhei.Sql.Ast;
using Rhei.Sql.Planning;
using Rhei.Sql.Schema;

namespace Rhei.Engine.Execution;

/// <summary>
/// Turns CREATE STREAM/TABLE statements into <see cref="DataSource"/>s with ksqlDB's checks and messages: key
/// constraints, header columns, formats and their features, windowed keys, the TIMESTAMP column.
/// </summary>
internal static class SourceFactory
{
    public static DataSource Create(CreateSource statement, string statementText, KsqlConfig config, FormatRegistry formats, ISourceCatalog catalog, SerdeSchema? inferredKey = null, SerdeSchema? inferredValue = null)
    {
        var props = WithProperties.From(statement.Properties, createAs: false);
        var isTable = statement.SourceType == SourceType.Table;
        var kind = isTable ? "table" : "stream";

        if (props.Contains(WithProperties.KeySchemaId) && !statement.Elements.IsEmpty && statement.Elements.Any(e => e.Constraint is ColumnConstraint.Key or ColumnConstraint.PrimaryKey))
        {
            throw new KsqlException("Table elements and KEY_SCHEMA_ID cannot both exist for create statement.");
        }

        if (props.Contains(WithProperties.ValueSchemaId) && statement.Elements.Any(e => e.Constraint == ColumnConstraint.None))
        {
            throw new KsqlException("Table elements and VALUE_SCHEMA_ID cannot both exist for create statement.");
        }

        // Formats are checked before the columns (an unknown format is reported first).
        _ = formats.Get(props.KeyFormatName ?? config.GetString(KsqlConfig.DefaultKeyFormat) ?? "KAFKA");
        if (props.ValueFormatName is { } vf)
        {
            _ = formats.Get(vf);
        }

        var schema = BuildSchema(statement, statementText, catalog, config);
        if (inferredKey is not null || inferredValue is not null)
        {
            var b = LogicalSchema.CreateBuilder();
            foreach (var c in inferredKey ?? SerdeSchema.Empty)
            {
                b.KeyColumn(c.Name, c.Type);
            }

            foreach (var k in schema.Key)
            {
                b.KeyColumn(k.Name, k.Type);
            }

            foreach (var v in schema.Value)
            {
                b.Add(v.Name, v.Type, v.Namespace, v.HeaderKey);
            }

            foreach (var c in inferredValue ?? SerdeSchema.Empty)
            {
                b.ValueColumn(c.Name, c.Type);
            }

            schema = b.Build();
        }

        if (schema.Value.Count(c => c.Namespace == ColumnNamespace.Value) == 0 && schema.Key.Length == 0)
        {
            throw new KsqlException("No columns supplied.");
        }

        if (isTable && schema.Key.Length == 0)
        {
            throw new KsqlException("Tables require a PRIMARY KEY. Please define the PRIMARY KEY.");
        }

        var topicName = props.Topic ?? statement.Name;
        var window = ResolveWindow(props, schema);
        var keyFormat = ResolveKeyFormat(props, config, formats, schema, window, explicitOnly: false);
        var valueFormat = ResolveValueFormat(props, config, formats, schema.ValueSerdeSchema(), null);
        var timestamp = ResolveTimestamp(props, schema);
        _ = kind;
        return new DataSource(statement.Name, statement.SourceType, schema, new KsqlTopic(topicName, keyFormat, valueFormat), timestamp, statement.IsSource, statementText);
    }

    /// <summary>The logical schema of the table elements, with the checks ksqlDB makes on them.</summary>
    public static LogicalSchema BuildSchema(CreateSource statement, string statementText, ISourceCatalog catalog, KsqlConfig config)
    {
        var isTable = statement.SourceType == SourceType.Table;
        var b = LogicalSchema.CreateBuilder();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var headersSeen = false;
        foreach (var e in statement.Elements)
        {
            if (e.Constraint == ColumnConstraint.Key && isTable)
            {
                throw new KsqlParseFailedException($"Line: {e.Position.Line}, Col: {e.Position.Column}: Column {Quote(e.Name)} is a 'KEY' column: please use 'PRIMARY KEY' for tables.\nTables have PRIMARY KEYs, which are unique and NON NULL.\nStreams have KEYs, which have no uniqueness or NON NULL constraints.", statementText);
            }

            if (e.Constraint == ColumnConstraint.PrimaryKey && !isTable)
            {
                throw new KsqlParseFailedException($"Line: {e.Position.Line}, Col: {e.Position.Column}: Column {Quote(e.Name)} is a 'PRIMARY KEY' column: please use 'KEY' for streams.\nTables have PRIMARY KEYs, which are unique and NON NULL.\nStreams have KEYs, which have no uniqueness or NON NULL constraints.", statementText);
            }

            if (SystemColumns.IsReserved(e.Name))
            {
                throw new KsqlException($"'{e.Name}' is a reserved column name. You cannot use it as a name for a column.");
            }

            if (!seen.Add(e.Name))
            {
                throw new KsqlException($"Duplicate column names:\n\t{e.Name}");
            }

            var type = ResolveType(e.Type, catalog);
            switch (e.Constraint)
            {
                case ColumnConstraint.Key:
                case ColumnConstraint.PrimaryKey:
                    b.KeyColumn(e.Name, type);
                    break;
                case ColumnConstraint.Headers:
                    if (!type.Equals(SystemColumns.HeadersType))
                    {
                        throw new KsqlException($"Invalid type for HEADERS column: expected {SystemColumns.HeadersType}, got {type}");
                    }

                    if (headersSeen)
                    {
                        throw new KsqlException("Schema already contains a HEADERS column.");
                    }

                    headersSeen = true;
                    b.HeaderColumn(e.Name, type, null);
                    break;
                case ColumnConstraint.Header:
                    if (type.BaseType != SqlBaseType.Bytes)
                    {
                        throw new KsqlException($"Invalid type for HEADER('{e.HeaderKey}') column: expected BYTES, got {type}");
                    }

                    b.HeaderColumn(e.Name, type, e.HeaderKey);
                    break;
                default:
                    b.ValueColumn(e.Name, type);
                    break;
            }
        }

        _ = config;
        return b.Build();
    }

    public static SqlType ResolveType(TypeSyntax type, ISourceCatalog catalog)
    {
        try
        {
            var t = type.ToSqlType(catalog.GetType);
            Validate(t);
            return t;
        }
        catch (KeyNotFoundException e)
        {
            throw new KsqlException(e.Message, e);
        }
    }

    private static void Validate(SqlType type)
    {
        switch (type)
        {
            case SqlDecimalType d:
                if (d.Precision < 1)
                {
                    throw new KsqlException($"DECIMAL precision must be >= 1: DECIMAL({d.Precision},{d.Scale})");
                }

                if (d.Scale < 0)
                {
                    throw new KsqlException($"DECIMAL scale must be >= 0: DECIMAL({d.Precision},{d.Scale})");
                }

                if (d.Scale > d.Precision)
                {
                    throw new KsqlException($"DECIMAL precision must be >= scale: DECIMAL({d.Precision},{d.Scale})");
                }

                break;
            case SqlArrayType a:
                Validate(a.ElementType);
                break;
            case SqlMapType m:
                Validate(m.KeyType);
                Validate(m.ValueType);
                break;
            case SqlStructType s:
                var names = new HashSet<string>(StringComparer.Ordinal);
                foreach (var f in s.Fields)
                {
                    if (!names.Add(f.Name))
                    {
                        throw new KsqlException("Duplicate field names found in STRUCT: '" + f.Name + "'");
                    }

                    Validate(f.Type);
                }

                break;
        }
    }

    private static string Quote(string name) => "`" + name + "`";

    public static WindowInfo? ResolveWindow(WithProperties props, LogicalSchema schema)
    {
        var type = props.Window;
        var size = props.WindowSizeMs;
        if (type is null)
        {
            if (size is not null)
            {
                throw new KsqlException("'WINDOW_SIZE' should not be set for non-windowed sources.");
            }

            return null;
        }

        if (type == WindowType.Session)
        {
            if (size is not null)
            {
                throw new KsqlException("'WINDOW_SIZE' should not be set for SESSION windows.");
            }
        }
        else if (size is null)
        {
            throw new KsqlException($"Tumbling and Hopping window types should set WINDOW_SIZE in the WITH clause.");
        }

        if (schema.Key.Length == 0)
        {
            throw new KsqlException("Windowed sources require a key column.");
        }

        return new WindowInfo(type.Value, size);
    }

    /// <summary>The key format of a new source: KEY_FORMAT / FORMAT, else the configured default (NONE without key columns).</summary>
    public static KeyFormat ResolveKeyFormat(WithProperties props, KsqlConfig config, FormatRegistry formats, LogicalSchema schema, WindowInfo? window, bool explicitOnly, string? inherited = null, IReadOnlyDictionary<string, string>? inheritedProperties = null)
    {
        var name = props.KeyFormatName;
        IReadOnlyDictionary<string, string>? inheritedProps = null;
        if (name is null)
        {
            if (schema.Key.Length == 0 && !explicitOnly)
            {
                name = "NONE";
            }
            else if (inherited is not null && !(schema.Key.Length > 0 && inherited.Equals("NONE", StringComparison.OrdinalIgnoreCase)))
            {
                name = inherited;
                inheritedProps = inheritedProperties;
            }
            else
            {
                name = schema.Key.Length == 0 ? "NONE" : config.GetString(KsqlConfig.DefaultKeyFormat) ?? "KAFKA";
            }
        }

        var format = formats.Get(name);
        var properties = FormatProperties(props, format, key: true, inheritedProps);
        format.ValidateProperties(properties);
        var serdeSchema = schema.KeySerdeSchema();
        CheckMapKeys(schema);
        var features = format.ResolveKeyFeatures(serdeSchema.Count);
        format.ValidateSchema(serdeSchema, SerdeTarget.Key, SerdeFeatures.None);
        return new KeyFormat(FormatInfo.Of(format.Name, properties), features, window);
    }

    /// <summary>The value format: VALUE_FORMAT / FORMAT, else the inherited one, else the configured default.</summary>
    public static ValueFormat ResolveValueFormat(WithProperties props, KsqlConfig config, FormatRegistry formats, SerdeSchema valueSchema, ValueFormat? inherited)
    {
        var name = props.ValueFormatName ?? inherited?.Name ?? config.GetString(KsqlConfig.DefaultValueFormat)
            ?? throw new KsqlException("Statement is missing the 'VALUE_FORMAT' property from the WITH clause. Either provide one or set a default via the 'ksql.persistence.default.format.value' config.");
        var format = formats.Get(name);
        var inheritedProps = props.ValueFormatName is null && inherited is not null ? inherited.Format.Properties : null;
        var properties = FormatProperties(props, format, key: false, inheritedProps);
        format.ValidateProperties(properties);
        var features = config.ValueFeatures(format, valueSchema.Count, props.WrapSingle);
        format.ValidateSchema(valueSchema, SerdeTarget.Value, features);
        return new ValueFormat(FormatInfo.Of(format.Name, properties), features);
    }

    private static Dictionary<string, string> FormatProperties(WithProperties props, SerdeFormat format, bool key, IReadOnlyDictionary<string, string>? inherited)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in inherited ?? new Dictionary<string, string>())
        {
            result[k] = v;
        }

        var delimiterProperty = key ? WithProperties.KeyDelimiter : WithProperties.ValueDelimiter;
        if (props.GetString(delimiterProperty) is { } delimiter)
        {
            if (!format.Name.Equals("DELIMITED", StringComparison.Ordinal))
            {
                throw new KsqlException($"{format.Name} does not support the following configs: [{FormatPropertyNames.Delimiter}]");
            }

            result[FormatPropertyNames.Delimiter] = Delimiter.Parse(delimiterProperty, delimiter).ToString();
        }

        var fullName = key ? props.GetString(WithProperties.KeySchemaFullName) : props.GetString(WithProperties.ValueSchemaFullName) ?? props.GetString(WithProperties.ValueAvroSchemaFullName);
        if (fullName is not null)
        {
            result[FormatPropertyNames.FullSchemaName] = fullName;
        }

        var schemaId = key ? props.GetString(WithProperties.KeySchemaId) : props.GetString(WithProperties.ValueSchemaId);
        if (schemaId is not null)
        {
            result[FormatPropertyNames.SchemaId] = schemaId;
        }

        AddProtobufProperties(props, format.Name, key, result);
        return result;
    }

    /// <summary>PROTOBUF: unwrapPrimitives (on by default, as ksqlDB sets it) and the nullable representation.</summary>
    public static void AddProtobufProperties(WithProperties props, string format, bool key, Dictionary<string, string> result)
    {
        if (format is not ("PROTOBUF" or "PROTOBUF_NOSR"))
        {
            return;
        }

        result.TryAdd(Formats.Protobuf.ProtobufProperties.UnwrapPrimitives, "true");
        if ((key ? props.GetString(WithProperties.KeyProtobufNullable) : props.GetString(WithProperties.ValueProtobufNullable)) is { } nullable)
        {
            result[Formats.Protobuf.ProtobufProperties.NullableRepresentation] = nullable.ToLowerInvariant();
        }
    }

    /// <summary>ksqlDB refuses key columns that contain MAP types.</summary>
    public static void CheckMapKeys(LogicalSchema schema)
    {
        foreach (var k in schema.Key)
        {
            if (ContainsMap(k.Type))
            {
                throw new KsqlException($"Map keys, including types that contain maps, are not supported as they may lead to unexpected behavior due to inconsistent serialization. Key column name: `{k.Name}`. Column type: {k.Type}. See https://github.com/confluentinc/ksql/issues/6621 for more.");
            }
        }
    }

    private static bool ContainsMap(SqlType type) => type switch
    {
        SqlMapType => true,
        SqlArrayType a => ContainsMap(a.ElementType),
        SqlStructType s => s.Fields.Any(f => ContainsMap(f.Type)),
        _ => false,
    };

    public static TimestampColumn? ResolveTimestamp(WithProperties props, LogicalSchema schema)
    {
        var column = props.GetString(WithProperties.Timestamp);
        var format = props.GetString(WithProperties.TimestampFormat);
        if (column is null)
        {
            return null;
        }

        var name = column.StartsWith('`') && column.EndsWith('`') && column.Length > 1 ? column[1..^1] : column.ToUpperInvariant();
        var c = schema.FindColumn(name)
            ?? throw new KsqlException($"The TIMESTAMP column set in the WITH clause does not exist in the schema: '{name}'");
        var ok = c.Type.BaseType switch
        {
            SqlBaseType.BigInt or SqlBaseType.Timestamp => true,
            SqlBaseType.String => format is not null,
            _ => false,
        };
        if (!ok)
        {
            throw new KsqlException($"Timestamp column, `{name}`, should be LONG(INT64), TIMESTAMP, or a String with a timestamp_format specified.");
        }

        return new TimestampColumn(name, format);
    }
}
