using System.Globalization;

namespace Rhei.Connect.Config;

/// <summary>A property that is not valid: which one, and what is wrong (Kafka Connect's sentence).</summary>
public sealed record ConfigError(string Name, string Message)
{
    public override string ToString() => Message;
}

/// <summary>
/// The properties a connector understands (Kafka Connect's ConfigDef): parses a raw property map into typed values,
/// filling defaults and collecting every error with Kafka Connect's wording
/// (<c>Missing required configuration "connection.url" which has no default value.</c>,
/// <c>Invalid value bulkk for configuration mode: String must be one of: bulk, incrementing, ...</c>).
/// </summary>
public sealed class ConfigDef
{
    private readonly List<ConfigKey> _keys = [];
    private readonly Dictionary<string, ConfigKey> _byName = new(StringComparer.Ordinal);

    public IReadOnlyList<ConfigKey> Keys => _keys;

    public ConfigDef Define(ConfigKey key)
    {
        if (_byName.ContainsKey(key.Name))
        {
            throw new ArgumentException($"The property {key.Name} is defined twice.", nameof(key));
        }

        _keys.Add(key);
        _byName[key.Name] = key;
        foreach (var alias in key.Aliases)
        {
            _byName[alias] = key;
        }

        return this;
    }

    public ConfigDef Define(string name, ConfigType type, object? defaultValue, ConfigImportance importance, string documentation, ConfigValidator? validator = null) =>
        Define(new ConfigKey(name, type, defaultValue, importance, documentation) { Validator = validator });

    public ConfigDef DefineRequired(string name, ConfigType type, ConfigImportance importance, string documentation, ConfigValidator? validator = null) =>
        Define(new ConfigKey(name, type, null, importance, documentation) { Required = true, Validator = validator });

    public ConfigDef DefineEnum(string name, string defaultValue, ConfigImportance importance, string documentation, params string[] values) =>
        Define(new ConfigKey(name, ConfigType.String, defaultValue, importance, documentation)
        {
            Validator = ConfigValidators.OneOf(values),
            ValidValues = values,
        });

    /// <summary>All keys of this definition followed by those of <paramref name="other"/> not defined here.</summary>
    public ConfigDef Merge(ConfigDef other)
    {
        var merged = new ConfigDef();
        foreach (var key in _keys)
        {
            merged.Define(key);
        }

        foreach (var key in other._keys.Where(k => !_byName.ContainsKey(k.Name)))
        {
            merged.Define(key);
        }

        return merged;
    }

    public ConfigKey? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>Parses <paramref name="properties"/>; errors are collected in <see cref="ParsedConfig.Errors"/>, never thrown.</summary>
    public ParsedConfig Parse(IReadOnlyDictionary<string, string> properties)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        var errors = new List<ConfigError>();
        foreach (var key in _keys)
        {
            string? raw = null;
            if (properties.TryGetValue(key.Name, out var direct))
            {
                raw = direct;
            }
            else
            {
                foreach (var alias in key.Aliases)
                {
                    if (properties.TryGetValue(alias, out var aliased))
                    {
                        raw = aliased;
                        break;
                    }
                }
            }

            if (raw is null)
            {
                if (key.Required)
                {
                    errors.Add(new ConfigError(key.Name, $"Missing required configuration \"{key.Name}\" which has no default value."));
                    continue;
                }

                values[key.Name] = key.Default;
                continue;
            }

            if (!TryConvert(key, raw, out var parsed, out var reason))
            {
                errors.Add(new ConfigError(key.Name, $"Invalid value {Shown(key, raw)} for configuration {key.Name}: {reason}"));
                continue;
            }

            if (key.Validator?.Invoke(parsed) is { } problem)
            {
                errors.Add(new ConfigError(key.Name, $"Invalid value {Shown(key, raw)} for configuration {key.Name}: {problem}"));
                continue;
            }

            values[key.Name] = parsed;
        }

        return new ParsedConfig(properties, values, errors);
    }

    private static string Shown(ConfigKey key, string raw) => key.Type == ConfigType.Password ? "[hidden]" : raw;

    private static bool TryConvert(ConfigKey key, string raw, out object? value, out string reason)
    {
        reason = "";
        var text = raw.Trim();
        switch (key.Type)
        {
            case ConfigType.String:
            case ConfigType.Password:
            case ConfigType.Class:
                value = key.Type == ConfigType.Password ? raw : text;
                return true;
            case ConfigType.Int:
                if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i))
                {
                    value = i;
                    return true;
                }

                value = null;
                reason = "Not a number of type INT";
                return false;
            case ConfigType.Long:
                if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l))
                {
                    value = l;
                    return true;
                }

                value = null;
                reason = "Not a number of type LONG";
                return false;
            case ConfigType.Double:
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
                {
                    value = d;
                    return true;
                }

                value = null;
                reason = "Not a number of type DOUBLE";
                return false;
            case ConfigType.Boolean:
                if (bool.TryParse(text, out var b))
                {
                    value = b;
                    return true;
                }

                value = null;
                reason = "Expected value to be either true or false";
                return false;
            case ConfigType.List:
                value = SplitList(text);
                return true;
            default:
                value = null;
                reason = "Unknown type";
                return false;
        }
    }

    /// <summary>Splits a comma-separated list as Kafka's ConfigDef does (trimmed, empty items dropped).</summary>
    public static IReadOnlyList<string> SplitList(string text) =>
        text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
