using System.Text.Json;
using System.Text.RegularExpressions;
using Rhei.Engine;
using Rhei.Engine.Topics;
using Rhei.Formats.SchemaRegistry;
using Rhei.Formats.Serde;
using Rhei.Formats.Windowed;
using Rhei.Sql.Ast;
using Rhei.Sql.Functions;
using Rhei.Sql.Parsing;
using Rhei.Sql.Planning;
using Rhei.Sql.Schema;

namespace Rhei.Conformance;

/// <summary>
/// Runs one case the way ksqlDB's test executor does: a fresh engine whose queries run on test drivers; statements
/// in order; inputs piped in order; outputs compared per topic, in order; then the expected exception or the post
/// conditions.
/// </summary>
internal sealed class CaseRunner
{
    public const string ServiceId = "some.ksql.service.id";
    private const int DefaultPartitions = 4;

    private readonly QttCase _case;
    private readonly TestKafka _kafka = new();
    private readonly InMemoryTopicClient _topics = new();
    private readonly FormatRegistry _formats = FormatRegistry.CreateDefault();
    private readonly SchemaStore _schemas = new(defaultCompatibility: CompatibilityLevel.None);
    private RheiEngine? _engine;

    public CaseRunner(QttCase c)
    {
        _case = c;
    }

    public async Task<CaseResult> RunAsync()
    {
        if (!_case.Enabled)
        {
            return new CaseResult(_case, CaseStatus.Disabled, "disabled", _case.NeedsSchemaRegistry);
        }

        try
        {
            await RunCoreAsync();
            return CaseResult.Pass(_case);
        }
        catch (CaseFailure f)
        {
            return CaseResult.Fail(_case, f.Message);
        }
        catch (Exception e)
        {
            var frames = Environment.GetEnvironmentVariable("RHEI_CONFORMANCE_TRACE") is null ? "" : "\n" + e.StackTrace;
            return CaseResult.Fail(_case, $"runner error: {e.GetType().Name}: {e.Message}{frames}");
        }
        finally
        {
            if (_engine is not null)
            {
                await _engine.DisposeAsync();
            }
        }
    }

    private async Task RunCoreAsync()
    {
        await _schemas.StartAsync();
        _topics.OnProduce = r => _kafka.Produce(new TopicRecord(r.Topic, r.Key?.ToArray(), r.Value?.ToArray(), r.Timestamp ?? 0, r.Headers ?? []));
        SchemaRegistryFormats.AddTo(_formats, new EmbeddedSchemaRegistryClient(_schemas));
        var functions = FunctionRegistry.CreateBuiltIn();
        Functions.TestFunctions.Register(functions);
        _engine = new RheiEngine(new RheiEngineOptions
        {
            ServiceId = ServiceId,
            Properties = _case.Properties,
            Topics = _topics,
            Runtime = _kafka,
            Functions = functions,
            Formats = _formats,
        });

        await CreateTopicsAsync();
        var expected = _case.Property("expectedException");
        var script = string.Join("\n", _case.Statements);
        Exception? error = null;
        try
        {
            await _engine.CreateSession().ExecuteAsync(script);
        }
        catch (Exception e) when (e is KsqlException or SqlParseException)
        {
            error = e;
        }

        if (error is not null)
        {
            if (expected is null)
            {
                throw new CaseFailure($"statement failed: {Describe(error)}");
            }

            CheckException(expected.Value, error, runtime: false);
            return;
        }

        await PipeInputsAsync();
        if (expected is { } ex)
        {
            if (_kafka.RuntimeErrors.Count > 0)
            {
                CheckException(ex, _kafka.RuntimeErrors[0], runtime: true);
                return;
            }

            throw new CaseFailure($"expected exception {ex.GetProperty("type").GetString()?.Split('.').Last()}: {Message(ex)} — none thrown");
        }

        if (_kafka.RuntimeErrors.Count > 0)
        {
            throw new CaseFailure($"runtime error: {_kafka.RuntimeErrors[0].GetType().Name}: {_kafka.RuntimeErrors[0].Message}");
        }

        CompareOutputs();
        PostConditions.Check(_case, _engine, _kafka, _topics);
    }

    private static string Message(JsonElement ex) => ex.TryGetProperty("message", out var m) ? m.GetString() ?? "" : "";

    private static string Describe(Exception e) => e switch
    {
        KsqlStatementException s => $"{e.GetType().Name}: {s.Message}",
        _ => $"{e.GetType().Name}: {e.Message}",
    };

    private static void CheckException(JsonElement expected, Exception actual, bool runtime)
    {
        var type = expected.TryGetProperty("type", out var t) ? t.GetString()?.Split('.').Last() ?? "" : "";
        var message = Message(expected);
        var typeOk = type switch
        {
            "ParseFailedException" => actual is SqlParseException or KsqlParseFailedException,
            "KsqlStatementException" => actual is KsqlStatementException,
            "KsqlException" => actual is KsqlException or SqlParseException,
            "StreamsException" => runtime,
            _ => true,
        };
        if (!typeOk)
        {
            throw new CaseFailure($"expected {type}: {message} — got {Describe(actual)}");
        }

        if (runtime)
        {
            return;
        }

        var texts = new List<string> { actual.Message };
        switch (actual)
        {
            case KsqlStatementException s:
                texts.Add(s.FullMessage);
                break;
            case SqlParseException p:
                texts.Add(p.ShortMessage);
                break;
        }

        if (actual.InnerException is SqlParseException inner)
        {
            texts.Add(inner.ShortMessage);
        }

        if (!texts.Any(x => x.Contains(message, StringComparison.Ordinal)))
        {
            throw new CaseFailure($"expected message: {message} — got {Describe(actual)}");
        }
    }

    /// <summary>Topics the case declares, the topics its CREATE statements name, and the topics its inputs go to.</summary>
    private async Task CreateTopicsAsync()
    {
        foreach (var text in _case.Statements)
        {
            Statement statement;
            try
            {
                statement = SqlParser.ParseStatement(text);
            }
            catch (SqlParseException)
            {
                continue;
            }

            if (statement is CreateSource create)
            {
                var topic = create.Properties.FirstOrDefault(p => p.Name.Equals("KAFKA_TOPIC", StringComparison.OrdinalIgnoreCase))?.Value.Value as string ?? create.Name;
                var partitions = create.Properties.FirstOrDefault(p => p.Name.Equals("PARTITIONS", StringComparison.OrdinalIgnoreCase))?.Value.Value;
                await _topics.CreateAsync(topic, partitions is int n ? n : DefaultPartitions, 1, new Dictionary<string, string>());
            }
        }

        if (_case.Property("topics") is { ValueKind: JsonValueKind.Array } topics)
        {
            foreach (var t in topics.EnumerateArray())
            {
                var name = t.GetProperty("name").GetString()!;
                var partitions = t.TryGetProperty("partitions", out var p) && p.ValueKind == JsonValueKind.Number ? p.GetInt32() : DefaultPartitions;
                await _topics.CreateAsync(name, partitions, 1, new Dictionary<string, string>());
                await TestSchemas.RegisterAsync(_schemas, t, _case.Statements);
            }
        }

        if (_case.Property("inputs") is { ValueKind: JsonValueKind.Array } inputs)
        {
            foreach (var i in inputs.EnumerateArray())
            {
                await _topics.CreateAsync(i.GetProperty("topic").GetString()!, DefaultPartitions, 1, new Dictionary<string, string>());
            }
        }
    }

    private async Task PipeInputsAsync()
    {
        if (_case.Property("inputs") is not { ValueKind: JsonValueKind.Array } inputs)
        {
            return;
        }

        foreach (var input in inputs.EnumerateArray())
        {
            var topic = input.GetProperty("topic").GetString()!;
            var (keyCodec, valueCodec, source) = Codecs(topic, reading: true);
            keyCodec = await SourceSchemaCodecAsync(source, SerdeTarget.Key, topic) ?? keyCodec;
            valueCodec = await SourceSchemaCodecAsync(source, SerdeTarget.Value, topic) ?? valueCodec;
            var key = input.TryGetProperty("key", out var k) ? k : (JsonElement?)null;
            var value = input.TryGetProperty("value", out var v) ? v : (JsonElement?)null;
            var timestamp = input.TryGetProperty("timestamp", out var ts) && ts.ValueKind == JsonValueKind.Number ? ts.GetInt64() : 0L;
            byte[]? keyBytes;
            if (input.TryGetProperty("window", out var w) && w.ValueKind == JsonValueKind.Object && keyCodec is not null)
            {
                var type = ParseWindowType(w.GetProperty("type").GetString()!);
                keyBytes = keyCodec.EncodeWindowed(key, type, w.GetProperty("start").GetInt64(), w.GetProperty("end").GetInt64());
            }
            else
            {
                keyBytes = keyCodec is null ? RawBytes(key) : keyCodec.Encode(key);
            }

            var valueBytes = valueCodec is null ? RawBytes(value) : valueCodec.Encode(value);
            var headers = ReadHeaders(input);
            _ = source;
            _kafka.Produce(new TopicRecord(topic, keyBytes, valueBytes, timestamp, headers));
        }
    }

    private static IReadOnlyList<Rhei.Client.RecordHeader> ReadHeaders(JsonElement record)
    {
        if (!record.TryGetProperty("headers", out var h) || h.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        var list = new List<Rhei.Client.RecordHeader>();
        foreach (var e in h.EnumerateArray())
        {
            var key = e.GetProperty("KEY").GetString()!;
            ReadOnlyMemory<byte>? value = e.TryGetProperty("VALUE", out var v) && v.ValueKind == JsonValueKind.String ? new ReadOnlyMemory<byte>(Convert.FromBase64String(v.GetString()!)) : (ReadOnlyMemory<byte>?)null;
            list.Add(new Rhei.Client.RecordHeader(key, value));
        }

        return list;
    }

    internal static WindowType ParseWindowType(string text) => text.ToUpperInvariant() switch
    {
        "SESSION" => WindowType.Session,
        "HOPPING" => WindowType.Hopping,
        _ => WindowType.Tumbling,
    };

    private static byte[]? RawBytes(JsonElement? e) =>
        e is not { } x || x.ValueKind == JsonValueKind.Null || x.ValueKind == JsonValueKind.Undefined
            ? null
            : System.Text.Encoding.UTF8.GetBytes(x.ValueKind == JsonValueKind.String ? x.GetString()! : x.GetRawText());

    /// <summary>The codecs of a topic's key and value, from the source (or sink) that uses it.</summary>
    private (RecordCodec? Key, RecordCodec? Value, DataSource? Source) Codecs(string topic, bool reading)
    {
        var sources = _engine!.MetaStore.Sources.Where(s => s.KafkaTopicName == topic).ToList();
        var source = reading
            ? sources.FirstOrDefault(s => !s.IsCreateAsSelect) ?? sources.FirstOrDefault()
            : sources.LastOrDefault(s => s.IsCreateAsSelect) ?? sources.LastOrDefault();
        if (source is null)
        {
            return (null, null, null);
        }

        var key = new RecordCodec(_formats, source.Topic.KeyFormat.Format, source.Topic.KeyFormat.Features, source.Schema.KeySerdeSchema(), SerdeTarget.Key, topic);
        var value = new RecordCodec(_formats, source.Topic.ValueFormat.Format, source.Topic.ValueFormat.Features, source.Schema.ValueSerdeSchema(), SerdeTarget.Value, topic);
        if (reading)
        {
            // Inputs are written with the schema registered for the topic, when there is one (it may have more fields).
            key = RegisteredCodec(source.Topic.KeyFormat.Format, SerdeTarget.Key, topic) ?? key;
            value = RegisteredCodec(source.Topic.ValueFormat.Format, SerdeTarget.Value, topic) ?? value;
        }

        return (key, value, source);
    }

    private RecordCodec? RegisteredCodec(Sql.Schema.FormatInfo format, SerdeTarget target, string topic)
    {
        if (!_formats.TryGet(format.Format, out var f) || f is not SchemaRegistryFormat sr || _schemas.TryGetLatest(SchemaRegistryClient.Subject(topic, target == SerdeTarget.Key)) is not { } latest)
        {
            return null;
        }

        var definition = latest.Definition;
        if (definition.Type != sr.SchemaType)
        {
            return null;
        }

        var parsed = sr.Client.GetParsedSchema(latest.Id);
        var unwrapped = !IsRecord(definition);
        SerdeSchema columns;
        try
        {
            columns = sr.ToColumns(parsed, target, unwrapped, preserveNames: true, format.Property(FormatPropertyNames.FullSchemaName));
        }
        catch (Exception e) when (e is FormatValidationException or KeyNotFoundException)
        {
            return null;
        }

        var properties = format.Properties.SetItem(FormatPropertyNames.SchemaId, latest.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var features = unwrapped && columns.Count == 1 && sr.Supports(SerdeFeatures.UnwrapSingles) ? SerdeFeatures.UnwrapSingles : SerdeFeatures.None;
        return new RecordCodec(_formats, format with { Properties = properties }, features, columns, target, topic);
    }

    /// <summary>
    /// Inputs of a registry format whose topic has no usable registered schema are written with the schema of the
    /// source's columns, registered under a subject of the runner's own (the records carry its id).
    /// </summary>
    private async Task<RecordCodec?> SourceSchemaCodecAsync(DataSource? source, SerdeTarget target, string topic)
    {
        if (source is null || RegisteredCodec(target == SerdeTarget.Key ? source.Topic.KeyFormat.Format : source.Topic.ValueFormat.Format, target, topic) is not null)
        {
            return null;
        }

        var format = target == SerdeTarget.Key ? source.Topic.KeyFormat.Format : source.Topic.ValueFormat.Format;
        var features = target == SerdeTarget.Key ? source.Topic.KeyFormat.Features : source.Topic.ValueFormat.Features;
        var schema = target == SerdeTarget.Key ? source.Schema.KeySerdeSchema() : source.Schema.ValueSerdeSchema();
        if (!_formats.TryGet(format.Format, out var f) || f is not SchemaRegistryFormat sr || format.Property(FormatPropertyNames.SchemaId) is not null || schema.Count == 0)
        {
            return null;
        }

        var options = new SerdeOptions(target) { Features = features, Properties = format.Properties, Topic = topic };
        var definition = sr.ToDefinition(schema, options);
        var subject = $"rhei-conformance-input-{topic}-{options.TargetName}";
        var registered = _schemas.TryGetLatest(subject) is { } existing && existing.Definition.Equals(definition)
            ? existing
            : await _schemas.RegisterAsync(subject, definition);
        var properties = format.Properties.SetItem(FormatPropertyNames.SchemaId, registered.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return new RecordCodec(_formats, format with { Properties = properties }, features, schema, target, topic);
    }

    private static bool IsRecord(SchemaDefinition definition)
    {
        if (definition.Type == SchemaType.Protobuf)
        {
            return true;
        }

        try
        {
            using var doc = JsonDocument.Parse(definition.Schema);
            var root = doc.RootElement;
            return root.ValueKind == JsonValueKind.Object && root.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String
                && (t.GetString() is "record" or "object") && (definition.Type != SchemaType.Json || root.TryGetProperty("properties", out _));
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private void CompareOutputs()
    {
        if (_case.Property("outputs") is not { ValueKind: JsonValueKind.Array } outputs)
        {
            return;
        }

        var byTopic = outputs.EnumerateArray().GroupBy(o => o.GetProperty("topic").GetString()!);
        foreach (var group in byTopic)
        {
            var topic = group.Key;
            var expected = group.ToList();
            var actual = _kafka.Records(topic);
            var (keyCodec, valueCodec, source) = Codecs(topic, reading: false);
            for (var i = 0; i < Math.Max(expected.Count, actual.Count); i++)
            {
                if (i >= actual.Count)
                {
                    throw new CaseFailure($"topic {topic}: expected {expected.Count} records, got {actual.Count}; missing #{i}: {expected[i].GetRawText()}");
                }

                if (i >= expected.Count)
                {
                    throw new CaseFailure($"topic {topic}: expected {expected.Count} records, got {actual.Count}; extra #{i}: {Show(actual[i], keyCodec, valueCodec)}");
                }

                CompareRecord(topic, i, expected[i], actual[i], keyCodec, valueCodec, source);
            }
        }
    }

    private static string Show(TopicRecord r, RecordCodec? key, RecordCodec? value) =>
        $"key={(key is null ? Text(r.Key) : key.Describe(r.Key))} value={(value is null ? Text(r.Value) : value.Describe(r.Value))} ts={r.Timestamp}";

    private static string Text(byte[]? b) => b is null ? "null" : System.Text.Encoding.UTF8.GetString(b);

    private static void CompareRecord(string topic, int index, JsonElement expected, TopicRecord actual, RecordCodec? keyCodec, RecordCodec? valueCodec, DataSource? source)
    {
        var where = $"topic {topic} record #{index}";
        var expectedValue = expected.TryGetProperty("value", out var v) ? v : (JsonElement?)null;
        if (valueCodec is null)
        {
            var want = expectedValue is { ValueKind: not JsonValueKind.Null } ev ? (ev.ValueKind == JsonValueKind.String ? ev.GetString() : ev.GetRawText()) : null;
            if (want != (actual.Value is null ? null : Text(actual.Value)))
            {
                throw new CaseFailure($"{where}: expected value {want ?? "null"}, got {Text(actual.Value)}");
            }
        }
        else if (!valueCodec.Matches(expectedValue, actual.Value, out var got))
        {
            throw new CaseFailure($"{where}: expected value {expectedValue?.GetRawText() ?? "null"}, got {got}");
        }

        var expectedKey = expected.TryGetProperty("key", out var k) ? k : (JsonElement?)null;
        var window = expected.TryGetProperty("window", out var w) && w.ValueKind == JsonValueKind.Object ? w : (JsonElement?)null;
        if (keyCodec is not null && source is not null && source.IsWindowed && actual.Key is not null)
        {
            var info = source.Topic.KeyFormat.Window!;
            var (row, bounds) = keyCodec.DecodeWindowed(actual.Key, info.Type, info.SizeMs);
            var want = expectedKey is { ValueKind: not JsonValueKind.Null } ek ? keyCodec.FromJson(ek) : null;
            if (!RecordCodec.RowsEqual(want, row))
            {
                throw new CaseFailure($"{where}: expected key {expectedKey?.GetRawText() ?? "null"}, got {(row is null ? "null" : string.Join(",", row))}");
            }

            if (window is { } win)
            {
                var start = win.GetProperty("start").GetInt64();
                var end = win.GetProperty("end").GetInt64();
                if (start != bounds.Start || end != bounds.End)
                {
                    throw new CaseFailure($"{where}: expected window [{start}, {end}], got [{bounds.Start}, {bounds.End}]");
                }
            }
        }
        else if (keyCodec is null)
        {
            var want = expectedKey is { ValueKind: not JsonValueKind.Null } ek ? (ek.ValueKind == JsonValueKind.String ? ek.GetString() : ek.GetRawText()) : null;
            if (want != (actual.Key is null ? null : Text(actual.Key)))
            {
                throw new CaseFailure($"{where}: expected key {want ?? "null"}, got {Text(actual.Key)}");
            }
        }
        else if (!keyCodec.Matches(expectedKey, actual.Key, out var gotKey))
        {
            throw new CaseFailure($"{where}: expected key {expectedKey?.GetRawText() ?? "null"}, got {gotKey}");
        }

        if (expected.TryGetProperty("timestamp", out var ts) && ts.ValueKind == JsonValueKind.Number && ts.GetInt64() != actual.Timestamp)
        {
            throw new CaseFailure($"{where}: expected timestamp {ts.GetInt64()}, got {actual.Timestamp}");
        }
    }

    internal static bool MatchesRegex(string pattern, string text) => Regex.IsMatch(text, "^(?:" + pattern + ")$");
}
