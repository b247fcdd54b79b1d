using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Rhei.Formats.Json;
using Rhei.Formats.Protobuf;
using Rhei.Formats.SchemaRegistry;
using Rhei.Formats.Serde;
using Rhei.Formats.Tests.Conformance;
using Xunit.Abstractions;

namespace Rhei.Formats.Tests.SchemaRegistry;

/// <summary>
/// ksqlDB's query-validation cases that move records through schema-registry formats (<c>CREATE ... INPUT [(...)]
/// WITH (...)</c> then <c>CREATE ... OUTPUT [WITH (...)] AS SELECT * FROM INPUT</c>), run with this project's serdes and
/// registry alone: the case's topic schemas are registered, the source's columns are declared or inferred, inputs are
/// written with the topic's schema (or the source's), read with the source's serde, written with the sink's (its schema
/// registered as ksqlDB would), and read back with the registered schema to compare with ksqlDB's expected JSON.
/// </summary>
public partial class QttSchemaRegistryPassthroughTests(ITestOutputHelper output)
{
    private static readonly string[] SrFormats = ["AVRO", "PROTOBUF", "PROTOBUF_NOSR", "JSON_SR"];

    [Fact]
    public async Task Schema_registry_passthrough_cases_give_ksqlDB_outputs()
    {
        var dir = Path.Combine(SharedDir(), "conformance", "ksql", "qtt");
        Assert.True(Directory.Exists(dir), $"The reference cases are missing: {dir}");
        var failures = new List<string>();
        var ran = 0;
        foreach (var path in Directory.EnumerateFiles(dir, "*.json").Order(StringComparer.Ordinal))
        {
            using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(path));
            foreach (var test in doc.RootElement.GetProperty("tests").EnumerateArray())
            {
                string?[] variants = test.TryGetProperty("format", out var formats) ? [.. formats.EnumerateArray().Select(f => f.GetString())] : [null];
                foreach (var format in variants)
                {
                    var name = $"{Path.GetFileName(path)}/{test.GetProperty("name").GetString()}{(format is null ? "" : $" [{format}]")}";
                    var run = TryBuild(test, format);
                    if (run is null)
                    {
                        continue;
                    }

                    ran++;
                    try
                    {
                        await run();
                    }
                    catch (Exception e)
                    {
                        failures.Add($"{name}: {e.GetType().Name}: {e.Message}");
                    }
                }
            }
        }

        output.WriteLine($"{ran} schema-registry passthrough cases ran, {failures.Count} failed");
        failures.ForEach(output.WriteLine);
        Assert.True(ran >= 40, $"Only {ran} cases were recognised.");
        Assert.Empty(failures);
    }

    private static Func<Task>? TryBuild(JsonElement test, string? format)
    {
        if (test.TryGetProperty("expectedException", out _) || test.TryGetProperty("config", out _) || test.TryGetProperty("properties", out _)
            || (test.TryGetProperty("enabled", out var enabled) && enabled.ValueKind == JsonValueKind.False)
            || !test.TryGetProperty("statements", out var statements) || statements.GetArrayLength() != 2
            || !test.TryGetProperty("inputs", out var inputs) || !test.TryGetProperty("outputs", out var outputs))
        {
            return null;
        }

        var source = SourceStatement().Match(statements[0].GetString()!.Replace("{FORMAT}", format));
        var sink = SinkStatement().Match(statements[1].GetString()!.Replace("{FORMAT}", format));
        if (!source.Success || !sink.Success || inputs.EnumerateArray().Any(i => i.TryGetProperty("window", out _)))
        {
            return null;
        }

        var sourceWith = ParseWith(source.Groups["with"].Value);
        var sinkWith = ParseWith(sink.Groups["with"].Value);
        string[] known = ["kafka_topic", "value_format", "key_format", "format", "wrap_single_value", "partitions", "value_protobuf_nullable_representation", "key_protobuf_nullable_representation"];
        if (sourceWith.Keys.Concat(sinkWith.Keys).Any(k => !known.Contains(k)))
        {
            return null;
        }

        var sourceKey = (sourceWith.GetValueOrDefault("key_format") ?? sourceWith.GetValueOrDefault("format") ?? "KAFKA").ToUpperInvariant();
        var sourceValue = (sourceWith.GetValueOrDefault("value_format") ?? sourceWith.GetValueOrDefault("format") ?? "JSON").ToUpperInvariant();
        var sinkKey = (sinkWith.GetValueOrDefault("key_format") ?? sinkWith.GetValueOrDefault("format") ?? sourceKey).ToUpperInvariant();
        var sinkValue = (sinkWith.GetValueOrDefault("value_format") ?? sinkWith.GetValueOrDefault("format") ?? sourceValue).ToUpperInvariant();
        if (!new[] { sourceKey, sourceValue, sinkKey, sinkValue }.Any(f => SrFormats.Contains(f)))
        {
            return null;
        }

        var sourceTopic = sourceWith.GetValueOrDefault("kafka_topic") ?? "INPUT";
        var sinkTopic = sinkWith.GetValueOrDefault("kafka_topic") ?? "OUTPUT";
        var expected = outputs.EnumerateArray().Where(o => o.GetProperty("topic").GetString() == sinkTopic).Select(o => o.Clone()).ToArray();
        if (expected.Length != inputs.GetArrayLength())
        {
            return null;
        }

        var topics = test.TryGetProperty("topics", out var t) ? t.Clone() : default;
        var inputArray = inputs.EnumerateArray().Select(i => i.Clone()).ToArray();
        var columnsText = source.Groups["cols"].Success ? source.Groups["cols"].Value : null;
        return async () =>
        {
            var f = new RegistryFixture();
            if (topics.ValueKind == JsonValueKind.Array)
            {
                foreach (var topic in topics.EnumerateArray())
                {
                    await RegisterTopicSchemas(f, topic);
                }
            }

            var declared = columnsText is null ? [] : SqlTypeText.ParseColumns(columnsText);
            var sourceWrap = sourceWith.TryGetValue("wrap_single_value", out var sw) ? bool.Parse(sw) : (bool?)null;
            var sinkWrap = sinkWith.TryGetValue("wrap_single_value", out var kw) ? bool.Parse(kw) : (bool?)null; // a sink takes the default, not its source's setting
            var keyColumns = new SerdeSchema(declared.Where(c => c.Key).Select(c => new SerdeColumn(c.Name, c.Type)));
            var valueColumns = new SerdeSchema(declared.Where(c => !c.Key).Select(c => new SerdeColumn(c.Name, c.Type)));
            if (keyColumns.Count == 0 && f.Formats.Get(sourceKey) is SchemaRegistryFormat keyFormat && f.Store.TryGetLatest(sourceTopic + "-key") is not null)
            {
                keyColumns = (await keyFormat.InferAsync(sourceTopic, SerdeTarget.Key)).Columns;
            }

            if (valueColumns.Count == 0 && f.Formats.Get(sourceValue) is SchemaRegistryFormat valueFormat)
            {
                valueColumns = (await valueFormat.InferAsync(sourceTopic, SerdeTarget.Value, sourceWrap)).Columns;
            }

            var key = new Part(f, keyColumns, SerdeTarget.Key, sourceKey, sinkKey, sourceTopic, sinkTopic, null, null, Props(sourceWith, "key"), Props(sinkWith, "key"));
            var value = new Part(f, valueColumns, SerdeTarget.Value, sourceValue, sinkValue, sourceTopic, sinkTopic, sourceWrap, sinkWrap, Props(sourceWith, "value"), Props(sinkWith, "value"));
            await key.PrepareAsync();
            await value.PrepareAsync();
            for (var i = 0; i < inputArray.Length; i++)
            {
                key.Check(inputArray[i], expected[i], i);
                value.Check(inputArray[i], expected[i], i);
            }
        };
    }

    private static Dictionary<string, string> Props(Dictionary<string, string> with, string part) =>
        with.TryGetValue(part + "_protobuf_nullable_representation", out var r)
            ? new Dictionary<string, string> { [ProtobufProperties.NullableRepresentation] = r }
            : [];

    private static async Task RegisterTopicSchemas(RegistryFixture f, JsonElement topic)
    {
        var name = topic.GetProperty("name").GetString()!;
        foreach (var part in new[] { "key", "value" })
        {
            if (!topic.TryGetProperty(part + "Schema", out var schema))
            {
                continue;
            }

            var format = topic.TryGetProperty(part + "Format", out var fmt) ? fmt.GetString()! : topic.TryGetProperty("format", out var both) ? both.GetString()! : "AVRO";
            var type = format.ToUpperInvariant() switch
            {
                "PROTOBUF" => SchemaType.Protobuf,
                "JSON" or "JSON_SR" => SchemaType.Json,
                _ => SchemaType.Avro,
            };
            var text = schema.ValueKind == JsonValueKind.String && type == SchemaType.Protobuf ? schema.GetString()! : schema.GetRawText();
            int? id = topic.TryGetProperty(part + "SchemaId", out var idElement) ? idElement.GetInt32() : null;
            await f.Store.RegisterAsync(name + "-" + part, new SchemaDefinition(type, text), id);
        }
    }

    /// <summary>One side (key or value) of a case: source serde, sink serde, and the expected JSON.</summary>
    private sealed class Part(
        RegistryFixture f, SerdeSchema columns, SerdeTarget target, string sourceFormat, string sinkFormat, string sourceTopic, string sinkTopic,
        bool? sourceWrap, bool? sinkWrap, Dictionary<string, string> sourceProps, Dictionary<string, string> sinkProps)
    {
        private RowDeserializer? _in;
        private RowSerializer? _out;
        private SerdeOptions? _sourceOptions;
        private string Name => target == SerdeTarget.Key ? "key" : "value";

        public async Task PrepareAsync()
        {
            if (columns.Count == 0)
            {
                return;
            }

            _sourceOptions = f.Options(sourceFormat, columns, target, sourceWrap, sourceTopic, sourceProps);
            var sinkOptions = f.Options(sinkFormat, columns, target, sinkWrap, sinkTopic, sinkProps);
            if (f.Formats.Get(sourceFormat) is SchemaRegistryFormat src && f.Store.TryGetLatest(SchemaRegistryClient.Subject(sourceTopic, target == SerdeTarget.Key)) is null)
            {
                await src.RegisterAsync(sourceTopic, columns, _sourceOptions);
            }

            if (f.Formats.Get(sinkFormat) is SchemaRegistryFormat dst)
            {
                var subject = SchemaRegistryClient.Subject(sinkTopic, target == SerdeTarget.Key);
                await f.Store.SetCompatibilityAsync(subject, CompatibilityLevel.None); // the case may pre-register a reader schema for the sink
                await dst.RegisterAsync(sinkTopic, columns, sinkOptions);
            }

            _in = f.Formats.Get(sourceFormat).CreateDeserializer(columns, _sourceOptions);
            _out = f.Formats.Get(sinkFormat).CreateSerializer(columns, sinkOptions);
        }

        public void Check(JsonElement input, JsonElement expected, int index)
        {
            if (_in is null)
            {
                return;
            }

            var inputJson = input.TryGetProperty(Name, out var e) && e.ValueKind != JsonValueKind.Null ? e.GetRawText() : null;
            var bytes = inputJson is null ? null : Encode(inputJson);
            var row = bytes is null ? null : _in.Deserialize(bytes);
            var outBytes = row is null ? null : _out!.Serialize(row);
            var expectedJson = expected.TryGetProperty(Name, out var x) && x.ValueKind != JsonValueKind.Null ? x : default;
            if (outBytes is null || expectedJson.ValueKind == JsonValueKind.Undefined)
            {
                if ((outBytes is null) != (expectedJson.ValueKind == JsonValueKind.Undefined))
                {
                    throw new InvalidOperationException($"record {index} {Name}: expected {(expectedJson.ValueKind == JsonValueKind.Undefined ? "null" : expectedJson.GetRawText())}, got {(outBytes is null ? "null" : Decode(outBytes))}");
                }

                return;
            }

            var actual = Decode(outBytes);
            using var doc = JsonDocument.Parse(actual);
            if (!JsonEquals(expectedJson, doc.RootElement))
            {
                throw new InvalidOperationException($"record {index} {Name}: expected {expectedJson.GetRawText()}, got {actual}");
            }
        }

        private byte[]? Encode(string json)
        {
            var format = f.Formats.Get(sourceFormat);
            var subject = SchemaRegistryClient.Subject(sourceTopic, target == SerdeTarget.Key);
            if (format is SchemaRegistryFormat sr && f.Store.TryGetLatest(subject) is { } latest)
            {
                return RegisteredSchemaJson.Encode(sr, latest.Id, sourceTopic, target, json);
            }

            if (format.Name is "JSON")
            {
                return Encoding.UTF8.GetBytes(json);
            }

            var reader = new JsonRowDeserializer(columns, _sourceOptions! with { Properties = new Dictionary<string, string>() });
            var row = reader.Deserialize(Encoding.UTF8.GetBytes(json));
            return row is null ? null : format.CreateSerializer(columns, _sourceOptions!).Serialize(row);
        }

        private string Decode(byte[] bytes)
        {
            var format = f.Formats.Get(sinkFormat);
            if (format is SchemaRegistryFormat sr)
            {
                return RegisteredSchemaJson.Decode(sr, sinkTopic, target, bytes) ?? "null";
            }

            if (format.Name == "JSON")
            {
                return Encoding.UTF8.GetString(bytes);
            }

            var options = f.Options(sinkFormat, columns, target, sinkWrap, sinkTopic, sinkProps);
            var row = format.CreateDeserializer(columns, options).Deserialize(bytes);
            var text = new JsonRowSerializer(columns, options with { Properties = new Dictionary<string, string>() }).Serialize(row);
            return text is null ? "null" : Encoding.UTF8.GetString(text);
        }
    }

    /// <summary>ksqlDB's harness compares field names ignoring case and numbers by value.</summary>
    private static bool JsonEquals(JsonElement a, JsonElement b)
    {
        if (a.ValueKind == JsonValueKind.Number && b.ValueKind == JsonValueKind.Number)
        {
            return a.TryGetDecimal(out var x) && b.TryGetDecimal(out var y) ? x == y : a.GetDouble() == b.GetDouble();
        }

        if (a.ValueKind != b.ValueKind)
        {
            return false;
        }

        switch (a.ValueKind)
        {
            case JsonValueKind.Object:
                {
                    var left = a.EnumerateObject().ToDictionary(p => p.Name, p => p.Value, StringComparer.OrdinalIgnoreCase);
                    var right = b.EnumerateObject().ToDictionary(p => p.Name, p => p.Value, StringComparer.OrdinalIgnoreCase);
                    return left.Count == right.Count && left.All(kv => right.TryGetValue(kv.Key, out var v) && JsonEquals(kv.Value, v));
                }

            case JsonValueKind.Array:
                return a.GetArrayLength() == b.GetArrayLength() && a.EnumerateArray().Zip(b.EnumerateArray()).All(p => JsonEquals(p.First, p.Second));
            case JsonValueKind.String:
                return a.GetString() == b.GetString();
            default:
                return true;
        }
    }

    private static string SharedDir()
    {
        var env = Environment.GetEnvironmentVariable("RHEI_SHARED_DIR");
        if (!string.IsNullOrEmpty(env))
        {
            return env;
        }

        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Rhei.slnx")))
        {
            dir = dir.Parent;
        }

        return Path.Combine(dir?.FullName ?? ".", "..", "shared");
    }

    private static Dictionary<string, string> ParseWith(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (Match m in WithEntry().Matches(text))
        {
            result[m.Groups["k"].Value.ToLowerInvariant()] = m.Groups["q"].Success ? m.Groups["q"].Value.Replace("''", "'") : m.Groups["v"].Value;
        }

        return result;
    }

    [GeneratedRegex(@"^\s*CREATE\s+(STREAM|TABLE)\s+INPUT\s*(\((?<cols>.*)\)\s*)?WITH\s*\((?<with>[^)]*)\)\s*;?\s*$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex SourceStatement();

    [GeneratedRegex(@"^\s*CREATE\s+(STREAM|TABLE)\s+OUTPUT\s*(WITH\s*\((?<with>[^)]*)\)\s*)?AS\s+SELECT\s+\*\s+FROM\s+INPUT\s*(EMIT\s+CHANGES\s*)?;?\s*$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex SinkStatement();

    [GeneratedRegex(@"(?<k>\w+)\s*=\s*(?:'(?<q>(?:[^']|'')*)'|(?<v>[^,\s]+))")]
    private static partial Regex WithEntry();
}
