namespace Rhei.Connect.Config;

/// <summary>Typed values of a parsed connector configuration, with the raw properties and any errors.</summary>
public sealed class ParsedConfig
{
    private readonly IReadOnlyDictionary<string, object?> _values;

    internal ParsedConfig(IReadOnlyDictionary<string, string> raw, IReadOnlyDictionary<string, object?> values, IReadOnlyList<ConfigError> errors)
    {
        Raw = raw;
        _values = values;
        Errors = errors;
    }

    /// <summary>The properties as given (including ones no definition knows: converters and transforms read them).</summary>
    public IReadOnlyDictionary<string, string> Raw { get; }

    public IReadOnlyList<ConfigError> Errors { get; }

    public bool IsValid => Errors.Count == 0;

    public object? Get(string name) => _values.TryGetValue(name, out var v)
        ? v
        : throw new KeyNotFoundException($"The property {name} is not defined.");

    public string? GetString(string name) => Get(name) as string;

    public string GetRequiredString(string name) => GetString(name) ?? throw new ConnectorConfigException(name, $"Missing required configuration \"{name}\" which has no default value.");

    public int GetInt(string name) => Convert.ToInt32(Get(name), System.Globalization.CultureInfo.InvariantCulture);

    public long GetLong(string name) => Convert.ToInt64(Get(name), System.Globalization.CultureInfo.InvariantCulture);

    public double GetDouble(string name) => Convert.ToDouble(Get(name), System.Globalization.CultureInfo.InvariantCulture);

    public bool GetBoolean(string name) => Get(name) is true;

    public IReadOnlyList<string> GetList(string name) => Get(name) switch
    {
        IReadOnlyList<string> list => list,
        string s => ConfigDef.SplitList(s),
        _ => [],
    };

    /// <summary>Throws <see cref="ConnectorConfigException"/> listing every error, when there are any.</summary>
    public ParsedConfig ThrowIfInvalid(string connectorName)
    {
        if (Errors.Count > 0)
        {
            throw ConnectorConfigException.FromErrors(connectorName, Errors);
        }

        return this;
    }

    /// <summary>Raw properties whose names start with <paramref name="prefix"/>, with the prefix removed.</summary>
    public IReadOnlyDictionary<string, string> WithPrefix(string prefix)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in Raw)
        {
            if (k.StartsWith(prefix, StringComparison.Ordinal))
            {
                result[k[prefix.Length..]] = v;
            }
        }

        return result;
    }
}
