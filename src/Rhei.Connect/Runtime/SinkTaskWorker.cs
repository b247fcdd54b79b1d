using Rhei.Client;
using Rhei.Connect.Config;
using Rhei.Connect.Converters;
using Rhei.Connect.Data;
using Rhei.Connect.Plugins;
using Rhei.Connect.Transforms;

namespace Rhei.Connect.Runtime;

/// <summary>
/// Runs a sink task: a consumer in the group <c>connect-NAME</c> reads <c>topics</c>; each poll is converted,
/// transformed and handed to the task, and its offsets are committed once the task has written it (at-least-once).
/// After a failure the consumer is closed and a new one resumes from the committed offsets.
/// </summary>
internal sealed class SinkTaskWorker : TaskWorker
{
    public SinkTaskWorker(ConnectorWorker owner, int id, IReadOnlyDictionary<string, string> config)
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
        var topics = ConfigDef.SplitList(Config.TryGetValue("topics", out var t) ? t : "");

        var task = (SinkTask)Owner.Connector.CreateTask();
        var context = new SinkTaskContext(Owner.Name, Id, services.LoggerFactory, services.Time);
        await using var consumer = services.Clients.CreateConsumer(new ConsumerOptions
        {
            ClientId = $"connector-consumer-{Owner.Name}-{Id}",
            GroupId = services.Options.SinkGroupIdPrefix + Owner.Name,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        });
        try
        {
            await task.StartAsync(Config, context, cancellationToken);
            consumer.Subscribe(topics);
            foreach (var topic in topics)
            {
                Owner.AddTopic(topic);
            }

            MarkRunning(retry);
            while (!cancellationToken.IsCancellationRequested)
            {
                await Owner.Gate.WaitAsync(cancellationToken);
                var polled = await consumer.PollAsync(services.Options.SinkPollTimeout, cancellationToken);
                if (polled.Count == 0)
                {
                    continue;
                }

                var batch = new List<SinkRecord>(polled.Count);
                var positions = new Dictionary<TopicPartition, long>();
                foreach (var r in polled)
                {
                    positions[r.TopicPartition] = r.Offset + 1;
                    try
                    {
                        if (r.Key is not null)
                        {
                            await keyConverter.PrepareReadAsync(r.Topic, cancellationToken);
                        }

                        if (r.Value is not null)
                        {
                            await valueConverter.PrepareReadAsync(r.Topic, cancellationToken);
                        }

                        var key = keyConverter.ToConnectData(r.Topic, r.Key);
                        var value = valueConverter.ToConnectData(r.Topic, r.Value);
                        var record = new SinkRecord(r.Topic, r.Partition, r.Offset, key.Schema, key.Value, value.Schema, value.Value, r.Timestamp);
                        if (transforms.Apply(record) is SinkRecord transformed)
                        {
                            batch.Add(transformed);
                        }
                    }
                    catch (ConnectDataException e) when (tolerateAll)
                    {
                        ConnectLog.RecordSkipped(Logger, Owner.Name, r.Topic, e.Message);
                    }
                }

                if (batch.Count > 0)
                {
                    await task.PutAsync(batch, cancellationToken);
                }

                await consumer.CommitAsync(positions.Select(p => new TopicPartitionOffset(p.Key.Topic, p.Key.Partition, p.Value)), cancellationToken);
                CountRecords(batch.Count);
                MarkRunning(retry);
            }
        }
        finally
        {
            await task.StopAsync();
        }
    }
}
