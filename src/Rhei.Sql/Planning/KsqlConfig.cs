using System.Collections.Immutable;
using System.Globalization;

namespace Rhei.Sql.Planning;

/// <summary>
/// The ksqlDB properties that shape planning and execution (<c>ksql.*</c>, <c>auto.offset.reset</c>, streams
/// overrides), layered: server configuration, then per-request or per-session overrides (SET). Names are
/// case-sensitive, as in ksqlDB; values are strings and read through the typed accessors.
/// </summary>
public sealed class KsqlConfig
{
    public const string ServiceId = "ksql.service.id";
    public const string DefaultKeyFormat = "ksql.persistence.default.format.key";
    public const string DefaultValueFormat = "ksql.persistence.default.format.value";
    public const string WrapSingleValues = "ksql.persistence.wrap.single.values";
    public const string OutputTopicPrefix = "ksql.output.topic.name.prefix";
    public const string SinkPartitions = "ksql.sink.partitions";
    public const string SinkReplicas = "ksql.sink.replicas";
    public const string AutoOffsetReset = "auto.offset.reset";
    public const string TimestampThrowOnInvalid = "ksql.timestamp.throw.on.invalid";
    public const string RowPartitionOffsetEnabled = "ksql.rowpartition.rowoffset.enabled";
    public const string HeadersColumnsEnabled = "ksql.headers.columns.enabled";
    public const string SuppressEnabled = "ksql.suppress.enabled";
    public const string CreateOrReplaceEnabled = "ksql.create.or.replace.enabled";
    public const string ProcessingLogTopic = "ksql.logging.processing.topic.name";
    public const string StreamsPrefix = "ksql.streams.";
    public const string FunctionsPrefix = "ksql.functions.";

    private static readonly ImmutableDictionary<string, string> Defaults = new Dictionary<string, string>
    {
        [ServiceId] = "default_",
        [DefaultKeyFormat] = "KAFKA",
        [OutputTopicPrefix] = "",
        [AutoOffsetReset] = "latest",
        [TimestampThrowOnInvalid] = "false",
        [RowPartitionOffsetEnabled] = "true",
        [HeadersColumnsEnabled] = "true",
        [SuppressEnabled] = "true",
        [CreateOrReplaceEnabled] = "true",
    }.ToImmutableDictionary(StringComparer.Ordinal);

    private readonly ImmutableDictionary<string, string> _values;

    public KsqlConfig(IEnumerable<KeyValuePair<string, string>>? values = null)
    {
        _values = Defaults.SetItems(values ?? []);
    }

    private KsqlConfig(ImmutableDictionary<string, string> values)
    {
        _values = values;
    }

    public IReadOnlyDictionary<string, string> Values => _values;

    /// <summary>This configuration with <paramref name="overrides"/> on top.</summary>
    public KsqlConfig With(IEnumerable<KeyValuePair<string, string>>? overrides) =>
        overrides is null ? this : new KsqlConfig(_values.SetItems(overrides));

    public string? GetString(string name) => _values.TryGetValue(name, out var v) ? v : null;

    public bool GetBool(string name, bool defaultValue = false) =>
        _values.TryGetValue(name, out var v) ? string.Equals(v.Trim(), "true", StringComparison.OrdinalIgnoreCase) : defaultValue;

    public int? GetInt(string name) =>
        _values.TryGetValue(name, out var v) && int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : null;

    public long? GetLong(string name) =>
        _values.TryGetValue(name, out var v) && long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? l : null;

    /// <summary>
    /// The serde features of a single value column: WRAP_SINGLE_VALUE when given, else <c>ksql.persistence.wrap.single.values</c>
    /// when set; with neither, none (the format writes its default, wrapped).
    /// </summary>
    public Formats.Serde.SerdeFeatures ValueFeatures(Formats.Serde.SerdeFormat format, int columnCount, bool? wrapSingleValue)
    {
        var configured = GetString(WrapSingleValues);
        if (wrapSingleValue is null && configured is null)
        {
            return format.ResolveValueFeatures(columnCount, null, true) & ~Formats.Serde.SerdeFeatures.WrapSingles;
        }

        return format.ResolveValueFeatures(columnCount, wrapSingleValue, configured is null || GetBool(WrapSingleValues, true));
    }

    public string ServiceIdValue => GetString(ServiceId) ?? "default_";

    /// <summary>A Kafka Streams property: <c>ksql.streams.name</c> wins over a bare <c>name</c>.</summary>
    public string? GetStreamsProperty(string name) => GetString(StreamsPrefix + name) ?? GetString(name);

    /// <summary>The <c>ksql.functions.*</c> settings, for aggregate and scalar function configuration.</summary>
    public IReadOnlyDictionary<string, object?> FunctionConfig() =>
        _values.Where(p => p.Key.StartsWith(FunctionsPrefix, StringComparison.Ordinal))
            .ToDictionary(p => p.Key, p => (object?)p.Value, StringComparer.Ordinal);
}
