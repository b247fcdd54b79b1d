using System.Text.RegularExpressions;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Rhei.Broker.Tests.Support;
using Xunit.Abstractions;

namespace Rhei.Broker.Tests;

/// <summary>
/// Which API versions each real client ends up using against this broker (printed for the record), and the
/// facts the compatibility notes depend on: librdkafka and kafka-python negotiate record-batch versions of
/// Produce and Fetch, and kafka-python starts with ApiVersions v0 and Metadata v0.
/// </summary>
public sealed partial class ClientVersionTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Each_client_uses_versions_this_broker_serves()
    {
        ExternalTool.RequireKcat();
        await ExternalTool.RequireKafkaPythonAsync();
        var log = new RecordingLoggerFactory(LogLevel.Trace);
        await using var broker = await TestBroker.StartAsync(loggerFactory: log);
        var clients = new Clients(broker.BootstrapServers);
        await clients.CreateTopicAsync("versions", 1);

        // Confluent.Kafka: producer, consumer in a group, admin.
        using (var producer = clients.Producer<Null, string>(c => c.ClientId = "confluent"))
        {
            await producer.ProduceAsync("versions", new Message<Null, string> { Value = "c" });
        }

        using (var consumer = clients.Consumer<Null, string>("versions-group", c => c.ClientId = "confluent"))
        {
            consumer.Subscribe("versions");
            var deadline = DateTime.UtcNow + Clients.Guard;
            while (consumer.Consume(TimeSpan.FromMilliseconds(100)) is null && DateTime.UtcNow < deadline)
            {
            }

            consumer.Commit();
            consumer.Close();
        }

        using (var idempotent = clients.Producer<Null, string>(c => { c.ClientId = "confluent"; c.EnableIdempotence = true; }))
        {
            await idempotent.ProduceAsync("versions", new Message<Null, string> { Value = "i" });
        }

        using (var admin = new Clients(broker.BootstrapServers).Admin())
        {
            await admin.DescribeConfigsAsync([new Confluent.Kafka.Admin.ConfigResource { Type = Confluent.Kafka.Admin.ResourceType.Topic, Name = "versions" }]);
            await admin.DescribeConsumerGroupsAsync(["versions-group"]);
            await admin.ListConsumerGroupsAsync();
            await admin.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions("versions-group", null)]);
            await admin.CreatePartitionsAsync([new Confluent.Kafka.Admin.PartitionsSpecification { Topic = "versions", IncreaseTo = 2 }]);
            await admin.DeleteRecordsAsync([new TopicPartitionOffset("versions", 1, 0)]);
            await admin.DescribeClusterAsync();
            await admin.DeleteGroupsAsync(["versions-group"]);
            await admin.DeleteTopicsAsync(["versions-unused"]).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        // kcat: produce, consume, group.
        await ExternalTool.RunAsync(ExternalTool.Kcat, ["-b", broker.BootstrapServers, "-P", "-t", "versions", "-X", "client.id=kcat"], "k\n");
        await ExternalTool.RunAsync(ExternalTool.Kcat, ["-b", broker.BootstrapServers, "-C", "-t", "versions", "-e", "-q", "-X", "client.id=kcat"]);
        await ExternalTool.RunAsync(ExternalTool.Kcat, ["-b", broker.BootstrapServers, "-G", "kcat-versions", "-X", "client.id=kcat", "-X", "auto.offset.reset=earliest", "-e", "-q", "versions"]);

        // kafka-python: producer, group consumer.
        var python = await ExternalTool.RunPythonAsync($$"""
            from kafka import KafkaProducer, KafkaConsumer
            p = KafkaProducer(bootstrap_servers='{{broker.BootstrapServers}}', client_id='kafka-python')
            p.send('versions', b'p'); p.flush(); p.close()
            c = KafkaConsumer('versions', bootstrap_servers='{{broker.BootstrapServers}}', group_id='py-versions', client_id='kafka-python',
                              auto_offset_reset='earliest', consumer_timeout_ms=4000)
            print(sum(1 for _ in c)); c.commit(); c.close()
            """);
        Assert.True(python.ExitCode == 0, python.ToString());

        var used = log.Entries.Where(e => e.Event.Id == 2023)
            .Select(e => RequestLine().Match(e.Message))
            .Where(m => m.Success)
            .Select(m => (Client: m.Groups["client"].Value, Api: m.Groups["api"].Value, Version: int.Parse(m.Groups["version"].Value, System.Globalization.CultureInfo.InvariantCulture)))
            .Distinct()
            .ToList();
        foreach (var client in used.GroupBy(u => u.Client).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{client.Key}: {string.Join(", ", client.GroupBy(c => c.Api).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} v{string.Join("/", g.Select(x => x.Version).Order())}"))}");
        }

        foreach (var client in new[] { "confluent", "kcat", "kafka-python" })
        {
            Assert.Contains(used, u => u.Client == client && u.Api == "Produce" && u.Version >= 3);
            Assert.Contains(used, u => u.Client == client && u.Api == "Fetch" && u.Version >= 4);
            Assert.Contains(used, u => u.Client == client && u.Api == "JoinGroup");
        }

        Assert.Contains(used, u => u.Client == "kafka-python" && u.Api == "ApiVersions" && u.Version == 0);
        Assert.Contains(used, u => u.Client == "kafka-python" && u.Api == "Metadata" && u.Version == 0);
    }

    [GeneratedRegex(@": (?<api>\w+) v(?<version>\d+) from client (?<client>[\w\-]+)\.$")]
    private static partial Regex RequestLine();
}
