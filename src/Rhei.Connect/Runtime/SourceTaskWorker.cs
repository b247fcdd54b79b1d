using Rhei.Client;
using Rhei.Connect.Config;
using Rhei.Connect.Converters;
using Rhei.Connect.Data;
using Rhei.Connect.Plugins;
using Rhei.Connect.Transforms;

namespace Rhei.Connect.Runtime;

/// <summary>
/// Runs a source task: poll, transform, convert, produce, wait for the acknowledgements, then write the offsets of
/// the records written (so a restart never skips a record; it may repeat the last batch when it failed between
/// the two writes).
/// </summary>
internal sealed class SourceTaskWorker : TaskWorker
{
    private readonly HashSet<string> _ensuredTopics = new(StringComparer.Ordinal);

    public SourceTaskWorker(ConnectorWorker owner, int id, IReadOnlyDictionary<string, string> config)
        : base(owner, id, config)
    {
    }

    protected override async Task RunOnceAsync(RetryPolicy retry, CancellationToken cancellationToken)
    {
        var services = Owner.Services;
        var keyConverter = ConverterFactory.Create(Config, isKey: true, services.Formats);
        var valueConverter = ConverterFactory.Create(Config, isKey: false, services.Formats);
        var transforms = TransformChain.Create(Config, []);
        var tolerateAll = string.Equals(Owner.Config.GetString(CommonConfig.ErrorsTolerance), "all", StringComparison.OrdinalIgnoreCase);

        await services.Offsets.EnsureLoadedAsync(cancellationToken);
        var task = (SourceTask)Owner.Connector.CreateTask();
        var context = new SourceTaskContext(Owner.Name, Id, services.LoggerFactory, services.Time, p => services.Offsets.Get(Owner.Name, p));
        await using var producer = services.Clients.CreateProducer(new ProducerOptions { ClientId = $"connector-producer-{Owner.Name}-{Id}", LingerMs = 1 });
        try
        {
            await task.StartAsync(Config, context, cancellationToken);
            MarkRunning(retry);
            while (!cancellationToken.IsCancellationRequested)
            {
                await Owner.Gate.WaitAsync(cancellationToken);
                var records = await task.PollAsync(cancellationToken);
                MarkRunning(retry);
                if (records.Count == 0)
                {
                    continue;
                }

                var lastOffsets = new Dictionary<string, (IReadOnlyDictionary<string, object?>, IReadOnlyDictionary<string, object?>)>(StringComparer.Ordinal);
                var written = 0;
                foreach (var record in records)
                {
                    if (record.SourceOffset.Count > 0)
                    {
                        lastOffsets[System.Text.Encoding.UTF8.GetString(OffsetJson.Map(record.SourcePartition))] = (record.SourcePartition, record.SourceOffset);
                    }

                    ProduceRecord produce;
                    try
                    {
                        if (transforms.Apply(record) is not { } transformed)
                        {
                            continue;
                        }

                        await keyConverter.PrepareWriteAsync(transformed.Topic, transformed.KeySchema, cancellationToken);
                        await valueConverter.PrepareWriteAsync(transformed.Topic, transformed.ValueSchema, cancellationToken);
                        var key = keyConverter.FromConnectData(transformed.Topic, transformed.KeySchema, transformed.Key);
                        var value = valueConverter.FromConnectData(transformed.Topic, transformed.ValueSchema, transformed.Value);
                        produce = new ProduceRecord(transformed.Topic, key, value, transformed.KafkaPartition ?? -1, transformed.Timestamp,
                            transformed.Headers.Count == 0 ? null : [.. transformed.Headers.Select(h => new RecordHeader(h.Key, h.Value))]);
                    }
                    catch (ConnectDataException e) when (tolerateAll)
                    {
                        ConnectLog.RecordSkipped(Logger, Owner.Name, record.Topic, e.Message);
                        continue;
                    }

                    await EnsureTopicAsync(produce.Topic, cancellationToken);
                    producer.Produce(produce);
                    written++;
                }

                await producer.FlushAsync(cancellationToken);
                if (lastOffsets.Count > 0)
                {
                    await services.Offsets.WriteAsync(Owner.Name, lastOffsets.Values, cancellationToken);
                }

                CountRecords(written);
                await task.CommitAsync(cancellationToken);
            }
        }
        finally
        {
            await task.StopAsync();
        }
    }

    /// <summary>A null array is a null key or value (not an empty one).</summary>
    private async ValueTask EnsureTopicAsync(string topic, CancellationToken cancellationToken)
    {
        if (_ensuredTopics.Contains(topic))
        {
            return;
        }

        var services = Owner.Services;
        await using (var admin = services.Clients.CreateAdmin())
        {
            var existing = await admin.ListTopicsAsync(includeInternal: true, cancellationToken);
            if (!existing.Contains(topic))
            {
                var partitions = Owner.Config.GetInt(CommonConfig.TopicCreationPartitions);
                var replication = (short)Owner.Config.GetInt(CommonConfig.TopicCreationReplicationFactor);
                try
                {
                    await admin.CreateTopicsAsync([new TopicSpec(topic, partitions > 0 ? partitions : services.Options.DefaultTopicPartitions, replication)], cancellationToken);
                }
                catch (AdminException e) when (e.ErrorName == "TOPIC_ALREADY_EXISTS")
                {
                }
            }
        }

        _ensuredTopics.Add(topic);
        Owner.AddTopic(topic);
    }
}
