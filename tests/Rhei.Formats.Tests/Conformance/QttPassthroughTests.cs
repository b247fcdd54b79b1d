using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Rhei.Formats.Delimited;
using Rhei.Formats.Serde;
using Rhei.Formats.Types;
using Xunit.Abstractions;

namespace Rhei.Formats.Tests.Conformance;

/// <summary>
/// Runs the ksqlDB query-validation cases that only move records through (<c>CREATE ... INPUT (...)</c> then
/// <c>CREATE ... OUTPUT AS SELECT * FROM INPUT</c>) with this project's serdes alone: input bytes are deserialized
/// with the source's formats, serialized with the sink's, and compared with ksqlDB's expected output. The cases are
/// read from the shared reference folder at test time (<c>../shared</c> or <c>RHEI_SHARED_DIR</c>).
/// </summary>
public partial class QttPassthroughTests(ITestOutputHelper output)
{
    [Fact]
    public void Passthrough_cases_give_ksqlDB_outputs()
    {
        var dir = Path.Combine(SharedDir(), "conformance", "ksql", "qtt");
        Assert.True(Directory.Exists(dir), $"The reference cases are missing: {dir}");
        var failures = new List<string>();
        var ran = 0;
        foreach (var path in Directory.EnumerateFiles(dir, "*.json").Order(StringComparer.Ordinal))
        {
            var file = Path.GetFileName(path);
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            foreach (var test in doc.RootElement.GetProperty("tests").EnumerateArray())
            {
                string?[] variants = test.TryGetProperty("format", out var formats)
                    ? [.. formats.EnumerateArray().Select(f => f.GetString())]
                    : [null];
                foreach (var format in variants)
                {
                    var name = $"{file}/{test.GetProperty("name").GetString()}{(format is null ? "" : $" [{format}]")}";
                    var passthrough = TryBuild(test, format);
                    if (passthrough is null)
                    {
                        continue;
                    }

                    ran++;
                    try
                    {
                        passthrough.Run();
                    }
                    catch (Exception e)
                    {
                        failures.Add($"{name}: {e.Message}");
                    }
                }
            }
        }

        output.WriteLine($"{ran} passthrough cases ran, {failures.Count} failed");
        foreach (var f in failures)
        {
            output.WriteLine(f);
        }

        Assert.True(ran >= 50, $"Only {ran} cases were recognised.");
        Assert.Empty(failures);
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

    private static Passthrough? TryBuild(JsonElement test, string? format)
    {
        if (test.TryGetProperty("expectedException", out _) || test.TryGetProperty("config", out _)
            || (test.TryGetProperty("enabled", out var enabled) && enabled.ValueKind == JsonValueKind.False)
            || !test.TryGetProperty("statements", out var statements) || statements.GetArrayLength() != 2
            || !test.TryGetProperty("inputs", out var inputs) || !test.TryGetProperty("outputs", out var outputs))
        {
            return null;
        }

        var source = SourceStatement().Match(statements[0].GetString()!.Replace("{FORMAT}", format));
        var sink = SinkStatement().Match(statements[1].GetString()!.Replace("{FORMAT}", format));
        if (!source.Success || !sink.Success)
        {
            return null;
        }

        var config = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (test.TryGetProperty("properties", out var props))
        {
            foreach (var p in props.EnumerateObject())
            {
                config[p.Name] = p.Value.ToString();
            }
        }

        if (config.Keys.Any(k => k is not ("ksql.persistence.wrap.single.values" or "ksql.persistence.default.format.value" or "ksql.persistence.default.format.key")))
        {
            return null;
        }

        try
        {
            var columns = SqlTypeText.ParseColumns(source.Groups["cols"].Value);
            var sourceWith = ParseWith(source.Groups["with"].Value);
            var sinkWith = ParseWith(sink.Groups["with"].Value);
            string[] known = ["kafka_topic", "value_format", "key_format", "format", "wrap_single_value", "value_delimiter", "key_delimiter", "partitions"];
            if (sourceWith.Keys.Concat(sinkWith.Keys).Any(k => !known.Contains(k)) || inputs.EnumerateArray().Any(i => i.TryGetProperty("window", out _)))
            {
                return null;
            }

            var wrapDefault = !config.TryGetValue("ksql.persistence.wrap.single.values", out var w) || bool.Parse(w);
            var sourceFormats = Formats.From(sourceWith, null, config);
            var sinkFormats = Formats.From(sinkWith, sourceFormats, config);
            if (!SerdeHelper.Registry.TryGet(sourceFormats.Key, out _) || !SerdeHelper.Registry.TryGet(sourceFormats.Value, out _)
                || !SerdeHelper.Registry.TryGet(sinkFormats.Key, out _) || !SerdeHelper.Registry.TryGet(sinkFormats.Value, out _))
            {
                return null;
            }

            var keySchema = new SerdeSchema(columns.Where(c => c.Key).Select(c => new SerdeColumn(c.Name, c.Type)));
            var valueSchema = new SerdeSchema(columns.Where(c => !c.Key).Select(c => new SerdeColumn(c.Name, c.Type)));
            var sinkTopic = sinkWith.GetValueOrDefault("kafka_topic") ?? "OUTPUT";
            if (outputs.EnumerateArray().Count(o => o.GetProperty("topic").GetString() == sinkTopic) != inputs.GetArrayLength())
            {
                return null; // records are dropped (e.g. null table keys): more than serdes at work
            }

            return new Passthrough(
                keySchema, valueSchema, sourceFormats, sinkFormats,
                sourceWith.TryGetValue("wrap_single_value", out var sw) ? bool.Parse(sw) : null,
                sinkWith.TryGetValue("wrap_single_value", out var kw) ? bool.Parse(kw) : null,
                wrapDefault,
                [.. inputs.EnumerateArray().Select(i => i.Clone())],
                [.. outputs.EnumerateArray().Where(o => o.GetProperty("topic").GetString() == sinkTopic).Select(o => o.Clone())]);
        }
        catch (FormatException)
        {
            return null;
        }
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

    [GeneratedRegex(@"^\s*CREATE\s+(STREAM|TABLE)\s+INPUT\s*\((?<cols>.*)\)\s*WITH\s*\((?<with>[^)]*)\)\s*;?\s*$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex SourceStatement();

    [GeneratedRegex(@"^\s*CREATE\s+(STREAM|TABLE)\s+OUTPUT\s*(WITH\s*\((?<with>[^)]*)\)\s*)?AS\s+SELECT\s+\*\s+FROM\s+INPUT\s*(EMIT\s+CHANGES\s*)?;?\s*$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex SinkStatement();

    [GeneratedRegex(@"(?<k>\w+)\s*=\s*(?:'(?<q>(?:[^']|'')*)'|(?<v>[^,\s]+))")]
    private static partial Regex WithEntry();

    private sealed record Formats(string Key, string Value, string? KeyDelimiter, string? ValueDelimiter)
    {
        public static Formats From(Dictionary<string, string> with, Formats? inherited, Dictionary<string, string> config)
        {
            var key = with.GetValueOrDefault("key_format") ?? with.GetValueOrDefault("format") ?? inherited?.Key
                ?? config.GetValueOrDefault("ksql.persistence.default.format.key") ?? "KAFKA";
            var value = with.GetValueOrDefault("value_format") ?? with.GetValueOrDefault("format") ?? inherited?.Value
                ?? config.GetValueOrDefault("ksql.persistence.default.format.value") ?? "JSON";
            return new Formats(
                key.ToUpperInvariant(),
                value.ToUpperInvariant(),
                with.GetValueOrDefault("key_delimiter") ?? inherited?.KeyDelimiter,
                with.GetValueOrDefault("value_delimiter") ?? inherited?.ValueDelimiter);
        }
    }

    private sealed class Passthrough(
        SerdeSchema keySchema, SerdeSchema valueSchema, Formats source, Formats sink, bool? sourceWrap, bool? sinkWrap, bool wrapDefault,
        JsonElement[] inputs, JsonElement[] outputs)
    {
        public void Run()
        {
            var keyIn = Create(source.Key, keySchema, SerdeTarget.Key, null, source.KeyDelimiter);
            var valueIn = Create(source.Value, valueSchema, SerdeTarget.Value, sourceWrap, source.ValueDelimiter);
            var keyOut = Create(sink.Key, keySchema, SerdeTarget.Key, null, sink.KeyDelimiter);
            var valueOut = Create(sink.Value, valueSchema, SerdeTarget.Value, sinkWrap, sink.ValueDelimiter);
            for (var i = 0; i < inputs.Length; i++)
            {
                var keyBytes = Encode(source.Key, keySchema, inputs[i], "key");
                var valueBytes = Encode(source.Value, valueSchema, inputs[i], "value");
                var keyRow = keyBytes is null ? null : keyIn.Deserializer.Deserialize(keyBytes);
                var valueRow = valueBytes is null ? null : valueIn.Deserializer.Deserialize(valueBytes);
                var outKey = keyRow is null || keySchema.Count == 0 ? null : keyOut.Serializer.Serialize(keyRow);
                var outValue = valueRow is null ? null : valueOut.Serializer.Serialize(valueRow);
                Compare(sink.Key, keySchema, keyOut.Deserializer, outputs[i], "key", outKey, i);
                Compare(sink.Value, valueSchema, valueOut.Deserializer, outputs[i], "value", outValue, i);
            }
        }

        private (RowSerializer Serializer, RowDeserializer Deserializer) Create(string format, SerdeSchema schema, SerdeTarget target, bool? wrap, string? delimiter)
        {
            var f = SerdeHelper.Registry.Get(format);
            f.ValidateSchema(schema, target);
            var options = new SerdeOptions(target)
            {
                Topic = "t",
                Features = target == SerdeTarget.Key ? f.ResolveKeyFeatures(schema.Count) : f.ResolveValueFeatures(schema.Count, wrap, wrapDefault),
                Properties = delimiter is null
                    ? new Dictionary<string, string>()
                    : new Dictionary<string, string> { [FormatPropertyNames.Delimiter] = Delimiter.Parse("DELIMITER", delimiter).ToString() },
            };
            return (f.CreateSerializer(schema, options), f.CreateDeserializer(schema, options));
        }

        private static byte[]? Encode(string format, SerdeSchema schema, JsonElement record, string part)
        {
            if (!record.TryGetProperty(part, out var e) || e.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            return format switch
            {
                "JSON" => Encoding.UTF8.GetBytes(e.GetRawText()),
                "DELIMITED" => Encoding.UTF8.GetBytes(e.GetString()!),
                "KAFKA" when schema.Count == 1 => KafkaBytes(schema[0].Type, e),
                _ => Encoding.UTF8.GetBytes(e.ToString()),
            };
        }

        private static byte[] KafkaBytes(SqlType type, JsonElement e)
        {
            var serializer = SerdeHelper.Registry.Get("KAFKA").CreateSerializer(SerdeSchema.Of(("V", type)), SerdeOptions.Value());
            object value = type.BaseType switch
            {
                SqlBaseType.Integer => e.GetInt32(),
                SqlBaseType.BigInt => e.GetInt64(),
                SqlBaseType.Double => e.GetDouble(),
                SqlBaseType.Bytes => Convert.FromBase64String(e.GetString()!),
                _ => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText(),
            };
            return serializer.Serialize([value])!;
        }

        private static void Compare(string format, SerdeSchema schema, RowDeserializer reader, JsonElement expectedRecord, string part, byte[]? actual, int index)
        {
            var expected = expectedRecord.TryGetProperty(part, out var e) ? e : default;
            var expectNull = expected.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined;
            if (expectNull || actual is null)
            {
                if (expectNull != (actual is null) && !(format == "NONE" || schema.Count == 0))
                {
                    throw new InvalidOperationException($"record {index} {part}: expected {(expectNull ? "null" : expected.GetRawText())}, got {(actual is null ? "null" : Encoding.UTF8.GetString(actual))}");
                }

                return;
            }

            switch (format)
            {
                case "JSON":
                    {
                        using var doc = JsonDocument.Parse(actual);
                        if (!JsonEquals(expected, doc.RootElement))
                        {
                            throw new InvalidOperationException($"record {index} {part}: expected {expected.GetRawText()}, got {Encoding.UTF8.GetString(actual)}");
                        }

                        break;
                    }

                case "DELIMITED":
                    if (expected.GetString() != Encoding.UTF8.GetString(actual))
                    {
                        throw new InvalidOperationException($"record {index} {part}: expected {expected.GetString()}, got {Encoding.UTF8.GetString(actual)}");
                    }

                    break;
                case "KAFKA":
                    {
                        var got = reader.Deserialize(actual)![0];
                        var want = KafkaBytes(schema[0].Type, expected);
                        if (!want.AsSpan().SequenceEqual(actual))
                        {
                            throw new InvalidOperationException($"record {index} {part}: expected {expected.GetRawText()}, got {SqlValueComparer.Format(got)}");
                        }

                        break;
                    }
            }
        }

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
                        var left = a.EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
                        var right = b.EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
                        return left.Count == right.Count && left.All(kv => right.TryGetValue(kv.Key, out var v) && JsonEquals(kv.Value, v));
                    }

                case JsonValueKind.Array:
                    return a.GetArrayLength() == b.GetArrayLength() && a.EnumerateArray().Zip(b.EnumerateArray()).All(p => JsonEquals(p.First, p.Second));
                case JsonValueKind.String:
                    return a.GetString() == b.GetString();
                default:
                    return a.ValueKind == b.ValueKind;
            }
        }
    }
}
