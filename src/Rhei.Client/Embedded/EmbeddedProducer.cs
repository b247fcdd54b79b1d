using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;
using Rhei.Protocol.Compression;
using Rhei.Protocol.Records;
using Rhei.Storage;
using Rhei.Storage.Partitions;

namespace Rhei.Client.Embedded;

/// <summary>
/// The in-process producer. Records are encoded at once into the open record batch of their partition (a
/// pooled <see cref="RecordBatchBuilder"/>: the caller's bytes are copied once, nothing is allocated per
/// record); a batch is appended to the partition log when it reaches <c>batch.size</c>, after
/// <c>linger.ms</c>, or on <see cref="FlushAsync"/>. With linger.ms 0 a batch goes as soon as a thread-pool
/// thread picks it up, so a busy producer still batches. An append returns once the batch is in the log
/// (fsynced when the topic's flush policy says so): that is acks=1 and acks=all alike on one node; acks=0
/// completes <see cref="ProduceAsync"/> at once with offset -1. Appends of one partition happen under its
/// batch lock, so records keep the order in which they were produced. Thread-safe.
/// </summary>
public sealed class EmbeddedProducer : IProducer
{
    private readonly LogManager _log;
    private readonly ProducerOptions _options;
    private readonly EmbeddedClientOptions _client;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CompressionType _compression;
    private readonly ConcurrentDictionary<string, ProducerTopic> _topics = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<PartitionBatch> _ready = new();
    private readonly ConcurrentQueue<RecordBatchBuilder> _builders = new();
    private readonly ConcurrentQueue<PooledBufferWriter> _buffers = new();
    private readonly ConcurrentQueue<List<Delivery>> _deliveryLists = new();
    private readonly ConcurrentQueue<DeliverySource> _sources = new();
    private readonly ITimer _lingerTimer;
    private readonly long _lingerTicks;
    private ProducerTopic? _lastTopic;
    private int _senderScheduled;
    private long _outstanding;
    private TaskCompletionSource? _drained;
    private Exception? _firstError;
    private int _disposed;

    public EmbeddedProducer(LogManager log, ProducerOptions options, EmbeddedClientOptions client)
    {
        if (options.TransactionalId is not null)
        {
            throw new NotSupportedException($"The embedded producer does not support transactions yet (transactional.id '{options.TransactionalId}'); leave transactional.id unset.");
        }

        if (options.Acks is not (0 or 1 or -1))
        {
            throw new ArgumentException($"acks must be 0, 1 or -1 (all), not {options.Acks}.", nameof(options));
        }

        _log = log;
        _options = options;
        _client = client;
        _time = client.TimeProvider;
        _logger = client.LoggerFactory.CreateLogger<EmbeddedProducer>();
        _compression = ParseCompression(options.CompressionType);
        _lingerTicks = (long)(Math.Max(0, options.LingerMs) * (_time.TimestampFrequency / 1000.0));
        _lingerTimer = _time.CreateTimer(static s => ((EmbeddedProducer)s!).RunSender(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    public ValueTask<RecordMetadata> ProduceAsync(ProduceRecord record, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfDisposed();
        if (_options.Acks == 0)
        {
            var partition = Enqueue(record, null, null);
            return ValueTask.FromResult(new RecordMetadata(record.Topic, partition, -1, record.Timestamp ?? -1));
        }

        var source = DeliverySource.Rent(_sources);
        var task = source.Task;
        Enqueue(record, null, source);
        return task;
    }

    public void Produce(ProduceRecord record, Action<RecordMetadata, Exception?>? onDelivery = null)
    {
        ThrowIfDisposed();
        Enqueue(record, onDelivery, null);
    }

    /// <summary>Sends every open batch now and waits until every record produced so far is reported.</summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            foreach (var topic in _topics.Values)
            {
                if (topic.Creating is { IsCompleted: false } creating)
                {
                    await creating.WaitAsync(cancellationToken);
                }

                foreach (var batch in topic.Batches)
                {
                    SendIfOpen(batch);
                }
            }

            if (Volatile.Read(ref _outstanding) == 0)
            {
                break;
            }

            var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _drained, drained);
            if (Volatile.Read(ref _outstanding) == 0)
            {
                break;
            }

            // Records may still be arriving (auto-creation replays, other threads): send again after a short wait.
            await Task.WhenAny(drained.Task, Task.Delay(TimeSpan.FromMilliseconds(Math.Max(1, _options.LingerMs)), _time, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
        }

        if (Interlocked.Exchange(ref _firstError, null) is { } error)
        {
            throw error;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        try
        {
            await FlushAsync();
        }
        catch (ProduceException e)
        {
            _logger.FailedAtClose(e, e.Message);
        }

        Volatile.Write(ref _disposed, 1);
        await _lingerTimer.DisposeAsync();
        while (_builders.TryDequeue(out var builder))
        {
            builder.Dispose();
        }

        while (_buffers.TryDequeue(out var buffer))
        {
            buffer.Dispose();
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    /// <summary>Adds the record to its partition's batch; returns the partition (-1 when not known yet).</summary>
    private int Enqueue(in ProduceRecord record, Action<RecordMetadata, Exception?>? callback, DeliverySource? source)
    {
        var topic = _lastTopic;
        if (topic is null || !ReferenceEquals(topic.Name, record.Topic) && topic.Name != record.Topic)
        {
            topic = _topics.GetOrAdd(record.Topic, static name => new ProducerTopic(name));
            _lastTopic = topic;
        }

        var count = Volatile.Read(ref topic.PartitionCount);
        if (count == 0)
        {
            count = RefreshPartitionCount(topic);
            if (count == 0)
            {
                return EnqueueForMissingTopic(topic, record, callback, source);
            }
        }

        int partition;
        if (record.Partition >= 0)
        {
            partition = record.Partition;
            if (partition >= count && (partition >= RefreshPartitionCount(topic)))
            {
                Fail(callback, source, new ProduceException("UNKNOWN_TOPIC_OR_PARTITION", $"Topic '{record.Topic}' has no partition {partition} (it has {count})."));
                return partition;
            }
        }
        else if (record.Key is { } key)
        {
            partition = KafkaPartitioner.Partition(key.Span, count);
        }
        else
        {
            partition = topic.StickyPartition;
            if ((uint)partition >= (uint)count)
            {
                partition = Random.Shared.Next(count);
                topic.StickyPartition = partition;
            }
        }

        var timestamp = record.Timestamp ?? NowMs;
        var batch = topic.Batch(partition);
        var headers = record.Headers;
        var estimate = (record.Key?.Length ?? 0) + (record.Value?.Length ?? 0) + 24 + (headers is null ? 0 : EstimateHeaders(headers));
        Interlocked.Increment(ref _outstanding);
        Sent before = default, after = default;
        var schedule = false;
        lock (batch)
        {
            var builder = batch.Builder;
            if (builder is null)
            {
                builder = RentBuilder();
                batch.Builder = builder;
                batch.MaxBytes = MaxBatchBytes(topic, partition);
            }
            else if (builder.Count > 0 && builder.EstimatedSize + estimate > batch.MaxBytes)
            {
                before = SendLocked(batch);
                builder = RentBuilder();
                batch.Builder = builder;
                batch.MaxBytes = MaxBatchBytes(topic, partition);
            }

            if (headers is null || headers.Count == 0)
            {
                builder.Add(timestamp, record.Key, record.Value);
            }
            else
            {
                AddWithHeaders(builder, timestamp, record, headers);
            }

            if (callback is not null || source is not null)
            {
                batch.Deliveries.Add(new Delivery(builder.Count - 1, timestamp, callback, source));
            }

            if (builder.EstimatedSize >= _options.BatchSize)
            {
                after = SendLocked(batch);
            }
            else if (!batch.Queued)
            {
                batch.Queued = true;
                batch.OpenedAt = _time.GetTimestamp();
                schedule = true;
            }
        }

        Complete(before);
        Complete(after);
        if (schedule)
        {
            _ready.Enqueue(batch);
            ScheduleSender(_lingerTicks == 0 ? TimeSpan.Zero : TimeSpan.FromMilliseconds(_options.LingerMs));
        }

        return partition;
    }

    private int MaxBatchBytes(ProducerTopic topic, int partition) =>
        _log.GetPartition(topic.Name, partition) is { } log ? Math.Min(_options.BatchSize, log.Config.MaxMessageBytes) : _options.BatchSize;

    private static int EstimateHeaders(IReadOnlyList<RecordHeader> headers)
    {
        var size = 0;
        foreach (var h in headers)
        {
            size += (h.Key.Length * 3) + (h.Value?.Length ?? 0) + 10;
        }

        return size;
    }

    private static void AddWithHeaders(RecordBatchBuilder builder, long timestamp, in ProduceRecord record, IReadOnlyList<RecordHeader> headers)
    {
        var size = 0;
        foreach (var h in headers)
        {
            var keyBytes = Encoding.UTF8.GetByteCount(h.Key);
            size += Varint.SizeOfVarInt(keyBytes) + keyBytes + (h.Value is { } v ? Varint.SizeOfVarInt(v.Length) + v.Length : 1);
        }

        var raw = size <= 1024 ? stackalloc byte[size] : new byte[size];
        var p = 0;
        foreach (var h in headers)
        {
            var keyBytes = Encoding.UTF8.GetByteCount(h.Key);
            p += Varint.WriteVarInt(raw[p..], keyBytes);
            p += Encoding.UTF8.GetBytes(h.Key, raw[p..]);
            if (h.Value is { } v)
            {
                p += Varint.WriteVarInt(raw[p..], v.Length);
                v.Span.CopyTo(raw[p..]);
                p += v.Length;
            }
            else
            {
                p += Varint.WriteVarInt(raw[p..], -1);
            }
        }

        builder.AddRaw(builder.Count, timestamp, record.Key, record.Value, headers.Count, raw);
    }

    private int RefreshPartitionCount(ProducerTopic topic)
    {
        var count = _log.GetPartitions(topic.Name).Count;
        Volatile.Write(ref topic.PartitionCount, count);
        return count;
    }

    private int EnqueueForMissingTopic(ProducerTopic topic, in ProduceRecord record, Action<RecordMetadata, Exception?>? callback, DeliverySource? source)
    {
        if (!_client.AutoCreateTopics)
        {
            Fail(callback, source, new ProduceException("UNKNOWN_TOPIC_OR_PARTITION", $"Topic '{record.Topic}' does not exist and auto.create.topics.enable is off: create it first."));
            return -1;
        }

        var copy = record with
        {
            Key = record.Key is { } k ? k.ToArray() : (ReadOnlyMemory<byte>?)null,
            Value = record.Value is { } v ? v.ToArray() : (ReadOnlyMemory<byte>?)null,
            Headers = record.Headers is { Count: > 0 } hs ? [.. hs.Select(h => h with { Value = h.Value is { } hv ? hv.ToArray() : (ReadOnlyMemory<byte>?)null })] : null,
        };
        Interlocked.Increment(ref _outstanding);
        lock (topic)
        {
            if (Volatile.Read(ref topic.PartitionCount) == 0 && RefreshPartitionCount(topic) == 0)
            {
                (topic.Pending ??= []).Add(new PendingRecord(copy, callback, source));
                topic.Creating ??= CreateTopicAsync(topic);
                return -1;
            }
        }

        // Created meanwhile.
        Interlocked.Decrement(ref _outstanding);
        return Enqueue(copy, callback, source);
    }

    private async Task CreateTopicAsync(ProducerTopic topic)
    {
        await Task.Yield();
        ProduceException? error = null;
        try
        {
            await _log.CreateTopicAsync(topic.Name, _client.DefaultPartitions);
            _logger.AutoCreated(topic.Name);
        }
        catch (StorageException e) when (e.Error == StorageError.TopicAlreadyExists)
        {
        }
        catch (StorageException e)
        {
            error = new ProduceException(e.ErrorName, $"Topic '{topic.Name}' could not be auto-created: {e.Message}", e);
        }

        List<PendingRecord> pending;
        lock (topic)
        {
            RefreshPartitionCount(topic);
            pending = topic.Pending ?? [];
            topic.Pending = null;
            topic.Creating = null;
        }

        foreach (var p in pending)
        {
            if (error is not null)
            {
                Fail(p.Callback, p.Source, error);
            }
            else
            {
                Enqueue(p.Record, p.Callback, p.Source);
            }

            Interlocked.Decrement(ref _outstanding);
        }

        SignalIfDrained();
    }

    private RecordBatchBuilder RentBuilder()
    {
        if (_builders.TryDequeue(out var builder))
        {
            return builder;
        }

        return new RecordBatchBuilder(_compression, 64 * 1024);
    }

    private void ScheduleSender(TimeSpan delay)
    {
        if (Interlocked.CompareExchange(ref _senderScheduled, 1, 0) != 0)
        {
            return;
        }

        if (delay <= TimeSpan.Zero)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static p => p.RunSender(), this, preferLocal: false);
        }
        else
        {
            _lingerTimer.Change(delay, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Sends the queued batches whose linger time is up; re-arms for the rest.</summary>
    private void RunSender()
    {
        Volatile.Write(ref _senderScheduled, 0);
        var now = _time.GetTimestamp();
        List<PartitionBatch>? later = null;
        var soonest = long.MaxValue;
        while (_ready.TryDequeue(out var batch))
        {
            Sent sent = default;
            lock (batch)
            {
                if (!batch.Queued)
                {
                    continue;
                }

                var age = now - batch.OpenedAt;
                if (age < _lingerTicks)
                {
                    (later ??= []).Add(batch);
                    soonest = Math.Min(soonest, _lingerTicks - age);
                    continue;
                }

                sent = SendLocked(batch);
            }

            Complete(sent);
        }

        if (later is not null)
        {
            foreach (var batch in later)
            {
                _ready.Enqueue(batch);
            }

            ScheduleSender(TimeSpan.FromSeconds(Math.Max(soonest, 1) / (double)_time.TimestampFrequency).Add(TimeSpan.FromTicks(1)));
        }
    }

    private void SendIfOpen(PartitionBatch batch)
    {
        Sent sent = default;
        lock (batch)
        {
            if (batch.Builder is { Count: > 0 })
            {
                sent = SendLocked(batch);
            }
        }

        Complete(sent);
    }

    /// <summary>The outcome of one append, reported after the batch lock is released.</summary>
    private readonly record struct Sent(PartitionBatch? Batch, int Count, List<Delivery>? Deliveries, AppendResult Result);

    /// <summary>Appends the open batch of a partition (under its lock) and resets it.</summary>
    private Sent SendLocked(PartitionBatch batch)
    {
        var builder = batch.Builder!;
        var count = builder.Count;
        batch.Builder = null;
        batch.Queued = false;
        var deliveries = batch.Deliveries.Count > 0 ? batch.Deliveries : null;
        if (deliveries is not null)
        {
            batch.Deliveries = _deliveryLists.TryDequeue(out var list) ? list : [];
        }

        var topic = batch.Topic;
        if (topic.StickyPartition == batch.Partition)
        {
            var partitions = Math.Max(1, Volatile.Read(ref topic.PartitionCount));
            topic.StickyPartition = (batch.Partition + 1) % partitions;
        }

        AppendResult result;
        var log = _log.GetPartition(topic.Name, batch.Partition);
        if (count == 0)
        {
            result = new AppendResult(StorageError.None, -1, -1, -1, 0);
        }
        else if (log is null)
        {
            RefreshPartitionCount(topic);
            result = AppendResult.Failed(StorageError.UnknownTopicOrPartition, $"Partition {topic.Name}-{batch.Partition} does not exist (was the topic deleted?).", -1);
        }
        else
        {
            var buffer = _buffers.TryDequeue(out var b) ? b : new PooledBufferWriter(builder.EstimatedSize + 64);
            try
            {
                builder.WriteTo(buffer);
                var append = log.AppendAsync(buffer.WrittenMemoryMutable, AppendOrigin.Client);
                result = append.IsCompletedSuccessfully ? append.Result : AppendResult.Failed(StorageError.UnknownServerError, $"The append to {topic.Name}-{batch.Partition} did not complete synchronously.", -1);
                if (result.Error == StorageError.UnknownTopicOrPartition)
                {
                    RefreshPartitionCount(topic);
                }
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or ObjectDisposedException)
            {
                result = AppendResult.Failed(StorageError.KafkaStorageError, $"Appending to {topic.Name}-{batch.Partition} failed: {e.Message}", -1);
            }
            finally
            {
                buffer.Clear();
                _buffers.Enqueue(buffer);
            }
        }

        builder.Clear();
        _builders.Enqueue(builder);
        return new Sent(batch, count, deliveries, result);
    }

    private void Complete(in Sent sent)
    {
        if (sent.Batch is not { } batch)
        {
            return;
        }

        var topic = batch.Topic.Name;
        var result = sent.Result;
        if (!result.Succeeded)
        {
            var error = new ProduceException(result.Error.Name(), result.ErrorMessage ?? $"Producing to {topic}-{batch.Partition} failed.");
            var awaited = 0;
            if (sent.Deliveries is not null)
            {
                foreach (var d in sent.Deliveries)
                {
                    awaited += d.Source is null ? 0 : 1;
                    Fail(d.Callback, d.Source, error);
                }
            }

            if (awaited < sent.Count)
            {
                Interlocked.CompareExchange(ref _firstError, error, null);
                _logger.ProduceFailed(sent.Count - awaited, topic, batch.Partition, error.Message);
            }
        }
        else if (sent.Deliveries is not null)
        {
            foreach (var d in sent.Deliveries)
            {
                var metadata = new RecordMetadata(topic, batch.Partition, result.BaseOffset + d.Index, result.LogAppendTime >= 0 ? result.LogAppendTime : d.Timestamp);
                d.Source?.Complete(metadata);
                if (d.Callback is { } callback)
                {
                    InvokeCallback(callback, metadata, null);
                }
            }
        }

        if (sent.Deliveries is { } used)
        {
            used.Clear();
            _deliveryLists.Enqueue(used);
        }

        if (Interlocked.Add(ref _outstanding, -sent.Count) == 0)
        {
            SignalIfDrained();
        }
    }

    private void SignalIfDrained()
    {
        if (Volatile.Read(ref _outstanding) == 0)
        {
            Volatile.Read(ref _drained)?.TrySetResult();
        }
    }

    /// <summary>Reports a record that never got into a batch (its outstanding count is the caller's business).</summary>
    private void Fail(Action<RecordMetadata, Exception?>? callback, DeliverySource? source, ProduceException error)
    {
        if (source is not null)
        {
            source.Fail(error);
        }
        else if (callback is not null)
        {
            InvokeCallback(callback, default, error);
        }

        if (source is null)
        {
            Interlocked.CompareExchange(ref _firstError, error, null);
        }
    }

    private void InvokeCallback(Action<RecordMetadata, Exception?> callback, RecordMetadata metadata, Exception? error)
    {
        try
        {
            callback(metadata, error);
        }
        catch (Exception e)
        {
            _logger.CallbackThrew(e);
        }
    }

    private static CompressionType ParseCompression(string name) => name.ToLowerInvariant() switch
    {
        "none" or "" => CompressionType.None,
        "gzip" => CompressionType.Gzip,
        "snappy" => CompressionType.Snappy,
        "lz4" => CompressionType.Lz4,
        "zstd" => CompressionType.Zstd,
        _ => throw new ArgumentException($"compression.type '{name}' is not one of none, gzip, snappy, lz4, zstd."),
    };
}
