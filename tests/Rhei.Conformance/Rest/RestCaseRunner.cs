using System.Net;
using System.Text;
using System.Text.Json;
using Rhei.Client;
using Rhei.Client.Embedded;
using Rhei.Configuration;
using Rhei.Engine;
using Rhei.Formats.SchemaRegistry;
using Rhei.Formats.Serde;
using Rhei.Server;
using Rhei.Sql.Ast;
using Rhei.Sql.Functions;
using Rhei.Sql.Parsing;
using Rhei.Sql.Schema;
using Rhei.Storage;

namespace Rhei.Conformance.Rest;

/// <summary>
/// Runs one REST query-validation case (<c>rqtt/</c>) the way ksqlDB's REST test executor does, over real HTTP: a fresh
/// server (engine on storage in a temporary directory through the embedded clients, and the REST API on a free loopback
/// port); the statements that are not queries go to <c>/ksql</c> one by one, then the inputs are produced, then the
/// queries go to <c>/query</c>. The responses are compared with the case's <c>responses</c> (admin entities by the
/// members the case gives; query headers, rows and final messages), the topics with its <c>outputs</c>, and a failure
/// with its <c>expectedError</c> (status and message).
/// </summary>
internal sealed class RestCaseRunner(QttCase c)
{
    private const string ServiceId = "some.ksql.service.id";

    /// <summary>Partitions of a topic the case does not size (ksqlDB's REST test executor creates such topics with four, as the QTT runner does).</summary>
    private const int DefaultPartitions = 4;

    /// <summary>How long the runner waits for rows: persistent queries process the inputs asynchronously.</summary>
    private static readonly TimeSpan WaitForData = TimeSpan.FromSeconds(5);

    private readonly FormatRegistry _formats = FormatRegistry.CreateDefault();
    private readonly SchemaStore _schemas = new(defaultCompatibility: CompatibilityLevel.None);
    private EmbeddedClientFactory _clients = null!;
    private RheiEngine _engine = null!;
    private HttpClient _http = null!;
    private RestServer _server = null!;

    public async Task<CaseResult> RunAsync()
    {
        if (!c.Enabled)
        {
            return new CaseResult(c, CaseStatus.Disabled, "disabled", c.NeedsSchemaRegistry);
        }

        var directory = Path.Combine(Path.GetTempPath(), "rhei-rqtt-" + Guid.NewGuid().ToString("N")[..12]);
        LogManager? storage = null;
        RheiEngine? engine = null;
        RestServer? server = null;
        try
        {
            await _schemas.StartAsync();
            SchemaRegistryFormats.AddTo(_formats, new EmbeddedSchemaRegistryClient(_schemas));
            storage = await LogManager.OpenAsync(new StorageOptions { LogDirs = [Path.Combine(directory, "data")], NumPartitions = 1 });
            _clients = new EmbeddedClientFactory(storage);
            var functions = FunctionRegistry.CreateBuiltIn();
            Functions.TestFunctions.Register(functions);
            var properties = new Dictionary<string, string>(c.Properties, StringComparer.Ordinal)
            {
                ["ksql.streams.commit.interval.ms"] = "100",
            };
            engine = _engine = new RheiEngine(new RheiEngineOptions
            {
                ServiceId = ServiceId,
                ClientFactory = _clients,
                StateDirectory = Path.Combine(directory, "state"),
                Functions = functions,
                Formats = _formats,
                Properties = properties,
            });
            server = _server = await RestServer.StartAsync(engine, new RestServerOptions
            {
                Listeners = [new ListenerEndpoint("HTTP", ListenerProtocol.Http, "127.0.0.1", 0)],
                KafkaClusterId = "rqtt",
                ServiceId = ServiceId,
            });
            using var http = _http = new HttpClient { BaseAddress = server.Addresses[0], Timeout = TimeSpan.FromSeconds(60) };
            await RunCoreAsync();
            return CaseResult.Pass(c);
        }
        catch (CaseFailure f)
        {
            return CaseResult.Fail(c, f.Message);
        }
        catch (Exception e)
        {
            var frames = Environment.GetEnvironmentVariable("RHEI_CONFORMANCE_TRACE") is null ? "" : "\n" + e.StackTrace;
            return CaseResult.Fail(c, $"runner error: {e.GetType().Name}: {e.Message}{frames}");
        }
        finally
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }

            if (engine is not null)
            {
                await engine.DisposeAsync();
            }

            if (storage is not null)
            {
                await storage.DisposeAsync();
            }

            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
    }

    private async Task RunCoreAsync()
    {
        var statements = c.Statements;
        var kinds = statements.Select(IsQuery).ToList();
        var expectedError = c.Property("expectedError");
        var responses = c.Property("responses") is { ValueKind: JsonValueKind.Array } r ? r.EnumerateArray().ToList() : [];
        await CreateTopicsAsync(statements);

        var actual = new Dictionary<int, JsonElement>();
        for (var i = 0; i < statements.Count; i++)
        {
            if (kinds[i])
            {
                continue;
            }

            var (status, body) = await PostAsync("ksql", statements[i]);
            if (status != HttpStatusCode.OK)
            {
                CheckError(expectedError, statements[i], status, body);
                return;
            }

            actual[i] = body;
        }

        // Push queries start before the inputs are produced (they read from the latest offset, as in ksqlDB's
        // executor); pull queries run once the persistent queries have processed the inputs.
        var pushes = new Dictionary<int, Task<(HttpStatusCode Status, List<JsonElement> Entries)>>();
        for (var i = 0; i < statements.Count; i++)
        {
            if (kinds[i] && IsPush(statements[i]))
            {
                pushes[i] = QueryAsync(statements[i], ExpectedQuery(responses, i));
            }
        }

        if (pushes.Count > 0)
        {
            var started = DateTime.UtcNow + WaitForData;
            while (_server.RunningQueries.Count < pushes.Count && !pushes.Values.Any(t => t.IsCompleted) && DateTime.UtcNow < started)
            {
                await Task.Delay(20);
            }
        }

        await ProduceInputsAsync();
        await WaitForPersistentQueriesAsync(statements.Count(s => !IsQuery(s) && s.Contains(" AS SELECT", StringComparison.OrdinalIgnoreCase)));

        for (var i = 0; i < statements.Count; i++)
        {
            if (!kinds[i])
            {
                continue;
            }

            var (status, entries) = pushes.TryGetValue(i, out var push) ? await push : await QueryAsync(statements[i], ExpectedQuery(responses, i));
            if (status != HttpStatusCode.OK)
            {
                CheckError(expectedError, statements[i], status, entries.Count > 0 ? entries[0] : default);
                return;
            }

            actual[i] = JsonSerializer.SerializeToElement(entries);
        }

        if (expectedError is { } ee)
        {
            throw new CaseFailure($"expected error {(ee.TryGetProperty("status", out var s) ? s.GetRawText() : "")}: {Message(ee)} — every statement succeeded");
        }

        for (var i = 0; i < responses.Count && i < statements.Count; i++)
        {
            var response = responses[i];
            if (response.TryGetProperty("admin", out var admin))
            {
                CompareAdmin(i, admin, actual.GetValueOrDefault(i));
            }
            else if (response.TryGetProperty("query", out var query))
            {
                var rows = actual.TryGetValue(i, out var a) ? a.EnumerateArray().ToList() : [];
                var problem = CompareQuery(query, rows, ordered: IsPush(statements[i]));
                if (problem is not null)
                {
                    throw new CaseFailure($"statement {i + 1} ({OneLine(statements[i])}): {problem}");
                }
            }
            else
            {
                throw new CaseFailure($"response {i + 1}: {string.Join(", ", response.EnumerateObject().Select(p => p.Name))} responses are not supported by this runner");
            }
        }

        await CompareOutputsAsync();
    }

    private static JsonElement? ExpectedQuery(List<JsonElement> responses, int index) =>
        index < responses.Count && responses[index].TryGetProperty("query", out var q) ? q : null;

    private static bool IsQuery(string text)
    {
        try
        {
            return SqlParser.ParseStatement(text) is Query or PrintTopic;
        }
        catch (SqlParseException)
        {
            return text.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase);
        }
    }

    private static bool IsPush(string text) => text.Contains("EMIT CHANGES", StringComparison.OrdinalIgnoreCase);

    private static string Message(JsonElement e) => e.TryGetProperty("message", out var m) ? m.GetString() ?? "" : "";

    private static string OneLine(string s) => s.Replace('\n', ' ').Trim() is var t && t.Length > 80 ? t[..80] + "…" : s.Replace('\n', ' ').Trim();

    private static void CheckError(JsonElement? expected, string statement, HttpStatusCode status, JsonElement body)
    {
        var message = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("message", out var m) ? m.GetString() ?? "" : body.ValueKind == JsonValueKind.Undefined ? "" : body.GetRawText();
        if (expected is not { } e)
        {
            throw new CaseFailure($"statement failed ({(int)status}): {OneLine(statement)}: {message}");
        }

        if (e.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.Number && s.GetInt32() != (int)status)
        {
            throw new CaseFailure($"expected status {s.GetInt32()} — got {(int)status}: {message}");
        }

        var want = Message(e);
        if (!message.Contains(want, StringComparison.Ordinal))
        {
            throw new CaseFailure($"expected message: {want} — got {(int)status}: {message}");
        }
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string path, string ksql)
    {
        var body = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["ksql"] = ksql,
            ["streamsProperties"] = c.Properties,
        });
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync(path, content);
        var text = await response.Content.ReadAsStringAsync();
        JsonElement parsed;
        try
        {
            parsed = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (JsonException)
        {
            parsed = JsonSerializer.SerializeToElement(new { message = text });
        }

        return (response.StatusCode, parsed);
    }

    /// <summary>
    /// Runs a query on <c>/query</c>. A pull query is re-run until its rows match (the persistent queries fill the
    /// tables asynchronously) or the wait ends; a push query is read until it has the rows (and final message) the case
    /// expects, it ends, or the wait ends — then the connection is closed, which closes the query.
    /// </summary>
    private async Task<(HttpStatusCode Status, List<JsonElement> Entries)> QueryAsync(string sql, JsonElement? expected)
    {
        var deadline = DateTime.UtcNow + WaitForData;
        var push = IsPush(sql);
        while (true)
        {
            var (status, entries) = await QueryOnceAsync(sql, expected, push, deadline);
            // Asked again until the rows match or the wait ends: rows may still be missing, and a table's deleted rows
            // may still be there while the persistent queries and the materialization catch up.
            if (status != HttpStatusCode.OK || push || expected is not { } e || CompareQuery(e, entries, ordered: false) is null
                || DateTime.UtcNow >= deadline)
            {
                return (status, entries);
            }

            await Task.Delay(200);
        }
    }

    private async Task<(HttpStatusCode Status, List<JsonElement> Entries)> QueryOnceAsync(string sql, JsonElement? expected, bool push, DateTime deadline)
    {
        var wantRows = expected is { } e ? e.EnumerateArray().Count(x => x.TryGetProperty("row", out _)) : 0;
        var wantFinal = expected is { } f && f.EnumerateArray().Any(x => x.TryGetProperty("finalMessage", out _));
        var body = JsonSerializer.Serialize(new Dictionary<string, object> { ["ksql"] = sql, ["streamsProperties"] = c.Properties });
        using var request = new HttpRequestMessage(HttpMethod.Post, "query") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        using var wait = new CancellationTokenSource(deadline - DateTime.UtcNow + TimeSpan.FromSeconds(push ? 0 : 20));
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, wait.Token);
        var entries = new List<JsonElement>();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            var text = await response.Content.ReadAsStringAsync(wait.Token);
            try
            {
                entries.Add(JsonDocument.Parse(text).RootElement.Clone());
            }
            catch (JsonException)
            {
                entries.Add(JsonSerializer.SerializeToElement(new { message = text }));
            }

            return (response.StatusCode, entries);
        }

        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(wait.Token), Encoding.UTF8);
        var rows = 0;
        var pending = new StringBuilder();
        var chunk = new char[8192];
        try
        {
            // ksqlDB's /query body is a JSON array written one element per line: "[{header},", "{row},", ..., "]". A
            // push query's latest row may not have its line end yet (the separator comes with the next element), so
            // a tail that is a whole element already counts.
            int read;
            while ((read = await reader.ReadAsync(chunk, wait.Token)) > 0)
            {
                pending.Append(chunk, 0, read);
                var text = pending.ToString();
                var end = text.LastIndexOf('\n');
                var complete = end < 0 ? "" : text[..end];
                var tail = end < 0 ? text : text[(end + 1)..];
                var elements = complete.Split('\n').SelectMany(Elements).ToList();
                var tailElements = Elements(tail).ToList();
                if (tailElements.Any(e => e.ValueKind == JsonValueKind.Object && e.TryGetProperty("unparsed", out _)))
                {
                    pending.Clear().Append(tail);
                }
                else
                {
                    elements.AddRange(tailElements);
                    pending.Clear();
                }

                foreach (var element in elements)
                {
                    entries.Add(element);
                    if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty("row", out _))
                    {
                        rows++;
                    }
                }

                if (push && rows >= wantRows && (!wantFinal || entries.Any(x => x.ValueKind == JsonValueKind.Object && x.TryGetProperty("finalMessage", out _))))
                {
                    break;
                }
            }

            entries.AddRange(Elements(pending.ToString()));
        }
        catch (OperationCanceledException) when (wait.IsCancellationRequested)
        {
            // The wait ended: compare what arrived.
        }

        return (HttpStatusCode.OK, entries);
    }

    private static int RowCount(IReadOnlyList<JsonElement> entries) =>
        entries.Count(x => x.ValueKind == JsonValueKind.Object && x.TryGetProperty("row", out _));

    /// <summary>The JSON values on one line of a streamed JSON array (a line may also hold the whole array).</summary>
    private static IEnumerable<JsonElement> Elements(string line)
    {
        var text = line.Trim();
        if (text.Length == 0)
        {
            return [];
        }

        try
        {
            var whole = JsonDocument.Parse(text).RootElement.Clone();
            return whole.ValueKind == JsonValueKind.Array ? whole.EnumerateArray().ToList() : [whole];
        }
        catch (JsonException)
        {
        }

        text = text.TrimStart('[').TrimEnd(']').Trim().TrimEnd(',');
        if (text.Length == 0)
        {
            return [];
        }

        try
        {
            return [JsonDocument.Parse(text).RootElement.Clone()];
        }
        catch (JsonException)
        {
            return [JsonSerializer.SerializeToElement(new { unparsed = line })];
        }
    }

    private static void CompareAdmin(int index, JsonElement expected, JsonElement actual)
    {
        if (actual.ValueKind != JsonValueKind.Array || actual.GetArrayLength() == 0)
        {
            throw new CaseFailure($"statement {index + 1}: expected {expected.GetRawText()} — got {(actual.ValueKind == JsonValueKind.Undefined ? "nothing" : actual.GetRawText())}");
        }

        var entity = actual[actual.GetArrayLength() - 1];
        if (!Subset(expected, entity))
        {
            throw new CaseFailure($"statement {index + 1}: expected {expected.GetRawText()} — got {entity.GetRawText()}");
        }
    }

    /// <summary>True when every member <paramref name="expected"/> gives is in <paramref name="actual"/> with an equal value.</summary>
    private static bool Subset(JsonElement expected, JsonElement actual)
    {
        if (expected.ValueKind != JsonValueKind.Object)
        {
            return JsonComparer.Equal(expected, actual);
        }

        if (actual.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        foreach (var p in expected.EnumerateObject())
        {
            if (!actual.TryGetProperty(p.Name, out var a) || !Subset(p.Value, a))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Null when <paramref name="actual"/> is what the case expects; otherwise what differs.</summary>
    private static string? CompareQuery(JsonElement expected, IReadOnlyList<JsonElement> actual, bool ordered)
    {
        var want = expected.EnumerateArray().ToList();
        string Got() => "[" + string.Join(", ", actual.Select(a => a.GetRawText())) + "]";
        var wantHeader = want.FirstOrDefault(x => x.TryGetProperty("header", out _));
        var gotHeader = actual.FirstOrDefault(x => x.ValueKind == JsonValueKind.Object && x.TryGetProperty("header", out _));
        if (wantHeader.ValueKind == JsonValueKind.Object)
        {
            if (gotHeader.ValueKind != JsonValueKind.Object)
            {
                return $"no header; got {Got()}";
            }

            if (wantHeader.GetProperty("header").TryGetProperty("schema", out var schema)
                && (!gotHeader.GetProperty("header").TryGetProperty("schema", out var gotSchema) || gotSchema.GetString() != schema.GetString()))
            {
                return $"header schema {schema.GetString()} — got {gotHeader.GetProperty("header").GetRawText()}";
            }
        }

        var wantRows = want.Where(x => x.TryGetProperty("row", out _)).Select(x => x.GetProperty("row")).ToList();
        var gotRows = actual.Where(x => x.ValueKind == JsonValueKind.Object && x.TryGetProperty("row", out _)).Select(x => x.GetProperty("row")).ToList();
        if (wantRows.Count != gotRows.Count)
        {
            return $"{wantRows.Count} rows expected: {string.Join(", ", wantRows.Select(x => x.GetRawText()))} — got {Got()}";
        }

        if (ordered)
        {
            for (var i = 0; i < wantRows.Count; i++)
            {
                if (!Subset(wantRows[i], gotRows[i]))
                {
                    return $"row {i + 1}: expected {wantRows[i].GetRawText()} — got {Got()}";
                }
            }
        }
        else
        {
            var left = gotRows.ToList();
            foreach (var row in wantRows)
            {
                var match = left.FindIndex(g => Subset(row, g));
                if (match < 0)
                {
                    return $"row {row.GetRawText()} missing — got {Got()}";
                }

                left.RemoveAt(match);
            }
        }

        var wantFinal = want.FirstOrDefault(x => x.TryGetProperty("finalMessage", out _));
        if (wantFinal.ValueKind == JsonValueKind.Object)
        {
            var gotFinal = actual.FirstOrDefault(x => x.ValueKind == JsonValueKind.Object && x.TryGetProperty("finalMessage", out _));
            if (gotFinal.ValueKind != JsonValueKind.Object || gotFinal.GetProperty("finalMessage").GetString() != wantFinal.GetProperty("finalMessage").GetString())
            {
                return $"final message {wantFinal.GetProperty("finalMessage").GetRawText()} — got {Got()}";
            }
        }

        return null;
    }

    /// <summary>Creates the topics the case's CREATE statements name, its <c>topics</c> and its input topics.</summary>
    private async Task CreateTopicsAsync(IReadOnlyList<string> statements)
    {
        var topics = new Dictionary<string, int>(StringComparer.Ordinal);
        // The case's own topics first: their partition counts win over the default for topics statements name.
        if (c.Property("topics") is { ValueKind: JsonValueKind.Array } declared)
        {
            foreach (var t in declared.EnumerateArray())
            {
                topics.TryAdd(t.GetProperty("name").GetString()!, t.TryGetProperty("partitions", out var p) && p.ValueKind == JsonValueKind.Number ? p.GetInt32() : DefaultPartitions);
                await TestSchemas.RegisterAsync(_schemas, t, statements);
            }
        }

        foreach (var text in statements)
        {
            try
            {
                if (SqlParser.ParseStatement(text) is CreateSource create)
                {
                    var topic = create.Properties.FirstOrDefault(p => p.Name.Equals("KAFKA_TOPIC", StringComparison.OrdinalIgnoreCase))?.Value.Value as string ?? create.Name;
                    var partitions = create.Properties.FirstOrDefault(p => p.Name.Equals("PARTITIONS", StringComparison.OrdinalIgnoreCase))?.Value.Value;
                    topics.TryAdd(topic, partitions is int n ? n : DefaultPartitions);
                }
            }
            catch (SqlParseException)
            {
            }
        }

        if (c.Property("inputs") is { ValueKind: JsonValueKind.Array } inputs)
        {
            foreach (var i in inputs.EnumerateArray())
            {
                topics.TryAdd(i.GetProperty("topic").GetString()!, DefaultPartitions);
            }
        }

        await using var admin = _clients.CreateAdmin();
        foreach (var (name, partitions) in topics)
        {
            try
            {
                await admin.CreateTopicsAsync([new TopicSpec(name, partitions)]);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Already there, or a name the statement itself rejects: the statement reports it.
            }
        }
    }

    private async Task ProduceInputsAsync()
    {
        if (c.Property("inputs") is not { ValueKind: JsonValueKind.Array } inputs || inputs.GetArrayLength() == 0)
        {
            return;
        }

        await using var producer = _clients.CreateProducer(new ProducerOptions());
        foreach (var input in inputs.EnumerateArray())
        {
            var topic = input.GetProperty("topic").GetString()!;
            var (keyCodec, valueCodec) = Codecs(topic, reading: true);
            var key = input.TryGetProperty("key", out var k) ? k : (JsonElement?)null;
            var value = input.TryGetProperty("value", out var v) ? v : (JsonElement?)null;
            long? timestamp = input.TryGetProperty("timestamp", out var ts) && ts.ValueKind == JsonValueKind.Number ? ts.GetInt64() : null;
            byte[]? keyBytes;
            if (input.TryGetProperty("window", out var w) && w.ValueKind == JsonValueKind.Object && keyCodec is not null)
            {
                var type = CaseRunner.ParseWindowType(w.GetProperty("type").GetString()!);
                keyBytes = keyCodec.EncodeWindowed(key, type, w.GetProperty("start").GetInt64(), w.GetProperty("end").GetInt64());
            }
            else
            {
                keyBytes = keyCodec is null ? RawBytes(key) : keyCodec.Encode(key);
            }

            // A null value is a tombstone (no value at all), whatever the format: even an unwrapped single value.
            var valueBytes = value is not { ValueKind: not JsonValueKind.Null } ? null : valueCodec is null ? RawBytes(value) : valueCodec.Encode(value);
            await producer.ProduceAsync(new ProduceRecord(topic, keyBytes, valueBytes, Timestamp: timestamp, Headers: Headers(input)));
        }

        await producer.FlushAsync();
    }

    /// <summary>
    /// Waits (up to the data wait) until <paramref name="queries"/> consumer groups have committed offsets and every
    /// committed offset is at the end of its partition: the persistent queries have processed the inputs, so their
    /// tables answer pull queries completely (ksqlDB's executor waits for warm state stores likewise).
    /// </summary>
    private async Task WaitForPersistentQueriesAsync(int queries)
    {
        if (queries == 0)
        {
            return;
        }

        await using var admin = _clients.CreateAdmin();
        var deadline = DateTime.UtcNow + WaitForData;
        while (DateTime.UtcNow < deadline)
        {
            var groups = await admin.ListConsumerGroupsAsync();
            var caughtUp = groups.Count >= queries;
            foreach (var group in groups)
            {
                if (!caughtUp)
                {
                    break;
                }

                var committed = await admin.ListConsumerGroupOffsetsAsync(group);
                if (committed.Count == 0)
                {
                    caughtUp = false;
                    break;
                }

                var ends = await admin.ListOffsetsAsync(committed.Select(o => (o.TopicPartition, OffsetSpec.Latest)));
                caughtUp = committed.All(o => ends.FirstOrDefault(e => e.TopicPartition == o.TopicPartition).Offset <= o.Offset);
            }

            if (caughtUp)
            {
                return;
            }

            await Task.Delay(50);
        }
    }

    private static List<RecordHeader> Headers(JsonElement record)
    {
        var list = new List<RecordHeader>();
        if (record.TryGetProperty("headers", out var h) && h.ValueKind == JsonValueKind.Array)
        {
            foreach (var e in h.EnumerateArray())
            {
                ReadOnlyMemory<byte>? value = e.TryGetProperty("VALUE", out var v) && v.ValueKind == JsonValueKind.String
                    ? Convert.FromBase64String(v.GetString()!)
                    : null;
                list.Add(new RecordHeader(e.GetProperty("KEY").GetString()!, value));
            }
        }

        return list;
    }

    private static byte[]? RawBytes(JsonElement? e) =>
        e is not { } x || x.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined
            ? null
            : Encoding.UTF8.GetBytes(x.ValueKind == JsonValueKind.String ? x.GetString()! : x.GetRawText());

    private (RecordCodec? Key, RecordCodec? Value) Codecs(string topic, bool reading)
    {
        var sources = _engine.MetaStore.Sources.Where(s => s.KafkaTopicName == topic).ToList();
        var source = reading
            ? sources.FirstOrDefault(s => !s.IsCreateAsSelect) ?? sources.FirstOrDefault()
            : sources.LastOrDefault(s => s.IsCreateAsSelect) ?? sources.LastOrDefault();
        if (source is null)
        {
            return (null, null);
        }

        return (
            new RecordCodec(_formats, source.Topic.KeyFormat.Format, source.Topic.KeyFormat.Features, source.Schema.KeySerdeSchema(), SerdeTarget.Key, topic),
            new RecordCodec(_formats, source.Topic.ValueFormat.Format, source.Topic.ValueFormat.Features, source.Schema.ValueSerdeSchema(), SerdeTarget.Value, topic));
    }

    /// <summary>Each output topic holds the case's records, in order (key, value, and timestamp when given).</summary>
    private async Task CompareOutputsAsync()
    {
        if (c.Property("outputs") is not { ValueKind: JsonValueKind.Array } outputs || outputs.GetArrayLength() == 0)
        {
            return;
        }

        foreach (var group in outputs.EnumerateArray().GroupBy(o => o.GetProperty("topic").GetString()!))
        {
            var expected = group.ToList();
            var records = await ReadTopicAsync(group.Key, expected.Count);
            var (keyCodec, valueCodec) = Codecs(group.Key, reading: false);
            if (records.Count != expected.Count)
            {
                throw new CaseFailure($"topic {group.Key}: {expected.Count} records expected — got {records.Count}");
            }

            for (var i = 0; i < expected.Count; i++)
            {
                var want = expected[i];
                var (key, value, timestamp) = records[i];
                var wantKey = want.TryGetProperty("key", out var k) ? k : (JsonElement?)null;
                var wantValue = want.TryGetProperty("value", out var v) ? v : (JsonElement?)null;
                string gotKey = "", gotValue = "";
                var keyOk = keyCodec is null ? RawBytes(wantKey)?.SequenceEqual(key ?? []) ?? key is null : keyCodec.Matches(wantKey, key, out gotKey);
                var valueOk = valueCodec is null ? RawBytes(wantValue)?.SequenceEqual(value ?? []) ?? value is null : valueCodec.Matches(wantValue, value, out gotValue);
                var timeOk = !want.TryGetProperty("timestamp", out var ts) || ts.ValueKind != JsonValueKind.Number || ts.GetInt64() == timestamp;
                if (!keyOk || !valueOk || !timeOk)
                {
                    throw new CaseFailure($"topic {group.Key} record {i + 1}: expected {want.GetRawText()} — got key {gotKey}, value {gotValue}, timestamp {timestamp}");
                }
            }
        }
    }

    private async Task<List<(byte[]? Key, byte[]? Value, long Timestamp)>> ReadTopicAsync(string topic, int want)
    {
        var records = new List<(byte[]?, byte[]?, long)>();
        await using var admin = _clients.CreateAdmin();
        var description = (await admin.DescribeTopicsAsync([topic])).FirstOrDefault();
        if (description is null)
        {
            return records;
        }

        await using var consumer = _clients.CreateConsumer(new ConsumerOptions());
        consumer.Assign(Enumerable.Range(0, description.Partitions).Select(p => new TopicPartitionOffset(topic, p, Offsets.Beginning)));
        var deadline = DateTime.UtcNow + WaitForData;
        while (records.Count < want && DateTime.UtcNow < deadline)
        {
            foreach (var r in await consumer.PollAsync(TimeSpan.FromMilliseconds(200)))
            {
                records.Add((r.Key?.ToArray(), r.Value?.ToArray(), r.Timestamp));
            }
        }

        return records;
    }
}
