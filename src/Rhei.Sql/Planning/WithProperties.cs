using System.Globalization;
using Rhei.Formats.Windowed;
using Rhei.Sql.Ast;

namespace Rhei.Sql.Planning;

/// <summary>
/// The WITH clause of CREATE STREAM/TABLE [AS SELECT] and INSERT INTO, checked and typed with ksqlDB's property names
/// and messages. Names are matched case-insensitively (the parser upper-cases unquoted names).
/// </summary>
public sealed class WithProperties
{
    public const string KafkaTopic = "KAFKA_TOPIC";
    public const string Partitions = "PARTITIONS";
    public const string Replicas = "REPLICAS";
    public const string RetentionMs = "RETENTION_MS";
    public const string Timestamp = "TIMESTAMP";
    public const string TimestampFormat = "TIMESTAMP_FORMAT";
    public const string WrapSingleValue = "WRAP_SINGLE_VALUE";
    public const string KeyFormat = "KEY_FORMAT";
    public const string ValueFormat = "VALUE_FORMAT";
    public const string Format = "FORMAT";
    public const string KeyDelimiter = "KEY_DELIMITER";
    public const string ValueDelimiter = "VALUE_DELIMITER";
    public const string WindowType = "WINDOW_TYPE";
    public const string WindowSize = "WINDOW_SIZE";
    public const string KeySchemaId = "KEY_SCHEMA_ID";
    public const string ValueSchemaId = "VALUE_SCHEMA_ID";
    public const string KeySchemaFullName = "KEY_SCHEMA_FULL_NAME";
    public const string ValueSchemaFullName = "VALUE_SCHEMA_FULL_NAME";
    public const string ValueAvroSchemaFullName = "VALUE_AVRO_SCHEMA_FULL_NAME";
    public const string KeyProtobufNullable = "KEY_PROTOBUF_NULLABLE_REPRESENTATION";
    public const string ValueProtobufNullable = "VALUE_PROTOBUF_NULLABLE_REPRESENTATION";
    public const string SourceConnector = "SOURCE_CONNECTOR";
    public const string CleanupPolicy = "CLEANUP_POLICY";

    private static readonly string[] Common =
    [
        KafkaTopic, Partitions, Replicas, RetentionMs, Timestamp, TimestampFormat, WrapSingleValue, KeyFormat, ValueFormat, Format,
        KeyDelimiter, ValueDelimiter, KeySchemaId, ValueSchemaId, KeySchemaFullName, ValueSchemaFullName, ValueAvroSchemaFullName,
        KeyProtobufNullable, ValueProtobufNullable, CleanupPolicy,
    ];

    private static readonly string[] CreateOnly = [WindowType, WindowSize, SourceConnector];

    private readonly Dictionary<string, Literal> _values;

    private WithProperties(Dictionary<string, Literal> values)
    {
        _values = values;
    }

    public static WithProperties Empty { get; } = new(new Dictionary<string, Literal>(StringComparer.OrdinalIgnoreCase));

    /// <summary>Checks the names of a CREATE STREAM/TABLE (<paramref name="createAs"/> false) or CREATE ... AS SELECT.</summary>
    public static WithProperties From(IEnumerable<TableProperty> properties, bool createAs)
    {
        var values = new Dictionary<string, Literal>(StringComparer.OrdinalIgnoreCase);
        var invalid = new List<string>();
        foreach (var p in properties)
        {
            var name = p.Name.ToUpperInvariant();
            var known = Common.Contains(name) || (!createAs && CreateOnly.Contains(name));
            if (!known)
            {
                invalid.Add(name);
                continue;
            }

            values[name] = p.Value;
        }

        if (invalid.Count > 0)
        {
            throw new KsqlException($"Invalid config variable(s) in the WITH clause: {string.Join(",", invalid)}");
        }

        if (values.ContainsKey(Format) && values.ContainsKey(KeyFormat))
        {
            throw new KsqlException("Cannot supply both 'KEY_FORMAT' and 'FORMAT' properties, as 'FORMAT' sets both key and value formats. Either use just 'FORMAT', or use 'KEY_FORMAT' and 'VALUE_FORMAT'.");
        }

        if (values.ContainsKey(Format) && values.ContainsKey(ValueFormat))
        {
            throw new KsqlException("Cannot supply both 'VALUE_FORMAT' and 'FORMAT' properties, as 'FORMAT' sets both key and value formats. Either use just 'FORMAT', or use 'KEY_FORMAT' and 'VALUE_FORMAT'.");
        }

        var result = new WithProperties(values);
        result.Validate();
        return result;
    }

    public bool Contains(string name) => _values.ContainsKey(name);

    public IEnumerable<string> Names => _values.Keys;

    public string? GetString(string name) => _values.TryGetValue(name, out var v) ? v switch
    {
        NullLiteral => null,
        StringLiteral s => s.Text,
        _ => v.ToSql(),
    } : null;

    public int? GetInt(string name)
    {
        if (!_values.TryGetValue(name, out var v))
        {
            return null;
        }

        return v switch
        {
            IntegerLiteral i => i.IntValue,
            BigIntLiteral l => checked((int)l.LongValue),
            StringLiteral s when int.TryParse(s.Text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) => i,
            _ => throw new KsqlException($"Invalid value {v.ToSql()} for property {name}: not an integer"),
        };
    }

    public long? GetLong(string name)
    {
        if (!_values.TryGetValue(name, out var v))
        {
            return null;
        }

        return v switch
        {
            IntegerLiteral i => i.IntValue,
            BigIntLiteral l => l.LongValue,
            StringLiteral s when long.TryParse(s.Text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) => l,
            _ => throw new KsqlException($"Invalid value {v.ToSql()} for property {name}: not a number"),
        };
    }

    public bool? GetBool(string name)
    {
        if (!_values.TryGetValue(name, out var v))
        {
            return null;
        }

        return v switch
        {
            BooleanLiteral b => b.BooleanValue,
            StringLiteral s when bool.TryParse(s.Text.Trim(), out var b) => b,
            _ => throw new KsqlException($"Property {name} must be a boolean: got {v.ToSql()}"),
        };
    }

    public string? Topic => GetString(KafkaTopic);

    public string? KeyFormatName => GetString(KeyFormat) ?? GetString(Format);

    public string? ValueFormatName => GetString(ValueFormat) ?? GetString(Format);

    public bool? WrapSingle => GetBool(WrapSingleValue);

    /// <summary>WINDOW_TYPE as a window type, or null.</summary>
    public WindowType? Window
    {
        get
        {
            var text = GetString(WindowType);
            if (text is null)
            {
                return null;
            }

            return text.Trim().ToUpperInvariant() switch
            {
                "SESSION" => Formats.Windowed.WindowType.Session,
                "TUMBLING" => Formats.Windowed.WindowType.Tumbling,
                "HOPPING" => Formats.Windowed.WindowType.Hopping,
                _ => throw new KsqlException($"Invalid value {text} for property WINDOW_TYPE: String must be one of: SESSION, HOPPING, TUMBLING"),
            };
        }
    }

    /// <summary>WINDOW_SIZE in ms (<c>'30 SECONDS'</c>), with ksqlDB's parse failure text.</summary>
    public long? WindowSizeMs
    {
        get
        {
            var text = GetString(WindowSize);
            return text is null ? null : ParseDuration(WindowSize, text);
        }
    }

    /// <summary>Parses a duration property (<c>10 SECONDS</c>, <c>1 MINUTE</c>).</summary>
    public static long ParseDuration(string property, string text)
    {
        var parts = text.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2 || !long.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var amount))
        {
            throw new KsqlParseFailedException($"Configuration {property} is invalid: Invalid duration: '{text}'. Expected format is '<number> <time unit>', e.g. '10 SECONDS'", "");
        }

        var unit = parts[1].ToUpperInvariant();
        long factor = unit.TrimEnd('S') switch
        {
            "MILLISECOND" => 1,
            "SECOND" => 1000,
            "MINUTE" => 60_000,
            "HOUR" => 3_600_000,
            "DAY" => 86_400_000,
            _ => throw new KsqlParseFailedException($"Configuration {property} is invalid: Invalid duration: '{text}'. Unknown time unit: '{unit}'", ""),
        };
        return amount * factor;
    }

    private void Validate()
    {
        if (GetInt(Partitions) is <= 0)
        {
            throw new KsqlException("Invalid number of partitions in WITH clause: " + GetString(Partitions));
        }

        foreach (var d in new[] { KeyDelimiter, ValueDelimiter })
        {
            if (GetString(d) is { } text)
            {
                try
                {
                    _ = Formats.Delimited.Delimiter.Parse(d, text);
                }
                catch (Formats.Serde.FormatValidationException e)
                {
                    throw new KsqlException("Failed to prepare statement: " + e.Message, e);
                }
            }
        }

        _ = GetBool(WrapSingleValue);
        _ = Window;
        _ = WindowSizeMs;
    }
}
