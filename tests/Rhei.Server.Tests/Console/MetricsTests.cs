using System.Diagnostics.Metrics;
using System.Net;
using Rhei.Client;
using Rhei.Client.Kafka;
using Rhei.Server.Metrics;

namespace Rhei.Server.Tests.Console;

/// <summary>/metrics on a real server, and the collector and Prometheus writer on their own meters.</summary>
public sealed class MetricsTests
{
    [Fact]
    public async Task Metrics_endpoint_exposes_storage_broker_lag_and_engine_metrics()
    {
        await using var server = await ConsoleServer.StartAsync();
        await server.CreateTopicAsync("metered", 1);
        await server.ProduceAsync("metered", Enumerable.Range(0, 5).Select(i => ((string?)null, (string?)$"v{i}")));

        // A real Kafka client through the broker: Produce and Fetch requests, their latency histogram.
        var kafka = new KafkaClientFactory(server.BootstrapServers);
        await using (var producer = kafka.CreateProducer(new ProducerOptions { ClientId = "metrics-test" }))
        {
            await producer.ProduceAsync(new ProduceRecord("metered", null, "over-kafka"u8.ToArray()));
        }

        (await server.Http.GetAsync("/api/console/groups")).Dispose();
        await using (var consumer = server.Clients.CreateConsumer(new ConsumerOptions { GroupId = "metrics-group" }))
        {
            consumer.Assign([new TopicPartitionOffset("metered", 0, 0)]);
            await consumer.CommitAsync([new TopicPartitionOffset("metered", 0, 2)]);
        }

        using var response = await server.Http.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("0.0.4", response.Content.Headers.ContentType.Parameters.Single(p => p.Name == "version").Value);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Contains("# TYPE rhei_storage_appended_records_total counter", text, StringComparison.Ordinal);
        Assert.Equal(6, Sample(text, "rhei_storage_appended_records_total{topic=\"metered\"}"));
        Assert.True(Sample(text, "rhei_storage_appended_bytes_total{topic=\"metered\"}") > 0);
        Assert.Equal(1, Sample(text, "rhei_storage_partitions{topic=\"metered\"}"));
        Assert.True(Sample(text, "rhei_storage_log_size_bytes{topic=\"metered\"}") > 0);
        Assert.Equal(1, Sample(text, "rhei_broker_produce_records_total{topic=\"metered\"}"));
        Assert.Contains("# TYPE rhei_broker_request_duration_seconds histogram", text, StringComparison.Ordinal);
        Assert.Contains("rhei_broker_request_duration_seconds_bucket{api=\"Produce\",le=\"+Inf\"}", text, StringComparison.Ordinal);
        Assert.Equal(4, Sample(text, "rhei_consumer_group_lag{consumer_group=\"metrics-group\",partition=\"0\",topic=\"metered\"}"));
        Assert.Equal(0, Sample(text, "rhei_engine_queries{state=\"RUNNING\"}"));

        // The REST side: this very scrape is not finished, but the statements and console reads before it are.
        Assert.Contains("# TYPE rhei_rest_request_duration_seconds histogram", text, StringComparison.Ordinal);
        Assert.Contains("rhei_rest_request_duration_seconds_bucket{endpoint=\"/api/console/groups\",method=\"GET\",status=\"200\",le=\"+Inf\"}", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_endpoint_exposes_query_throughput_errors_and_state_store_sizes()
    {
        await using var server = await ConsoleServer.StartAsync();
        await server.KsqlAsync("CREATE STREAM pays (id INT KEY, who STRING, amount INT) WITH (kafka_topic='pays', value_format='JSON', partitions=1);");
        await server.KsqlAsync("CREATE TABLE totals AS SELECT who, SUM(amount) AS total FROM pays GROUP BY who;");
        var good = Enumerable.Range(0, 6).Select(i => ((string?)null, (string?)$"{{\"WHO\":\"w{i % 3}\",\"AMOUNT\":{i}}}"));
        await server.ProduceAsync("pays", [.. good, (null, "this is not json")]);

        var app = (await server.GetJsonAsync("/api/console/overview")).GetProperty("queries")[0].GetProperty("id").GetString();
        var text = await ConsoleServer.EventuallyAsync(() => server.Http.GetStringAsync("/metrics"),
            t => TrySample(t, "rhei_streams_records_processed_total", app!) >= 7 && TrySample(t, "rhei_streams_state_entries", app!) >= 3
                && TrySample(t, "rhei_streams_processing_errors_total", app!) >= 1,
            "the query's processed records, state entries and the bad record's error in /metrics");
        Assert.Contains("# TYPE rhei_streams_records_processed_total counter", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE rhei_streams_state_entries gauge", text, StringComparison.Ordinal);
        Assert.Equal(1, TrySample(text, "rhei_streams_processing_errors_total", app!));
        Assert.True(TrySample(text, "rhei_streams_state_entries", app!) >= 3, "three groups in the aggregate's store");
    }

    /// <summary>The sum of a metric's samples whose labels mention <paramref name="labelText"/>; -1 when there is none.</summary>
    private static double TrySample(string exposition, string metric, string labelText)
    {
        var lines = exposition.Split('\n').Where(l => l.StartsWith(metric + "{", StringComparison.Ordinal) && l.Contains(labelText, StringComparison.Ordinal)).ToList();
        return lines.Count == 0 ? -1 : lines.Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    private static double Sample(string exposition, string series)
    {
        var line = exposition.Split('\n').FirstOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        Assert.True(line is not null, $"No sample {series} in:\n{exposition}");
        return double.Parse(line[(series.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public void Collector_sums_counters_keeps_gauges_and_buckets_histograms()
    {
        using var meter = new Meter("Rhei.Test." + Guid.NewGuid().ToString("N"));
        using var collector = new MetricsCollector(m => m == meter);
        var counter = meter.CreateCounter<long>("test.bytes", "By", "Bytes.");
        var histogram = meter.CreateHistogram<double>("test.duration", "s", "Durations.");
        var level = 3;
        meter.CreateObservableGauge("test.level", () => new Measurement<int>(level, new KeyValuePair<string, object?>("kind", "a")), "{item}");

        counter.Add(5, new KeyValuePair<string, object?>("topic", "t1"));
        counter.Add(7, new KeyValuePair<string, object?>("topic", "t1"));
        counter.Add(1, new KeyValuePair<string, object?>("topic", "t2"));
        histogram.Record(0.0003, new KeyValuePair<string, object?>("api", "Fetch"));
        histogram.Record(0.2, new KeyValuePair<string, object?>("api", "Fetch"));
        histogram.Record(30, new KeyValuePair<string, object?>("api", "Fetch"));

        var metrics = collector.Collect();
        var bytes = metrics.Single(m => m.Name == "test.bytes");
        Assert.Equal(13, bytes.Total);
        Assert.Equal(12, bytes.SumBy("topic")["t1"]);
        Assert.Equal(3, metrics.Single(m => m.Name == "test.level").Total);
        level = 9;
        Assert.Equal(9, collector.Collect().Single(m => m.Name == "test.level").Total);

        var text = PrometheusWriter.Write(collector.Collect());
        Assert.Contains("# HELP test_bytes_total Bytes.\n# TYPE test_bytes_total counter\n", text, StringComparison.Ordinal);
        Assert.Contains("test_bytes_total{topic=\"t1\"} 12\n", text, StringComparison.Ordinal);
        Assert.Contains("test_level{kind=\"a\"} 9\n", text, StringComparison.Ordinal);
        Assert.Contains("test_duration_seconds_bucket{api=\"Fetch\",le=\"0.0001\"} 0\n", text, StringComparison.Ordinal);
        Assert.Contains("test_duration_seconds_bucket{api=\"Fetch\",le=\"0.0005\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("test_duration_seconds_bucket{api=\"Fetch\",le=\"0.25\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("test_duration_seconds_bucket{api=\"Fetch\",le=\"10\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("test_duration_seconds_bucket{api=\"Fetch\",le=\"+Inf\"} 3\n", text, StringComparison.Ordinal);
        Assert.Contains("test_duration_seconds_count{api=\"Fetch\"} 3\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Label_values_are_escaped()
    {
        using var meter = new Meter("Rhei.Test." + Guid.NewGuid().ToString("N"));
        using var collector = new MetricsCollector(m => m == meter);
        meter.CreateCounter<long>("test.odd").Add(1, new KeyValuePair<string, object?>("topic", "a\"b\\c\nd"));
        Assert.Contains("test_odd_total{topic=\"a\\\"b\\\\c\\nd\"} 1\n", PrometheusWriter.Write(collector.Collect()), StringComparison.Ordinal);
    }
}
