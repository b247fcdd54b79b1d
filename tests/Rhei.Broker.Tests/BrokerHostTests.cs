using System.Diagnostics.Metrics;
using Confluent.Kafka;
using Rhei.Broker.Tests.Support;
using Rhei.Cli;
using Rhei.Configuration;

using Rhei.Protocol.Messages;
using Rhei.Storage;

namespace Rhei.Broker.Tests;

/// <summary>The broker as a component: ports, advertised addresses, shutdown, metrics, and the host's mapping of the settings table.</summary>
public sealed class BrokerHostTests
{
    [Fact]
    public async Task Port_zero_binds_a_free_port_and_reports_it()
    {
        using var data = new TempDirectory();
        await using var storage = await LogManager.OpenAsync(new StorageOptions { LogDirs = [data.Path] });
        await using var broker = await KafkaBroker.StartAsync(storage, new BrokerOptions { Listeners = [new BrokerListener("PLAINTEXT", "127.0.0.1", 0)] });
        var port = Assert.Single(broker.BoundListeners).Port;
        Assert.NotEqual(0, port);
        Assert.Equal($"127.0.0.1:{port}", broker.BootstrapServers);
        using var connection = await RawConnection.ConnectAsync(port);
        var metadata = await connection.RequestAsync<MetadataResponse>(new MetadataRequest(), 1);
        Assert.Equal(port, metadata.Brokers[0].Port);
    }

    [Fact]
    public async Task Advertised_listeners_are_what_metadata_and_find_coordinator_name()
    {
        await using var broker = await TestBroker.StartAsync(o => o with { AdvertisedListeners = [new BrokerListener("PLAINTEXT", "kafka.example.net", 19092)] });
        using var connection = await RawConnection.ConnectAsync(broker.Port);
        var metadata = await connection.RequestAsync<MetadataResponse>(new MetadataRequest(), 12);
        Assert.Equal(("kafka.example.net", 19092), (metadata.Brokers[0].Host, metadata.Brokers[0].Port));
        var coordinator = await connection.RequestAsync<FindCoordinatorResponse>(new FindCoordinatorRequest { Key = "g" }, 3);
        Assert.Equal(("kafka.example.net", 19092), (coordinator.Host, coordinator.Port));
    }

    [Fact]
    public async Task Shutdown_answers_waiting_fetches_and_joins_then_closes_connections()
    {
        var broker = await TestBroker.StartAsync(o => o with { GroupInitialRebalanceDelayMs = 600_000 });
        try
        {
            await broker.Storage.CreateTopicAsync("idle", 1);
            using var fetcher = await RawConnection.ConnectAsync(broker.Port);
            using var joiner = await RawConnection.ConnectAsync(broker.Port);
            var fetch = new FetchRequest { MaxWaitMs = 600_000, MinBytes = 1, MaxBytes = 1 << 20 };
            fetch.Topics.Add(new FetchRequest.FetchTopic { Topic = "idle", Partitions = [new FetchRequest.FetchPartition { Partition = 0, PartitionMaxBytes = 1 << 20 }] });
            await fetcher.SendAsync(fetcher.Frame(fetch, 12));
            await joiner.SendAsync(joiner.Frame(new JoinGroupRequest
            {
                GroupId = "waiting",
                SessionTimeoutMs = 10_000,
                RebalanceTimeoutMs = 600_000,
                ProtocolType = "consumer",
                Protocols = [new JoinGroupRequest.JoinGroupRequestProtocol { Name = "range", Metadata = [1] }],
            }, 5));
            await Task.Delay(300);

            await broker.Broker.StopAsync();

            var fetched = RawConnection.Parse<FetchResponse>(await fetcher.ReadFrameAsync() ?? throw new InvalidOperationException("no fetch answer"), Protocol.ApiKey.Fetch, 12);
            Assert.Equal(0, fetched.Responses[0].Partitions[0].Records!.Value.Length);
            var joined = RawConnection.Parse<JoinGroupResponse>(await joiner.ReadFrameAsync() ?? throw new InvalidOperationException("no join answer"), Protocol.ApiKey.JoinGroup, 5);
            Assert.Equal((short)Protocol.ErrorCode.NotCoordinator, joined.ErrorCode);
            Assert.True(await fetcher.WaitForCloseAsync(Clients.Guard));
            Assert.Equal(0, broker.Broker.ConnectionCount);
        }
        finally
        {
            await broker.DisposeAsync();
        }
    }

    [Fact]
    public async Task Metrics_count_records_and_bytes_per_topic()
    {
        var measurements = new List<(string Instrument, long Value, string? Topic)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Rhei.Broker")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            string? topic = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "topic")
                {
                    topic = tag.Value as string;
                }
            }

            lock (measurements)
            {
                measurements.Add((instrument.Name, value, topic));
            }
        });
        listener.Start();

        await using var broker = await TestBroker.StartAsync();
        var clients = new Clients(broker.BootstrapServers);
        using (var producer = clients.Producer<Null, string>())
        {
            for (var i = 0; i < 10; i++)
            {
                await producer.ProduceAsync("metered", new Message<Null, string> { Value = $"m{i}" });
            }
        }

        using var consumer = clients.Consumer<Null, string>();
        consumer.Assign([new TopicPartitionOffset("metered", 0, Offset.Beginning)]);
        clients.ConsumeAssigned(consumer, 10);
        lock (measurements)
        {
            Assert.Equal(10, measurements.Where(m => m.Instrument == "rhei.broker.produce.records" && m.Topic == "metered").Sum(m => m.Value));
            Assert.True(measurements.Where(m => m.Instrument == "rhei.broker.fetch.records" && m.Topic == "metered").Sum(m => m.Value) >= 10);
            Assert.Contains(measurements, m => m.Instrument == "rhei.broker.produce.bytes" && m.Value > 0);
        }
    }

    [Fact]
    public void The_host_maps_the_settings_table_onto_storage_and_broker_options()
    {
        var config = RheiConfig.Load(null,
        [
            "log.dirs=/tmp/a,/tmp/b", "listeners=PLAINTEXT://0.0.0.0:9093,HTTP://127.0.0.1:8089", "advertised.listeners=PLAINTEXT://broker.local:9093",
            "num.partitions=6", "log.retention.hours=24", "log.flush.interval.messages=1", "message.max.bytes=2000000", "node.id=4",
            "auto.create.topics.enable=false", "group.initial.rebalance.delay.ms=0", "log.cleanup.policy=compact",
        ], new Dictionary<string, string>());
        var storage = ServerHost.CreateStorageOptions(config);
        Assert.Equal(["/tmp/a", "/tmp/b"], storage.LogDirs);
        Assert.Equal(6, storage.NumPartitions);
        Assert.Equal(24 * 3_600_000L, storage.LogRetentionMs);
        Assert.Equal(1, storage.LogFlushIntervalMessages);
        Assert.Equal(2_000_000, storage.MessageMaxBytes);
        Assert.Equal("compact", storage.LogCleanupPolicy);
        Assert.Equal(1, storage.OffsetsTopicNumPartitions);

        var broker = ServerHost.CreateBrokerOptions(config);
        Assert.Equal(4, broker.NodeId);
        Assert.Equal([new BrokerListener("PLAINTEXT", "0.0.0.0", 9093)], broker.Listeners);
        Assert.Equal([new BrokerListener("PLAINTEXT", "broker.local", 9093)], broker.AdvertisedListeners);
        Assert.False(broker.AutoCreateTopicsEnable);
        Assert.Equal(6, broker.NumPartitions);
        Assert.Equal(0, broker.GroupInitialRebalanceDelayMs);
        var retention = Assert.Single(broker.BrokerConfigs, c => c.Name == "log.retention.hours");
        Assert.Equal(("24", false), (retention.Value, retention.IsDefault));
        Assert.True(Assert.Single(broker.BrokerConfigs, c => c.Name == "log.segment.bytes").IsDefault);
    }
}
