using System.Text;
using Rhei.Client;

namespace Rhei.Engine.Commands;

/// <summary>
/// The command topic through <see cref="Rhei.Client"/> (embedded or Kafka): one partition, <c>cleanup.policy=delete</c>
/// with infinite retention, written with acks=all by one producer and read from the start by one consumer without a
/// group (every node reads every command).
/// </summary>
internal sealed class TopicCommandStore(IClientFactory clients, string topic, short replicationFactor) : CommandStore
{
    /// <summary>How long a read waits for records it knows exist before giving up.</summary>
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(60);

    private readonly HashSet<long> _own = [];
    private readonly List<StoredCommand> _ahead = [];
    private IAdmin? _admin;
    private IProducer? _producer;
    private IConsumer? _consumer;
    private long _next;

    public override string Name => topic;

    /// <summary>The topic's configuration: a log that never deletes (commands are replayed from the first).</summary>
    public static IReadOnlyDictionary<string, string> TopicConfigs { get; } = new Dictionary<string, string>
    {
        ["cleanup.policy"] = "delete",
        ["retention.ms"] = "-1",
        ["retention.bytes"] = "-1",
    };

    public override async ValueTask StartAsync(CancellationToken cancellationToken)
    {
        _admin = clients.CreateAdmin();
        var existing = await DescribeAsync(cancellationToken);
        if (existing is null)
        {
            try
            {
                await _admin.CreateTopicsAsync([new TopicSpec(topic, 1, replicationFactor) { Configs = TopicConfigs }], cancellationToken);
            }
            catch (AdminException e) when (e.ErrorName == "TOPIC_ALREADY_EXISTS")
            {
            }
        }
        else if (existing.Partitions != 1)
        {
            throw new InvalidOperationException(
                $"The command topic {topic} has {existing.Partitions} partitions; it must have exactly 1 so that every node reads the commands in one order. " +
                "Use another ksql.service.id, or recreate the topic with one partition.");
        }

        _producer = clients.CreateProducer(new ProducerOptions { ClientId = "rhei-command-topic", Acks = -1, LingerMs = 0, EnableIdempotence = true });
        _consumer = clients.CreateConsumer(new ConsumerOptions { ClientId = "rhei-command-topic", AutoOffsetReset = AutoOffsetReset.Earliest, ReadCommitted = true });
        _consumer.Assign([new TopicPartitionOffset(topic, 0, Offsets.Beginning)]);
        _next = 0;
    }

    private async ValueTask<TopicDescription?> DescribeAsync(CancellationToken cancellationToken)
    {
        try
        {
            var list = await _admin!.DescribeTopicsAsync([topic], cancellationToken);
            return list.Count == 0 ? null : list[0];
        }
        catch (AdminException e) when (e.ErrorName == "UNKNOWN_TOPIC_OR_PARTITION")
        {
            return null;
        }
    }

    public override async ValueTask<long> EndOffsetAsync(CancellationToken cancellationToken)
    {
        // Right after the topic was created, a Kafka cluster may not know its leader yet (the metadata propagates):
        // that answer is retried for a while.
        var deadline = DateTime.UtcNow + ReadTimeout;
        while (true)
        {
            try
            {
                var offsets = await Admin.ListOffsetsAsync([(new TopicPartition(topic, 0), OffsetSpec.Latest)], cancellationToken);
                return offsets.Count == 0 ? 0 : offsets[0].Offset;
            }
            catch (AdminException e) when (IsLeaderNotKnownYet(e) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
            }
        }
    }

    private static bool IsLeaderNotKnownYet(AdminException e) =>
        e.ErrorName is "LEADER_NOT_AVAILABLE" or "UNKNOWN_TOPIC_OR_PARTITION" or "NOT_LEADER_OR_FOLLOWER"
        || (e.ErrorName == "UNKNOWN_SERVER_ERROR" && e.Message.Contains("leader", StringComparison.OrdinalIgnoreCase));

    public override async ValueTask<long> AppendAsync(CommandRecord record, CancellationToken cancellationToken)
    {
        var producer = _producer ?? throw new InvalidOperationException("The command store is not started.");
        var metadata = await producer.ProduceAsync(
            new ProduceRecord(topic, Encoding.UTF8.GetBytes(record.Key), record.ToJson(), Partition: 0), cancellationToken);
        _own.Add(metadata.Offset);
        return metadata.Offset;
    }

    public override async ValueTask<IReadOnlyList<StoredCommand>> ReadAsync(long endExclusive, CancellationToken cancellationToken)
    {
        var consumer = _consumer ?? throw new InvalidOperationException("The command store is not started.");
        var result = new List<StoredCommand>();
        Take(result, endExclusive);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ReadTimeout);
        while (_next < endExclusive)
        {
            IReadOnlyList<ConsumedRecord> records;
            try
            {
                records = await consumer.PollAsync(TimeSpan.FromMilliseconds(200), timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException(
                    $"Reading the command topic {topic} stopped at offset {_next} of {endExclusive} for {ReadTimeout.TotalSeconds:0} s; check that the topic's partition is online.");
            }

            foreach (var r in records)
            {
                _next = r.Offset + 1;
                if (_own.Remove(r.Offset))
                {
                    continue;
                }

                StoredCommand command;
                try
                {
                    command = r.Value is { } value
                        ? new StoredCommand(r.Offset, CommandRecord.Parse(value.Span), null)
                        : new StoredCommand(r.Offset, null, "the record has no value");
                }
                catch (FormatException e)
                {
                    command = new StoredCommand(r.Offset, null, e.Message);
                }

                _ahead.Add(command);
            }

            if (records.Count > 0)
            {
                _next = Math.Max(_next, consumer.Position(new TopicPartition(topic, 0)));
            }

            Take(result, endExclusive);
        }

        return result;
    }

    private void Take(List<StoredCommand> result, long endExclusive)
    {
        var taken = _ahead.TakeWhile(c => c.Offset < endExclusive).ToList();
        result.AddRange(taken);
        _ahead.RemoveRange(0, taken.Count);
    }

    private IAdmin Admin => _admin ?? throw new InvalidOperationException("The command store is not started.");

    public override async ValueTask DisposeAsync()
    {
        if (_producer is not null)
        {
            await _producer.FlushAsync();
            await _producer.DisposeAsync();
        }

        if (_consumer is not null)
        {
            await _consumer.DisposeAsync();
        }

        if (_admin is not null)
        {
            await _admin.DisposeAsync();
        }
    }
}
