namespace Rhei.Configuration;

/// <summary>
/// A validated configuration: the effective value of every key in the table (with its source) and the
/// pass-through settings. Immutable. Build one with <see cref="RheiConfigBuilder"/> or <see cref="Load"/>.
/// Getters take a key's name or alias (use the constants in <see cref="RheiSettings"/>); asking for a name
/// that is not in the table, or with the wrong type, is a programming error and throws.
/// </summary>
public sealed class RheiConfig
{
    private static readonly Lazy<RheiConfig> s_defaults = new(() => new RheiConfigBuilder().Build());
    private readonly Dictionary<string, ConfigValue> _values;
    private readonly Dictionary<string, PassThroughValue> _passThrough;

    internal RheiConfig(ConfigDef definition, Dictionary<string, ConfigValue> values, Dictionary<string, PassThroughValue> passThrough)
    {
        Definition = definition;
        _values = values;
        _passThrough = passThrough;
    }

    /// <summary>Rhei's table with nothing set: every default.</summary>
    public static RheiConfig Defaults => s_defaults.Value;

    /// <summary>
    /// Loads the configuration the way <c>rhei server</c> does: defaults, then <paramref name="configFile"/>
    /// (if any), then the <c>RHEI_*</c> variables of <paramref name="environment"/> (the process environment
    /// when <c>null</c>), then the <c>--set</c> arguments. Throws <see cref="ConfigException"/>.
    /// </summary>
    public static RheiConfig Load(string? configFile, IEnumerable<string> setArguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var builder = new RheiConfigBuilder();
        if (configFile is not null)
        {
            builder.AddPropertiesFile(configFile);
        }
        builder.AddEnvironment(environment ?? EnvironmentVariables.Current());
        foreach (var argument in setArguments)
        {
            builder.AddSetArgument(argument);
        }
        return builder.Build();
    }

    public ConfigDef Definition { get; }

    /// <summary>Every key's effective value, in table order.</summary>
    public IEnumerable<ConfigValue> Values => Definition.Keys.Select(k => _values[k.Name]);

    /// <summary>The settings accepted through a pass-through prefix, by name.</summary>
    public IEnumerable<PassThroughValue> PassThrough => _passThrough.Values.OrderBy(v => v.Name, StringComparer.Ordinal);

    /// <summary>The effective value of a key, with its source.</summary>
    public ConfigValue GetValue(string name) => _values[Definition[name].Name];

    public bool GetBoolean(string name) => Required<bool>(name, ConfigType.Boolean);

    public int GetInt(string name) => Required<int>(name, ConfigType.Int);

    public long GetLong(string name) => Required<long>(name, ConfigType.Long);

    public double GetDouble(string name) => Required<double>(name, ConfigType.Double);

    public string GetString(string name) => Required<string>(name, ConfigType.String);

    public IReadOnlyList<string> GetList(string name) => Required<IReadOnlyList<string>>(name, ConfigType.List);

    public IReadOnlyList<ListenerEndpoint> GetListeners(string name) =>
        Optional<IReadOnlyList<ListenerEndpoint>>(name, ConfigType.Listeners) ?? [];

    /// <summary>For keys without a default: the value, or <c>null</c> when not set.</summary>
    public bool? GetBooleanOrNull(string name) => Optional<object>(name, ConfigType.Boolean) as bool?;

    public int? GetIntOrNull(string name) => Optional<object>(name, ConfigType.Int) as int?;

    public long? GetLongOrNull(string name) => Optional<object>(name, ConfigType.Long) as long?;

    public string? GetStringOrNull(string name) => Optional<string>(name, ConfigType.String);

    /// <summary>
    /// The pass-through settings whose names start with <paramref name="prefix"/> (e.g. <c>ksql.streams.producer.</c>),
    /// keyed by the rest of the name (or the whole name when <paramref name="stripPrefix"/> is false).
    /// </summary>
    public IReadOnlyDictionary<string, string> GetWithPrefix(string prefix, bool stripPrefix = true) =>
        _passThrough.Values
            .Where(v => v.Name.StartsWith(prefix, StringComparison.Ordinal))
            .ToDictionary(v => stripPrefix ? v.Name[prefix.Length..] : v.Name, v => v.Value, StringComparer.Ordinal);

    // Derived values: the rules Kafka and ksqlDB apply on top of single keys.

    /// <summary><c>node.id</c> (or its alias <c>broker.id</c>).</summary>
    public int NodeId => GetInt(RheiSettings.NodeId);

    /// <summary><c>rhei.service.id</c> (or its alias <c>ksql.service.id</c>).</summary>
    public string ServiceId => GetString(RheiSettings.ServiceId);

    public IReadOnlyList<string> LogDirs => GetList(RheiSettings.LogDirs);

    public IReadOnlyList<ListenerEndpoint> Listeners => GetListeners(RheiSettings.Listeners);

    /// <summary><c>advertised.listeners</c> when set, otherwise <c>listeners</c> (Kafka's rule).</summary>
    public IReadOnlyList<ListenerEndpoint> AdvertisedListeners =>
        GetValue(RheiSettings.AdvertisedListeners).Value is null ? Listeners : GetListeners(RheiSettings.AdvertisedListeners);

    /// <summary>True when <c>bootstrap.servers</c> is empty: Rhei runs its own broker.</summary>
    public bool IsEmbeddedBroker => GetList(RheiSettings.BootstrapServers).Count == 0;

    /// <summary>
    /// Time-based retention in milliseconds, or -1 for none: <c>log.retention.ms</c> if set, else
    /// <c>log.retention.minutes</c>, else <c>log.retention.hours</c> (Kafka's precedence); any negative is -1.
    /// </summary>
    public long LogRetentionMs
    {
        get
        {
            var ms = GetLongOrNull(RheiSettings.LogRetentionMs)
                ?? GetIntOrNull(RheiSettings.LogRetentionMinutes) * 60_000L
                ?? GetInt(RheiSettings.LogRetentionHours) * 3_600_000L;
            return ms < 0 ? -1 : ms;
        }
    }

    /// <summary>Segment roll time: <c>log.roll.ms</c> if set, else <c>log.roll.hours</c>.</summary>
    public long LogRollMs => GetLongOrNull(RheiSettings.LogRollMs) ?? GetInt(RheiSettings.LogRollHours) * 3_600_000L;

    /// <summary><c>ksql.streams.state.dir</c> if set, else <c>state</c> under the first of <c>log.dirs</c>.</summary>
    public string StreamsStateDir => GetStringOrNull(RheiSettings.StreamsStateDir) is { Length: > 0 } dir
        ? dir
        : Path.Combine(LogDirs[0], "state");

    /// <summary><c>ksql.logging.processing.topic.name</c> if set, else <c>&lt;service id&gt;ksql_processing_log</c>.</summary>
    public string ProcessingLogTopicName => GetStringOrNull(RheiSettings.ProcessingLogTopicName) is { Length: > 0 } name
        ? name
        : ServiceId + "ksql_processing_log";

    private T Required<T>(string name, ConfigType type)
    {
        var value = Optional<object>(name, type);
        return value is T typed
            ? typed
            : throw new InvalidOperationException($"'{name}' has no value; read it with the ...OrNull getter.");
    }

    private T? Optional<T>(string name, ConfigType type)
        where T : class
    {
        var key = Definition[name];
        if (key.Type != type)
        {
            throw new InvalidOperationException($"'{key.Name}' is of type {key.Type}, not {type}.");
        }
        return _values[key.Name].Value as T;
    }
}
