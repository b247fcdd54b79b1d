using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Rhei.Client;
using Rhei.Client.Embedded;
using Rhei.Engine.Metastore;
using Rhei.Server.Metrics;
using Rhei.Server.Rest;
using Rhei.Server.Rest.Entities;
using Rhei.Sql.Schema;
using Rhei.Storage;

namespace Rhei.Server.Console;

/// <summary>
/// The web console and the metrics endpoint, next to the ksqlDB REST API on the same listeners: the static page at
/// <c>/</c>, its JSON API under <c>/api/console/</c> (overview, topics, consumer groups, records and a live tail), and
/// <c>/metrics</c> in Prometheus' text format. Created once per server; stops with it.
/// </summary>
internal sealed partial class WebConsole : IAsyncDisposable
{
    private const string ApiPrefix = "/api/console/";

    private readonly RestApi _api;
    private readonly StaticAssets _assets = new();
    private readonly MetricsCollector _metrics;
    private readonly ServerMetrics _serverMetrics;
    private readonly ThroughputSampler _sampler = new();
    private readonly IAdmin? _admin;
    private readonly TopicReader? _reader;
    private readonly LogManager? _storage;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly long _startedMs;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;

    private WebConsole(RestApi api)
    {
        _api = api;
        _time = api.Options.TimeProvider;
        _startedMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
        _logger = api.Options.LoggerFactory.CreateLogger("Rhei.Server.Console");
        var clients = api.Engine.Options.ClientFactory;
        _storage = (clients as EmbeddedClientFactory)?.LogManager;
        if (clients is not null)
        {
            _admin = clients.CreateAdmin();
            _reader = new TopicReader(clients, _admin, _time);
        }

        // Storage meters carry their log manager as scope: another server in the same process (tests) stays out.
        _serverMetrics = new ServerMetrics(this);
        _metrics = new MetricsCollector(m => MetricsCollector.IsRheiOrRuntime(m) && (m.Scope is null || ReferenceEquals(m.Scope, _storage) || ReferenceEquals(m.Scope, this)));
        _sampling = SampleAsync(_stop.Token);
    }

    /// <summary>Creates the console for <paramref name="api"/>, routes its paths there, and stops it with the server.</summary>
    public static WebConsole Attach(RestApi api)
    {
        var console = new WebConsole(api);
        api.Fallback = console.TryHandleAsync;
        api.Stopping.Register(() => _ = console.DisposeAsync().AsTask());
        return console;
    }

    /// <summary>The last lag computed per group (for the metrics gauge).</summary>
    internal IReadOnlyList<GroupLag> LastLag { get; private set; } = [];

    /// <summary>Handles the console's paths; false for any other path.</summary>
    public async Task<bool> TryHandleAsync(HttpContext context, string path)
    {
        var method = context.Request.Method;
        if (path == "/metrics")
        {
            if (!HttpMethods.IsGet(method))
            {
                return false;
            }

            await RefreshLagAsync(context.RequestAborted);
            await ConsoleHttp.WriteTextAsync(context, PrometheusWriter.Write(_metrics.Collect()), PrometheusWriter.ContentType);
            return true;
        }

        if (!path.StartsWith(ApiPrefix, StringComparison.Ordinal))
        {
            return await _assets.TryServeAsync(context, path);
        }

        if (!HttpMethods.IsGet(method))
        {
            context.Response.Headers.Allow = "GET";
            await ConsoleHttp.WriteErrorAsync(context, 405, $"{method} is not allowed on {path}; the console API is read-only (GET). Run statements through POST /ksql or /query-stream.");
            return true;
        }

        var route = path[ApiPrefix.Length..];
        switch (route)
        {
            case "overview":
                await OverviewAsync(context);
                return true;
            case "topics":
                await TopicsAsync(context);
                return true;
            case "groups":
                await GroupsAsync(context);
                return true;
        }

        if (route.StartsWith("topics/", StringComparison.Ordinal))
        {
            var rest = route["topics/".Length..];
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            var topic = Uri.UnescapeDataString(slash < 0 ? rest : rest[..slash]);
            var action = slash < 0 ? "" : rest[(slash + 1)..];
            switch (action)
            {
                case "":
                    await TopicAsync(context, topic);
                    return true;
                case "records":
                    await RecordsAsync(context, topic, tail: false);
                    return true;
                case "tail":
                    await RecordsAsync(context, topic, tail: true);
                    return true;
            }
        }

        await ConsoleHttp.WriteErrorAsync(context, 404,
            $"There is no console endpoint {path}. They are GET {ApiPrefix}overview, topics, topics/{{topic}}, topics/{{topic}}/records, topics/{{topic}}/tail and groups.");
        return true;
    }

    private async Task SampleAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), _time);
        var ticks = 0;
        try
        {
            _sampler.Add(_metrics.Collect(), _time.GetUtcNow().ToUnixTimeMilliseconds());
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    if (++ticks % 5 == 0)
                    {
                        await RefreshLagAsync(cancellationToken);
                    }

                    _sampler.Add(_metrics.Collect(), _time.GetUtcNow().ToUnixTimeMilliseconds());
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogSamplingFailed(_logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task<IReadOnlyList<GroupLag>> RefreshLagAsync(CancellationToken cancellationToken)
    {
        if (_admin is null)
        {
            return [];
        }

        try
        {
            var lag = await GroupLag.ComputeAsync(_admin, cancellationToken);
            LastLag = lag;
            return lag;
        }
        catch (Exception e) when (e is AdminException or InvalidOperationException or ObjectDisposedException)
        {
            LogSamplingFailed(_logger, e);
            return LastLag;
        }
    }

    private async Task OverviewAsync(HttpContext context)
    {
        var (bytesIn, bytesOut, recordsIn, lastMs) = _sampler.Series();
        var queries = Queries();
        var sources = Sources();
        var topics = _admin is null ? [] : await _admin.ListTopicsAsync(false, context.RequestAborted);
        var lag = LastLag;
        var connectors = await ConnectorsAsync(context.RequestAborted);
        var partitions = 0;
        long bytes = 0;
        if (_storage is not null)
        {
            foreach (var t in topics)
            {
                foreach (var p in _storage.GetPartitions(t))
                {
                    partitions++;
                    bytes += p.Size;
                }
            }
        }

        await ConsoleHttp.WriteJsonAsync(context, w =>
        {
            w.WriteStartObject();
            w.WriteStartObject("server");
            w.WriteString("version", _api.Options.ServerVersion);
            w.WriteString("serviceId", _api.Options.ServiceId);
            w.WriteString("kafkaClusterId", _api.Options.KafkaClusterId);
            w.WriteBoolean("embeddedBroker", _storage is not null);
            w.WriteNumber("startedMs", _startedMs);
            w.WriteNumber("nowMs", _time.GetUtcNow().ToUnixTimeMilliseconds());
            w.WriteEndObject();

            w.WriteStartObject("throughput");
            w.WriteNumber("intervalMs", 1000);
            w.WriteNumber("lastMs", lastMs);
            WriteArray(w, "bytesIn", bytesIn);
            WriteArray(w, "bytesOut", bytesOut);
            WriteArray(w, "recordsIn", recordsIn);
            w.WriteEndObject();

            w.WriteStartObject("totals");
            w.WriteNumber("topics", topics.Count);
            if (_storage is not null)
            {
                w.WriteNumber("partitions", partitions);
                w.WriteNumber("bytes", bytes);
            }

            w.WriteNumber("streams", sources.Count(s => !s.IsTable));
            w.WriteNumber("tables", sources.Count(s => s.IsTable));
            w.WriteNumber("queries", queries.Count);
            w.WriteNumber("groups", lag.Count);
            w.WriteNumber("lag", lag.Sum(g => g.TotalLag));
            w.WriteEndObject();

            w.WriteStartArray("queries");
            foreach (var q in queries)
            {
                WriteQuery(w, q, sources);
            }

            w.WriteEndArray();
            WriteConnectors(w, connectors);
            w.WriteEndObject();
        });
    }

    private void WriteQuery(Utf8JsonWriter w, PersistentQuery q, IReadOnlyList<DataSource> sources)
    {
        var sink = sources.FirstOrDefault(s => s.Name == q.Sink);
        w.WriteStartObject();
        w.WriteString("id", q.Id);
        w.WriteString("state", q.State.ToString().ToUpperInvariant());
        w.WriteString("sink", q.Sink);
        if (sink is not null)
        {
            w.WriteString("sinkTopic", sink.KafkaTopicName);
        }

        w.WriteStartArray("sources");
        foreach (var s in q.Sources)
        {
            w.WriteStringValue(s);
        }

        w.WriteEndArray();
        w.WriteString("statement", q.StatementText);
        w.WriteNumber("inputRate", Math.Round(_sampler.ApplicationRate(q.ApplicationId), 2));
        w.WriteNumber("outputRate", Math.Round(sink is null ? 0 : _sampler.TopicRates(sink.KafkaTopicName).RecordsIn, 2));
        w.WriteNumber("errors", _sampler.ApplicationErrors(q.ApplicationId));
        if (q.Error is { } error)
        {
            w.WriteString("error", error.Message);
        }

        var group = LastLag.FirstOrDefault(g => g.GroupId == q.ApplicationId);
        if (group is not null)
        {
            w.WriteNumber("lag", group.TotalLag);
        }

        w.WriteEndObject();
    }

    private static void WriteConnectors(Utf8JsonWriter w, (IReadOnlyList<SimpleConnectorInfo>? List, string? Problem) connectors)
    {
        w.WriteStartObject("connectors");
        if (connectors.List is { } list)
        {
            w.WriteBoolean("available", true);
            w.WriteStartArray("items");
            foreach (var c in list)
            {
                w.WriteStartObject();
                w.WriteString("name", c.Name);
                w.WriteString("type", c.Type);
                w.WriteString("className", c.ClassName);
                w.WriteString("state", c.State);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }
        else
        {
            w.WriteBoolean("available", false);
            w.WriteString("message", connectors.Problem);
            w.WriteStartArray("items");
            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    /// <summary>Connectors as <c>SHOW CONNECTORS</c> lists them, or why they cannot be listed.</summary>
    private async Task<(IReadOnlyList<SimpleConnectorInfo>? List, string? Problem)> ConnectorsAsync(CancellationToken cancellationToken)
    {
        try
        {
            var results = await _api.Engine.ExecuteAsync("SHOW CONNECTORS;", cancellationToken: cancellationToken);
            foreach (var result in results)
            {
                if (_api.Entities.Map(result) is ConnectorList list)
                {
                    return (list.Connectors, null);
                }
            }

            return (null, "This server does not run connectors yet (SHOW CONNECTORS has no answer).");
        }
        catch (Exception e) when (e is Sql.Planning.KsqlException or Sql.Parsing.SqlParseException or NotSupportedException or InvalidOperationException)
        {
            return (null, e.Message);
        }
    }

    private async Task TopicsAsync(HttpContext context)
    {
        if (_admin is null)
        {
            await NoClusterAsync(context);
            return;
        }

        var names = await _admin.ListTopicsAsync(context.Request.Query["internal"] == "true", context.RequestAborted);
        var described = names.Count == 0 ? [] : await _admin.DescribeTopicsAsync(names, context.RequestAborted);
        var ends = await EndOffsetsAsync(described, context.RequestAborted);
        var sources = Sources();
        await ConsoleHttp.WriteJsonAsync(context, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("topics");
            foreach (var topic in described.OrderBy(t => t.Name, StringComparer.Ordinal))
            {
                var (records, bytesIn, bytesOut) = _sampler.TopicRates(topic.Name);
                w.WriteStartObject();
                w.WriteString("name", topic.Name);
                w.WriteNumber("partitions", topic.Partitions);
                w.WriteNumber("replicationFactor", topic.ReplicationFactor);
                w.WriteBoolean("internal", topic.IsInternal || topic.Name.StartsWith("_confluent-ksql-", StringComparison.Ordinal) || topic.Name.StartsWith('_'));
                if (_storage is not null)
                {
                    w.WriteNumber("size", _storage.GetPartitions(topic.Name).Sum(p => p.Size));
                }

                w.WriteNumber("records", ends.GetValueOrDefault(topic.Name).Count);
                w.WriteNumber("endOffset", ends.GetValueOrDefault(topic.Name).End);
                w.WriteNumber("recordsPerSecond", Math.Round(records, 2));
                w.WriteNumber("bytesInPerSecond", Math.Round(bytesIn, 1));
                w.WriteNumber("bytesOutPerSecond", Math.Round(bytesOut, 1));
                if (topic.Configs.TryGetValue("cleanup.policy", out var policy))
                {
                    w.WriteString("cleanupPolicy", policy);
                }

                WriteSources(w, sources.Where(s => s.KafkaTopicName == topic.Name));
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private async Task<Dictionary<string, (long End, long Count)>> EndOffsetsAsync(IReadOnlyList<TopicDescription> topics, CancellationToken cancellationToken)
    {
        var tps = topics.SelectMany(t => Enumerable.Range(0, t.Partitions).Select(p => new TopicPartition(t.Name, p))).ToList();
        var result = new Dictionary<string, (long End, long Count)>(StringComparer.Ordinal);
        if (tps.Count == 0)
        {
            return result;
        }

        var latest = await _admin!.ListOffsetsAsync(tps.Select(tp => (tp, OffsetSpec.Latest)), cancellationToken);
        var earliest = (await _admin.ListOffsetsAsync(tps.Select(tp => (tp, OffsetSpec.Earliest)), cancellationToken)).ToDictionary(e => e.TopicPartition, e => e.Offset);
        foreach (var end in latest)
        {
            var (e, c) = result.GetValueOrDefault(end.TopicPartition.Topic);
            result[end.TopicPartition.Topic] = (e + end.Offset, c + Math.Max(0, end.Offset - earliest.GetValueOrDefault(end.TopicPartition)));
        }

        return result;
    }

    private static void WriteSources(Utf8JsonWriter w, IEnumerable<DataSource> sources)
    {
        w.WriteStartArray("sources");
        foreach (var s in sources)
        {
            w.WriteStartObject();
            w.WriteString("name", s.Name);
            w.WriteString("type", s.IsTable ? "TABLE" : "STREAM");
            w.WriteString("keyFormat", s.Topic.KeyFormat.Name);
            w.WriteString("valueFormat", s.Topic.ValueFormat.Name);
            w.WriteBoolean("windowed", s.IsWindowed);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private async Task TopicAsync(HttpContext context, string topic)
    {
        if (_admin is null)
        {
            await NoClusterAsync(context);
            return;
        }

        var description = await DescribeAsync(context, topic);
        if (description is null)
        {
            return;
        }

        var tps = Enumerable.Range(0, description.Partitions).Select(p => new TopicPartition(topic, p)).ToList();
        var earliest = (await _admin.ListOffsetsAsync(tps.Select(tp => (tp, OffsetSpec.Earliest)), context.RequestAborted)).ToDictionary(e => e.TopicPartition.Partition, e => e.Offset);
        var latest = (await _admin.ListOffsetsAsync(tps.Select(tp => (tp, OffsetSpec.Latest)), context.RequestAborted)).ToDictionary(e => e.TopicPartition.Partition, e => e.Offset);
        var sources = Sources().Where(s => s.KafkaTopicName == topic).ToList();
        var lag = LastLag.Where(g => g.Partitions.Any(p => p.Topic == topic)).ToList();
        await ConsoleHttp.WriteJsonAsync(context, w =>
        {
            w.WriteStartObject();
            w.WriteString("name", topic);
            w.WriteNumber("replicationFactor", description.ReplicationFactor);
            w.WriteStartArray("partitions");
            foreach (var tp in tps)
            {
                w.WriteStartObject();
                w.WriteNumber("partition", tp.Partition);
                w.WriteNumber("startOffset", earliest[tp.Partition]);
                w.WriteNumber("endOffset", latest[tp.Partition]);
                if (_storage?.GetPartition(topic, tp.Partition) is { } log)
                {
                    w.WriteNumber("size", log.Size);
                    w.WriteNumber("segments", log.SegmentCount);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartObject("configs");
            foreach (var (k, v) in description.Configs.OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                w.WriteString(k, v);
            }

            w.WriteEndObject();
            WriteSources(w, sources);
            w.WriteStartArray("groups");
            foreach (var g in lag)
            {
                w.WriteStartObject();
                w.WriteString("group", g.GroupId);
                w.WriteNumber("lag", g.Partitions.Where(p => p.Topic == topic).Sum(p => Math.Max(0, p.Lag)));
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private async Task<TopicDescription?> DescribeAsync(HttpContext context, string topic)
    {
        try
        {
            return (await _admin!.DescribeTopicsAsync([topic], context.RequestAborted))[0];
        }
        catch (AdminException e) when (e.ErrorName == "UNKNOWN_TOPIC_OR_PARTITION")
        {
            await ConsoleHttp.WriteErrorAsync(context, 404, $"Topic '{topic}' does not exist. GET {ApiPrefix}topics lists the topics.");
            return null;
        }
    }

    private async Task RecordsAsync(HttpContext context, string topic, bool tail)
    {
        if (_admin is null || _reader is null)
        {
            await NoClusterAsync(context);
            return;
        }

        var query = context.Request.Query;
        if (!ConsoleHttp.TryGetLong(context, "offset", out var offset) || !ConsoleHttp.TryGetLong(context, "timestamp", out var timestamp)
            || !ConsoleHttp.TryGetLong(context, "partition", out var partition) || !ConsoleHttp.TryGetLong(context, "limit", out var limit))
        {
            await ConsoleHttp.WriteErrorAsync(context, 400, "offset, timestamp, partition and limit must be whole numbers (timestamp in milliseconds since the epoch).");
            return;
        }

        var description = await DescribeAsync(context, topic);
        if (description is null)
        {
            return;
        }

        if (partition is { } p && (p < 0 || p >= description.Partitions))
        {
            await ConsoleHttp.WriteErrorAsync(context, 400, $"Topic '{topic}' has partitions 0 to {description.Partitions - 1}; there is no partition {p}.");
            return;
        }

        var mode = query["from"].ToString() switch
        {
            "" when offset is not null => "offset",
            "" when timestamp is not null => "timestamp",
            "" => tail ? "end" : "latest",
            var m => m,
        };
        if (mode is not ("latest" or "beginning" or "end" or "offset" or "timestamp"))
        {
            await ConsoleHttp.WriteErrorAsync(context, 400, $"from={mode} is not a starting point; use latest, beginning, end, offset (with offset=N) or timestamp (with timestamp=ms).");
            return;
        }

        var start = new TopicReader.StartPosition(mode, offset, timestamp, partition is null ? null : (int)partition.Value);
        var source = Sources().FirstOrDefault(s => s.KafkaTopicName == topic);
        var decoder = new RecordDecoder(source, _api.Engine.Formats);
        if (tail)
        {
            await _reader.TailAsync(context, topic, description.Partitions, start, decoder, _stop.Token);
            return;
        }

        var pageSize = (int)Math.Clamp(limit ?? 100, 1, TopicReader.MaxLimit);
        var (records, next, ends) = await _reader.ReadAsync(topic, description.Partitions, start, pageSize, decoder, context.RequestAborted);
        await ConsoleHttp.WriteJsonAsync(context, w =>
        {
            w.WriteStartObject();
            w.WriteString("topic", topic);
            w.WriteString("from", mode);
            if (source is not null)
            {
                w.WriteString("decodedAs", source.Name);
            }

            w.WriteStartArray("records");
            foreach (var r in records)
            {
                w.WriteRawValue(r, skipInputValidation: true);
            }

            w.WriteEndArray();
            w.WriteStartObject("next");
            foreach (var (part, o) in next.OrderBy(n => n.Key))
            {
                w.WriteNumber(part.ToString(System.Globalization.CultureInfo.InvariantCulture), o);
            }

            w.WriteEndObject();
            w.WriteStartObject("end");
            foreach (var (part, o) in ends.OrderBy(n => n.Key))
            {
                w.WriteNumber(part.ToString(System.Globalization.CultureInfo.InvariantCulture), o);
            }

            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    private async Task GroupsAsync(HttpContext context)
    {
        if (_admin is null)
        {
            await NoClusterAsync(context);
            return;
        }

        var groups = await RefreshLagAsync(context.RequestAborted);
        var queries = Queries();
        await ConsoleHttp.WriteJsonAsync(context, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("groups");
            foreach (var g in groups.OrderBy(g => g.GroupId, StringComparer.Ordinal))
            {
                w.WriteStartObject();
                w.WriteString("group", g.GroupId);
                w.WriteNumber("lag", g.TotalLag);
                if (queries.FirstOrDefault(q => q.ApplicationId == g.GroupId) is { } query)
                {
                    w.WriteString("queryId", query.Id);
                }

                w.WriteStartArray("partitions");
                foreach (var p in g.Partitions)
                {
                    w.WriteStartObject();
                    w.WriteString("topic", p.Topic);
                    w.WriteNumber("partition", p.Partition);
                    w.WriteNumber("committed", p.Committed);
                    w.WriteNumber("end", p.End);
                    w.WriteNumber("lag", p.Lag);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static Task NoClusterAsync(HttpContext context) =>
        ConsoleHttp.WriteErrorAsync(context, 503, "This server's engine has no Kafka client (RheiEngineOptions.ClientFactory), so there are no topics or groups to show.");

    /// <summary>The persistent queries, read outside the engine's statement lock (a read racing a statement is retried).</summary>
    internal IReadOnlyList<PersistentQuery> Queries() => Retry(() => _api.Engine.MetaStore.Queries);

    internal IReadOnlyList<DataSource> Sources() => Retry(() => _api.Engine.MetaStore.Sources);

    private static IReadOnlyList<T> Retry<T>(Func<IReadOnlyList<T>> read)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return read();
            }
            catch (Exception e) when (attempt < 3 && e is InvalidOperationException or KeyNotFoundException or ArgumentException or IndexOutOfRangeException)
            {
            }
        }
    }

    private static void WriteArray(Utf8JsonWriter w, string name, double[] values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteNumberValue(Math.Round(v, 1));
        }

        w.WriteEndArray();
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync();
        try
        {
            await _sampling;
        }
        catch (OperationCanceledException)
        {
        }

        _metrics.Dispose();
        _serverMetrics.Dispose();
        if (_admin is not null)
        {
            await _admin.DisposeAsync();
        }
    }

    [LoggerMessage(EventId = 101, Level = LogLevel.Debug, Message = "Sampling the console's metrics failed")]
    private static partial void LogSamplingFailed(ILogger logger, Exception exception);
}
