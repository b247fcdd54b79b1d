using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using ConfluentOffset = Confluent.Kafka.Offset;
using ConfluentTopicPartition = Confluent.Kafka.TopicPartition;
using ConfluentTopicPartitionOffset = Confluent.Kafka.TopicPartitionOffset;

namespace Rhei.Client.Kafka;

/// <summary>
/// The consumer over Confluent.Kafka. librdkafka's blocking calls (Consume, Close, Unsubscribe) run on a
/// dedicated thread per consumer (<see cref="ConsumerThread"/>), never on a thread-pool thread:
/// <see cref="PollAsync"/> hands the thread one "consume up to max.poll.records within the timeout" step
/// and awaits it. Rebalance handlers fire on that thread inside Consume; they hand the partitions to the
/// awaiting poll, which runs the contract's callbacks (synchronous and asynchronous) in the caller's own flow
/// while the thread waits, so callbacks never run concurrently with the caller's loop. Short calls (Assign,
/// Seek, Pause, Position, Commit, Committed) run directly on the caller's thread: librdkafka is thread-safe
/// and they block for at most one broker round trip. Special offsets are resolved at Assign/Seek time
/// (watermarks or committed offsets), as the embedded consumer does. One difference remains: right after a
/// group assignment, <see cref="Position"/> is -1001 until librdkafka has fetched the partition (the
/// embedded consumer already knows the committed offset).
/// </summary>
public sealed class KafkaConsumer : IConsumer
{
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(10);

    private readonly IConsumer<byte[], byte[]> _consumer;
    private readonly ConsumerOptions _options;
    private readonly ILogger _logger;
    private readonly ConsumerThread _thread;
    private readonly Dictionary<TopicPartition, long> _pendingPositions = [];
    private bool _subscribed;
    private bool _closed;

    public KafkaConsumer(KafkaClientFactory factory, ConsumerOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxPollRecords);
        _options = options;
        _logger = factory.LoggerFactory.CreateLogger<KafkaConsumer>();
        _consumer = new ConsumerBuilder<byte[], byte[]>(KafkaConfig.Consumer(factory, options))
            .SetLogHandler((_, m) => KafkaConfig.Log(_logger, m))
            .SetErrorHandler((c, e) => _logger.KafkaError(c.Name, KafkaErrors.Describe(e)))
            .SetPartitionsAssignedHandler((_, partitions) => OnRebalance(assigned: true, [.. partitions.Select(p => new TopicPartition(p.Topic, p.Partition.Value))]))
            .SetPartitionsRevokedHandler((_, partitions) => OnRebalance(assigned: false, [.. partitions.Select(p => new TopicPartition(p.Topic, p.Partition.Value))]))
            .SetPartitionsLostHandler((_, partitions) => OnRebalance(assigned: false, [.. partitions.Select(p => new TopicPartition(p.Topic, p.Partition.Value))]))
            .Build();
        _thread = new ConsumerThread($"rhei-consumer-{options.ClientId}");
    }

    public IReadOnlyList<TopicPartition> Assignment => [.. _consumer.Assignment.Select(p => new TopicPartition(p.Topic, p.Partition.Value))];

    public void Subscribe(IEnumerable<string> topics)
    {
        ThrowIfClosed();
        if (_options.GroupId is null)
        {
            throw new InvalidOperationException("This consumer has no group.id: set ConsumerOptions.GroupId to subscribe.");
        }

        _consumer.Subscribe(topics);
        _subscribed = true;
    }

    public void Unsubscribe()
    {
        if (_options.OnPartitionsRevokedAsync is not null)
        {
            throw new InvalidOperationException("OnPartitionsRevokedAsync is set: call UnsubscribeAsync so that it can be awaited.");
        }

        if (!_subscribed)
        {
            return;
        }

        using var operation = new ConsumerOperation(UnsubscribeOnThread, inlineCallbacks: true);
        _thread.Post(operation);
        operation.Finished.Wait();
        _subscribed = false;
        Rethrow(operation.Outcome, operation);
    }

    public async ValueTask UnsubscribeAsync(CancellationToken cancellationToken = default)
    {
        if (!_subscribed)
        {
            return;
        }

        await RunAsync(UnsubscribeOnThread, cancellationToken);
        _subscribed = false;
    }

    /// <summary>Unsubscribes and serves the resulting revocation (librdkafka delivers it through the consumer queue).</summary>
    private object? UnsubscribeOnThread()
    {
        _consumer.Unsubscribe();
        var deadline = DateTime.UtcNow + QueryTimeout;
        while (_consumer.Assignment.Count > 0 && DateTime.UtcNow < deadline)
        {
            _consumer.Consume(TimeSpan.FromMilliseconds(50));
        }

        return null;
    }

    public void Assign(IEnumerable<TopicPartitionOffset> partitions)
    {
        ThrowIfClosed();
        if (_subscribed)
        {
            throw new InvalidOperationException("This consumer is subscribed to a group: call Unsubscribe before Assign.");
        }

        _pendingPositions.Clear();
        var resolved = new List<ConfluentTopicPartitionOffset>();
        foreach (var p in partitions)
        {
            var offset = Resolve(p);
            resolved.Add(new ConfluentTopicPartitionOffset(p.Topic, p.Partition, offset));
            if (offset >= 0)
            {
                _pendingPositions[p.TopicPartition] = offset;
            }
        }

        _consumer.Assign(resolved);
    }

    /// <summary>Beginning/End become the watermarks now; Stored becomes the committed offset, or stays for librdkafka's auto.offset.reset.</summary>
    private long Resolve(TopicPartitionOffset position)
    {
        var tp = new ConfluentTopicPartition(position.Topic, position.Partition);
        switch (position.Offset)
        {
            case Offsets.Beginning:
                return _consumer.QueryWatermarkOffsets(tp, QueryTimeout).Low.Value;
            case Offsets.End:
                return _consumer.QueryWatermarkOffsets(tp, QueryTimeout).High.Value;
            case Offsets.Stored:
                if (_options.GroupId is null)
                {
                    return _options.AutoOffsetReset switch
                    {
                        AutoOffsetReset.Earliest => _consumer.QueryWatermarkOffsets(tp, QueryTimeout).Low.Value,
                        AutoOffsetReset.Latest => _consumer.QueryWatermarkOffsets(tp, QueryTimeout).High.Value,
                        _ => ConfluentOffset.Stored.Value,
                    };
                }

                var committed = _consumer.Committed([tp], QueryTimeout).Single().Offset;
                if (committed.Value >= 0)
                {
                    return committed.Value;
                }

                return _options.AutoOffsetReset switch
                {
                    AutoOffsetReset.Earliest => _consumer.QueryWatermarkOffsets(tp, QueryTimeout).Low.Value,
                    AutoOffsetReset.Latest => _consumer.QueryWatermarkOffsets(tp, QueryTimeout).High.Value,
                    _ => ConfluentOffset.Stored.Value,
                };
            default:
                return position.Offset;
        }
    }

    public void Seek(TopicPartitionOffset position)
    {
        ThrowIfClosed();
        var offset = Resolve(position);
        var target = new ConfluentTopicPartitionOffset(position.Topic, position.Partition, offset);
        try
        {
            _consumer.Seek(target);
        }
        catch (KafkaException e) when (e.Error.Code == ErrorCode.Local_State && !_subscribed)
        {
            // librdkafka refuses to seek a partition whose fetcher has not started: assign again with the new position.
            var assignment = _consumer.Assignment
                .Select(p => p.Topic == position.Topic && p.Partition.Value == position.Partition ? target : new ConfluentTopicPartitionOffset(p, CurrentPosition(p)))
                .ToList();
            _consumer.Assign(assignment);
        }
        catch (KafkaException e)
        {
            // e.g. Local_State while subscribed: the partition is not (yet) assigned — inside the assignment callback
            // librdkafka takes the assignment only after the callback returns.
            throw new ConsumerException(KafkaErrors.Name(e.Error), $"Seek to {position} failed: {KafkaErrors.Describe(e.Error)}", e);
        }

        if (offset >= 0)
        {
            _pendingPositions[position.TopicPartition] = offset;
        }
    }

    private ConfluentOffset CurrentPosition(ConfluentTopicPartition tp) =>
        _pendingPositions.TryGetValue(new TopicPartition(tp.Topic, tp.Partition.Value), out var pending) ? new ConfluentOffset(pending) : _consumer.Position(tp);

    public long Position(TopicPartition partition)
    {
        if (!_consumer.Assignment.Any(p => p.Topic == partition.Topic && p.Partition.Value == partition.Partition))
        {
            throw new InvalidOperationException($"Partition {partition} is not assigned to this consumer.");
        }

        return CurrentPosition(new ConfluentTopicPartition(partition.Topic, partition.Partition)).Value;
    }

    public void Pause(IEnumerable<TopicPartition> partitions) =>
        _consumer.Pause(partitions.Select(p => new ConfluentTopicPartition(p.Topic, p.Partition)));

    public void Resume(IEnumerable<TopicPartition> partitions) =>
        _consumer.Resume(partitions.Select(p => new ConfluentTopicPartition(p.Topic, p.Partition)));

    public ValueTask CommitAsync(IEnumerable<TopicPartitionOffset> offsets, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        if (_options.GroupId is null)
        {
            throw new InvalidOperationException("This consumer has no group.id: set ConsumerOptions.GroupId to commit.");
        }

        try
        {
            _consumer.Commit(offsets.Select(o => new ConfluentTopicPartitionOffset(o.Topic, o.Partition, o.Offset)));
        }
        catch (TopicPartitionOffsetException e)
        {
            var failed = e.Results.FirstOrDefault(r => r.Error.IsError);
            var error = failed?.Error ?? e.Error;
            throw new ConsumerException(KafkaErrors.Name(error), $"Commit failed: {KafkaErrors.Describe(error)}", e);
        }
        catch (KafkaException e)
        {
            throw new ConsumerException(KafkaErrors.Name(e.Error), $"Commit failed: {KafkaErrors.Describe(e.Error)}", e);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<TopicPartitionOffset>> CommittedAsync(IEnumerable<TopicPartition> partitions, CancellationToken cancellationToken = default)
    {
        if (_options.GroupId is null)
        {
            throw new InvalidOperationException("This consumer has no group.id: set ConsumerOptions.GroupId to read committed offsets.");
        }

        try
        {
            var committed = _consumer.Committed(partitions.Select(p => new ConfluentTopicPartition(p.Topic, p.Partition)), QueryTimeout);
            IReadOnlyList<TopicPartitionOffset> result = [.. committed.Select(c => new TopicPartitionOffset(c.Topic, c.Partition.Value, c.Offset.Value < 0 ? -1001 : c.Offset.Value))];
            return ValueTask.FromResult(result);
        }
        catch (KafkaException e)
        {
            throw new ConsumerException(KafkaErrors.Name(e.Error), $"Reading committed offsets failed: {KafkaErrors.Describe(e.Error)}", e);
        }
    }

    public async ValueTask<IReadOnlyList<ConsumedRecord>> PollAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        var results = (List<ConsumeResult<byte[], byte[]>>)(await RunAsync(() => ConsumeOnThread(timeout, cancellationToken), cancellationToken))!;
        if (results.Count == 0)
        {
            return [];
        }

        var records = new List<ConsumedRecord>(results.Count);
        foreach (var r in results)
        {
            records.Add(ToRecord(r));
            _pendingPositions.Remove(new TopicPartition(r.Topic, r.Partition.Value));
        }

        return records;
    }

    /// <summary>On the consumer thread: waits up to the timeout for a first record (in short slices), then drains what is ready.</summary>
    private List<ConsumeResult<byte[], byte[]>> ConsumeOnThread(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var results = new List<ConsumeResult<byte[], byte[]>>();
        var deadline = DateTime.UtcNow + timeout;
        try
        {
            while (results.Count == 0)
            {
                var remaining = deadline - DateTime.UtcNow;
                var slice = remaining < TimeSpan.FromMilliseconds(100) ? remaining : TimeSpan.FromMilliseconds(100);
                if (slice < TimeSpan.Zero)
                {
                    slice = TimeSpan.Zero;
                }

                if (_consumer.Consume(slice) is { } first)
                {
                    results.Add(first);
                    break;
                }

                if (remaining <= TimeSpan.Zero || cancellationToken.IsCancellationRequested)
                {
                    return results;
                }
            }

            while (results.Count < _options.MaxPollRecords && _consumer.Consume(TimeSpan.Zero) is { } next)
            {
                results.Add(next);
            }
        }
        catch (ConsumeException e)
        {
            if (results.Count > 0)
            {
                // Return what arrived; the error comes back at the next poll.
                return results;
            }

            throw new ConsumerException(KafkaErrors.Name(e.Error), $"Consuming failed: {KafkaErrors.Describe(e.Error)}", e);
        }

        return results;
    }

    private static ConsumedRecord ToRecord(ConsumeResult<byte[], byte[]> r)
    {
        var message = r.Message;
        IReadOnlyList<RecordHeader> headers = [];
        if (message.Headers is { Count: > 0 } hs)
        {
            var list = new RecordHeader[hs.Count];
            for (var i = 0; i < hs.Count; i++)
            {
                var value = hs[i].GetValueBytes();
                list[i] = new RecordHeader(hs[i].Key, value is null ? (ReadOnlyMemory<byte>?)null : value);
            }

            headers = list;
        }

        return new ConsumedRecord
        {
            Topic = r.Topic,
            Partition = r.Partition.Value,
            Offset = r.Offset.Value,
            Timestamp = message.Timestamp.UnixTimestampMs,
            TimestampType = message.Timestamp.Type switch
            {
                Confluent.Kafka.TimestampType.CreateTime => TimestampType.CreateTime,
                Confluent.Kafka.TimestampType.LogAppendTime => TimestampType.LogAppendTime,
                _ => TimestampType.NotAvailable,
            },
            Key = message.Key is null ? (ReadOnlyMemory<byte>?)null : message.Key,
            Value = message.Value is null ? (ReadOnlyMemory<byte>?)null : message.Value,
            Headers = headers,
            LeaderEpoch = r.LeaderEpoch ?? -1,
        };
    }

    public async ValueTask CloseAsync(CancellationToken cancellationToken = default)
    {
        if (_closed)
        {
            return;
        }

        try
        {
            await RunAsync(
                () =>
                {
                    _consumer.Close();
                    return null;
                },
                cancellationToken);
        }
        finally
        {
            _closed = true;
            _subscribed = false;
            _thread.Dispose();
            _consumer.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await CloseAsync();
        }
        catch (Exception e) when (e is KafkaException or ConsumerException)
        {
            _logger.CloseFailed(e, e.Message);
        }
    }

    private void ThrowIfClosed() => ObjectDisposedException.ThrowIf(_closed, this);

    /// <summary>Runs a step on the consumer thread, serving its rebalance requests here, in the caller's flow.</summary>
    private async ValueTask<object?> RunAsync(Func<object?> step, CancellationToken cancellationToken)
    {
        using var operation = new ConsumerOperation(step);
        _thread.Post(operation);
        while (true)
        {
            // Not cancellable once posted: the thread is bounded by the step's own timeout, and a rebalance
            // request left unserved would block it.
            var next = await operation.NextEventAsync(CancellationToken.None);
            if (next is RebalanceRequest request)
            {
                try
                {
                    await RunCallbacksAsync(request.Assigned, request.Partitions);
                }
                catch (Exception e)
                {
                    operation.CallbackError ??= e;
                }
                finally
                {
                    request.Done.Set();
                }

                continue;
            }

            cancellationToken.ThrowIfCancellationRequested();
            return Rethrow((ConsumerOperation.Completed)next!, operation);
        }
    }

    private static object? Rethrow(ConsumerOperation.Completed completed, ConsumerOperation operation)
    {
        if (completed.Error is { } error)
        {
            throw error switch
            {
                ConsumerException => error,
                KafkaException k => new ConsumerException(KafkaErrors.Name(k.Error), KafkaErrors.Describe(k.Error), k),
                _ => new ConsumerException("UNKNOWN_SERVER_ERROR", error.Message, error),
            };
        }

        if (operation.CallbackError is { } callbackError)
        {
            throw callbackError;
        }

        return completed.Result;
    }

    private async ValueTask RunCallbacksAsync(bool assigned, IReadOnlyList<TopicPartition> partitions)
    {
        if (assigned)
        {
            _options.OnPartitionsAssigned?.Invoke(partitions);
            if (_options.OnPartitionsAssignedAsync is { } assignedAsync)
            {
                await assignedAsync(partitions);
            }
        }
        else if (partitions.Count > 0)
        {
            _options.OnPartitionsRevoked?.Invoke(partitions);
            if (_options.OnPartitionsRevokedAsync is { } revokedAsync)
            {
                await revokedAsync(partitions);
            }
        }
    }

    /// <summary>A rebalance handler, on the consumer thread inside Consume/Close: hand the callbacks to the awaiting caller and wait.</summary>
    private void OnRebalance(bool assigned, IReadOnlyList<TopicPartition> partitions)
    {
        var operation = _thread.Current;
        if (operation is null || operation.InlineCallbacks)
        {
            try
            {
                if (assigned)
                {
                    _options.OnPartitionsAssigned?.Invoke(partitions);
                }
                else if (partitions.Count > 0)
                {
                    _options.OnPartitionsRevoked?.Invoke(partitions);
                }
            }
            catch (Exception e)
            {
                if (operation is null)
                {
                    _logger.RebalanceCallbackThrew(e);
                }
                else
                {
                    operation.CallbackError ??= e;
                }
            }

            return;
        }

        using var request = new RebalanceRequest(assigned, partitions);
        operation.Request(request);
        request.Done.Wait();
    }
}
