using Rhei.Client;

namespace Rhei.Formats.SchemaRegistry;

/// <summary>
/// Persists a <see cref="SchemaStore"/> in a compacted single-partition topic (<c>_schemas</c> by default) through
/// <see cref="IClientFactory"/>: created when missing, replayed from the beginning to the end at start, appended to
/// (acks=all, one producer, in order) on every change.
/// </summary>
public sealed class SchemasTopicLog : SchemaStoreLog, IAsyncDisposable
{
    private readonly IClientFactory _clients;
    private readonly string _topic;
    private readonly short _replicationFactor;
    private IProducer? _producer;

    public SchemasTopicLog(IClientFactory clients, string topic = SchemasTopicCodec.DefaultTopic, short replicationFactor = -1)
    {
        _clients = clients;
        _topic = topic;
        _replicationFactor = replicationFactor;
    }

    public string Topic => _topic;

    public override async ValueTask ReplayAsync(Action<SchemaLogRecord> apply, CancellationToken cancellationToken)
    {
        long end;
        await using (var admin = _clients.CreateAdmin())
        {
            var topics = await admin.ListTopicsAsync(includeInternal: true, cancellationToken);
            if (!topics.Contains(_topic))
            {
                try
                {
                    await admin.CreateTopicsAsync(
                        [new TopicSpec(_topic, 1, _replicationFactor) { Configs = new Dictionary<string, string> { ["cleanup.policy"] = "compact" } }],
                        cancellationToken);
                }
                catch (AdminException e) when (e.ErrorName == "TOPIC_ALREADY_EXISTS")
                {
                }
            }

            var offsets = await admin.ListOffsetsAsync([(new TopicPartition(_topic, 0), OffsetSpec.Latest)], cancellationToken);
            end = offsets[0].Offset;
        }

        if (end <= 0)
        {
            return;
        }

        await using var consumer = _clients.CreateConsumer(new ConsumerOptions { ClientId = "rhei-schema-registry", ReadCommitted = true });
        consumer.Assign([new TopicPartitionOffset(_topic, 0, Offsets.Beginning)]);
        var position = 0L;
        while (position < end)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var records = await consumer.PollAsync(TimeSpan.FromMilliseconds(200), cancellationToken);
            foreach (var record in records)
            {
                position = record.Offset + 1;
                if (record.Key is not { } key)
                {
                    continue;
                }

                var decoded = SchemasTopicCodec.Decode(key.Span, record.Value is { } v ? v.Span : default, record.Value is null);
                if (decoded is not null)
                {
                    apply(decoded);
                }
            }

            if (records.Count == 0)
            {
                position = Math.Max(position, consumer.Position(new TopicPartition(_topic, 0)));
            }
        }
    }

    public override async ValueTask AppendAsync(IReadOnlyList<SchemaLogRecord> records, CancellationToken cancellationToken)
    {
        var producer = _producer ??= _clients.CreateProducer(new ProducerOptions { ClientId = "rhei-schema-registry", Acks = -1, LingerMs = 0 });
        foreach (var record in records)
        {
            var (key, value) = SchemasTopicCodec.Encode(record);
            await producer.ProduceAsync(new ProduceRecord(_topic, key, value, Partition: 0), cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_producer is not null)
        {
            await _producer.DisposeAsync();
        }
    }
}
