using System.Text.RegularExpressions;
using Rhei.Connect.Config;
using Rhei.Connect.Data;
using Rhei.Formats.Types;

namespace Rhei.Connect.Transforms;

/// <summary>
/// Single message transforms from <c>transforms=a,b</c> and <c>transforms.a.type=...</c> (Kafka Connect's names):
/// <c>org.apache.kafka.connect.transforms.ValueToKey</c> (<c>fields</c>), <c>ExtractField$Key</c> and
/// <c>ExtractField$Value</c> (<c>field</c>), <c>RegexRouter</c> (<c>regex</c>, <c>replacement</c>). A transform returns
/// the changed record, or null to drop it.
/// </summary>
public sealed class TransformChain
{
    private readonly IReadOnlyList<Func<ConnectRecord, ConnectRecord?>> _steps;

    private TransformChain(IReadOnlyList<Func<ConnectRecord, ConnectRecord?>> steps)
    {
        _steps = steps;
    }

    public static TransformChain Empty { get; } = new([]);

    public static IReadOnlyList<string> KnownTypes { get; } =
    [
        "org.apache.kafka.connect.transforms.ValueToKey",
        "org.apache.kafka.connect.transforms.ExtractField$Key",
        "org.apache.kafka.connect.transforms.ExtractField$Value",
        "org.apache.kafka.connect.transforms.RegexRouter",
    ];

    public bool IsEmpty => _steps.Count == 0;

    public ConnectRecord? Apply(ConnectRecord record)
    {
        ConnectRecord? current = record;
        foreach (var step in _steps)
        {
            current = step(current);
            if (current is null)
            {
                return null;
            }
        }

        return current;
    }

    /// <summary>The chain of <c>transforms</c>, plus ksqlDB's <c>key</c> property (ValueToKey + ExtractField$Key of those columns) first.</summary>
    public static TransformChain Create(IReadOnlyDictionary<string, string> properties, List<ConfigError> errors)
    {
        var steps = new List<Func<ConnectRecord, ConnectRecord?>>();
        if (properties.TryGetValue("key", out var keyText) && !string.IsNullOrWhiteSpace(keyText))
        {
            var keyFields = ConfigDef.SplitList(keyText);
            steps.Add(ValueToKey(keyFields));
            if (keyFields.Count == 1)
            {
                steps.Add(ExtractKey(keyFields[0]));
            }
        }

        if (properties.TryGetValue("transforms", out var names))
        {
            foreach (var alias in ConfigDef.SplitList(names))
            {
                var prefix = $"transforms.{alias}.";
                if (!properties.TryGetValue(prefix + "type", out var type) || string.IsNullOrWhiteSpace(type))
                {
                    errors.Add(new ConfigError(prefix + "type", $"Missing required configuration \"{prefix}type\" which has no default value."));
                    continue;
                }

                type = type.Trim();
                string? Setting(string name) => properties.TryGetValue(prefix + name, out var v) ? v.Trim() : null;
                var simple = type[(type.LastIndexOf('.') + 1)..];
                switch (simple)
                {
                    case "ValueToKey":
                        var fields = Setting("fields");
                        if (string.IsNullOrEmpty(fields))
                        {
                            errors.Add(new ConfigError(prefix + "fields", $"Missing required configuration \"{prefix}fields\" which has no default value."));
                            continue;
                        }

                        steps.Add(ValueToKey(ConfigDef.SplitList(fields)));
                        break;
                    case "ExtractField$Key":
                    case "ExtractField$Value":
                        var field = Setting("field");
                        if (string.IsNullOrEmpty(field))
                        {
                            errors.Add(new ConfigError(prefix + "field", $"Missing required configuration \"{prefix}field\" which has no default value."));
                            continue;
                        }

                        steps.Add(simple.EndsWith("$Key", StringComparison.Ordinal) ? ExtractKey(field) : ExtractValue(field));
                        break;
                    case "RegexRouter":
                        var regex = Setting("regex");
                        var replacement = Setting("replacement");
                        if (regex is null || replacement is null)
                        {
                            errors.Add(new ConfigError(prefix + (regex is null ? "regex" : "replacement"),
                                $"Missing required configuration \"{prefix}{(regex is null ? "regex" : "replacement")}\" which has no default value."));
                            continue;
                        }

                        Regex compiled;
                        try
                        {
                            compiled = new Regex("^(?:" + regex + ")$", RegexOptions.CultureInvariant);
                        }
                        catch (ArgumentException e)
                        {
                            errors.Add(new ConfigError(prefix + "regex", $"Invalid value {regex} for configuration {prefix}regex: {e.Message}"));
                            continue;
                        }

                        var dotnetReplacement = Regex.Replace(replacement, @"\$(\d+)", "$${$1}");
                        steps.Add(r => compiled.IsMatch(r.Topic) ? r with { Topic = compiled.Replace(r.Topic, dotnetReplacement) } : r);
                        break;
                    default:
                        errors.Add(new ConfigError(prefix + "type",
                            $"Invalid value {type} for configuration {prefix}type: Class {type} could not be found. Known transforms: {string.Join(", ", KnownTypes)}."));
                        break;
                }
            }
        }

        return new TransformChain(steps);
    }

    private static Func<ConnectRecord, ConnectRecord?> ValueToKey(IReadOnlyList<string> fields) => record =>
    {
        if (record.Value is null)
        {
            return record;
        }

        var keyFields = new List<(string, SqlType, object?)>(fields.Count);
        foreach (var name in fields)
        {
            if (!ConnectStructs.TryGetField(record.Value, name, out var type, out var v))
            {
                var known = ConnectStructs.Fields(record.ValueSchema, record.Value)?.Select(f => f.Name) ?? [];
                throw new ConnectDataException($"ValueToKey: the field '{name}' is not in the value of topic {record.Topic} (its fields: {string.Join(", ", known)}).");
            }

            keyFields.Add((name, type ?? ConnectSchemas.Infer(v), v));
        }

        var key = ConnectStructs.Build(keyFields);
        return record with { KeySchema = key.Type, Key = key };
    };

    private static Func<ConnectRecord, ConnectRecord?> ExtractKey(string field) => record =>
    {
        if (record.Key is null)
        {
            return record;
        }

        if (!ConnectStructs.TryGetField(record.Key, field, out var type, out var v))
        {
            throw new ConnectDataException($"ExtractField$Key: the field '{field}' is not in the key of topic {record.Topic}.");
        }

        return record with { KeySchema = type ?? ConnectSchemas.Infer(v), Key = v };
    };

    private static Func<ConnectRecord, ConnectRecord?> ExtractValue(string field) => record =>
    {
        if (record.Value is null)
        {
            return record;
        }

        if (!ConnectStructs.TryGetField(record.Value, field, out var type, out var v))
        {
            throw new ConnectDataException($"ExtractField$Value: the field '{field}' is not in the value of topic {record.Topic}.");
        }

        return record with { ValueSchema = type ?? ConnectSchemas.Infer(v), Value = v };
    };
}
