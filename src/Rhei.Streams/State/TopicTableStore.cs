using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Rhei.Client;
using Rhei.Streams.Runtime;

namespace Rhei.Streams.State;

/// <summary>How the keys of a <see cref="TopicTableStore"/>'s topic are laid out.</summary>
public enum TopicKeyLayout
{
    /// <summary>Plain keys: one current record per key.</summary>
    Plain,

    /// <summary>Time-windowed keys (the key's bytes, then the window start: 8 bytes big-endian), one record per key and window.</summary>
    TimeWindowed,

    /// <summary>Session-windowed keys (the key's bytes, the session end, then its start), one record per key and session.</summary>
    SessionWindowed,
}

/// <summary>One record a <see cref="TopicTableStore"/> holds: the latest the application wrote for its key (and window).</summary>
/// <param name="Key">The record's key bytes as written (with the window, for windowed layouts).</param>
/// <param name="Value">The value bytes (never null: deletes remove the entry).</param>
/// <param name="WindowStart">The window start for windowed layouts, else 0.</param>
/// <param name="WindowEnd">The session end for session windows, else 0 (time windows: start + size, which the reader knows).</param>
public sealed record TopicTableEntry(byte[] Key, byte[] Value, long Timestamp, int Partition, IReadOnlyList<RecordHeader>? Headers, long WindowStart, long WindowEnd);

/// <summary>
/// A queryable, read-only view of a table topic the application writes (a CTAS sink): the latest record of every key
/// (of every key and window), kept as bytes. The application's own writes update it as they are sent, from the stream
/// threads; the topic itself is its changelog, so it needs no topic of its own: when the application starts, the
/// topic is read from its beginning to the end it had then (in the background; <see cref="Restored"/> completes when
/// done), and keys the application writes meanwhile keep their newer records. Reads are thread-safe and see what the
/// store holds when they run. Made with <see cref="StreamsApp.MaterializeSinkTopic"/>.
/// </summary>
public sealed class TopicTableStore
{
    private readonly ConcurrentDictionary<byte[], TopicTableEntry> _plain = new(ByteArrayComparer.Instance);
    private readonly ConcurrentDictionary<byte[], ImmutableSortedDictionary<(long Start, long End), TopicTableEntry>> _windowed = new(ByteArrayComparer.Instance);
    private readonly Lock _writeLock = new();
    private readonly HashSet<byte[]> _liveDuringRestore = new(ByteArrayComparer.Instance);
    private readonly TaskCompletionSource _restored = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _restoring;
    private int _partitions = 1;
    private Exception? _restoreFailure;

    internal TopicTableStore(string topic, TopicKeyLayout layout)
    {
        Topic = topic;
        Layout = layout;
    }

    public string Topic { get; }

    public TopicKeyLayout Layout { get; }

    /// <summary>Completes once the topic's records from before the start are loaded (faulted when reading them failed).</summary>
    public Task Restored => _restored.Task;

    /// <summary>
    /// True while this application instance runs every task that writes the topic, so that the store follows every
    /// key. When other instances share the work, the keys they write are not updated here (read the topic instead).
    /// </summary>
    public bool HoldsEveryKey => OwnsEveryWriter?.Invoke() ?? false;

    internal Func<bool>? OwnsEveryWriter { get; set; }

        /// <summary>The number of records held.</summary>
    public long Count => Layout == TopicKeyLayout.Plain ? _plain.Count : _windowed.Values.Sum(w => (long)w.Count);

    /// <summary>The record of a plain key (its bytes as the topic's key serializer writes them).</summary>
    public bool TryGet(byte[] key, out TopicTableEntry entry)
    {
        if (Layout != TopicKeyLayout.Plain)
        {
            throw new InvalidOperationException($"The store of topic {Topic} holds windowed keys; fetch them by key and time range.");
        }

        return _plain.TryGetValue(key, out entry!);
    }

    /// <summary>Appends the windows of a key (its bytes without the window) that start in [timeFrom, timeTo], by start.</summary>
    public void Fetch(byte[] key, long timeFrom, long timeTo, List<TopicTableEntry> results)
    {
        if (Layout == TopicKeyLayout.Plain)
        {
            throw new InvalidOperationException($"The store of topic {Topic} holds plain keys; get them by key.");
        }

        if (_windowed.TryGetValue(key, out var windows))
        {
            foreach (var (window, entry) in windows)
            {
                if (window.Start >= timeFrom && window.Start <= timeTo)
                {
                    results.Add(entry);
                }
            }
        }
    }

    /// <summary>The records of plain keys in [from, to] (inclusive, key-byte order), partition by partition.</summary>
    public IReadOnlyList<TopicTableEntry> Range(byte[] from, byte[] to)
    {
        return Sorted(All(unsorted: true).Where(e => BaseKey(e.Key).SequenceCompareTo(from) >= 0 && BaseKey(e.Key).SequenceCompareTo(to) <= 0));
    }

    /// <summary>Every record, partition by partition, in key-byte order within a partition (a snapshot).</summary>
    public IReadOnlyList<TopicTableEntry> All() => All(unsorted: false);

    private IReadOnlyList<TopicTableEntry> All(bool unsorted)
    {
        IEnumerable<TopicTableEntry> entries = Layout == TopicKeyLayout.Plain ? _plain.Values : _windowed.Values.SelectMany(w => w.Values);
        return unsorted ? [.. entries] : Sorted(entries);
    }

    private static List<TopicTableEntry> Sorted(IEnumerable<TopicTableEntry> entries)
    {
        var list = entries.ToList();
        list.Sort(static (a, b) => a.Partition != b.Partition ? a.Partition.CompareTo(b.Partition) : a.Key.AsSpan().SequenceCompareTo(b.Key));
        return list;
    }

    private ReadOnlySpan<byte> BaseKey(byte[] key) => Layout switch
    {
        TopicKeyLayout.TimeWindowed when key.Length >= 8 => key.AsSpan(0, key.Length - 8),
        TopicKeyLayout.SessionWindowed when key.Length >= 16 => key.AsSpan(0, key.Length - 16),
        _ => key,
    };

    /// <summary>A record the application sends to the topic (from a stream thread).</summary>
    internal void ApplyLive(byte[]? key, byte[]? value, long timestamp, int partition, IReadOnlyList<RecordHeader>? headers)
    {
        if (key is null)
        {
            return;
        }

        if (partition < 0)
        {
            partition = _partitions <= 1 ? 0 : (Murmur2.Hash(key) & 0x7fffffff) % _partitions;
        }

        if (_restoring)
        {
            lock (_writeLock)
            {
                if (_restoring)
                {
                    _liveDuringRestore.Add(key);
                }

                Apply(key, value, timestamp, partition, headers);
            }

            return;
        }

        if (Layout == TopicKeyLayout.Plain)
        {
            Apply(key, value, timestamp, partition, headers);
            return;
        }

        lock (_writeLock)
        {
            Apply(key, value, timestamp, partition, headers);
        }
    }

    private void Apply(byte[] key, byte[]? value, long timestamp, int partition, IReadOnlyList<RecordHeader>? headers)
    {
        if (Layout == TopicKeyLayout.Plain)
        {
            if (value is null)
            {
                _plain.TryRemove(key, out _);
            }
            else
            {
                _plain[key] = new TopicTableEntry(key, value, timestamp, partition, headers, 0, 0);
            }

            return;
        }

        var suffix = Layout == TopicKeyLayout.TimeWindowed ? 8 : 16;
        if (key.Length < suffix)
        {
            return;
        }

        var baseKey = key.AsSpan(0, key.Length - suffix).ToArray();
        long start, end;
        if (Layout == TopicKeyLayout.TimeWindowed)
        {
            start = BinaryPrimitives.ReadInt64BigEndian(key.AsSpan(key.Length - 8));
            end = 0;
        }
        else
        {
            end = BinaryPrimitives.ReadInt64BigEndian(key.AsSpan(key.Length - 16));
            start = BinaryPrimitives.ReadInt64BigEndian(key.AsSpan(key.Length - 8));
        }

        var windows = _windowed.GetValueOrDefault(baseKey) ?? ImmutableSortedDictionary<(long, long), TopicTableEntry>.Empty;
        windows = value is null ? windows.Remove((start, end)) : windows.SetItem((start, end), new TopicTableEntry(key, value, timestamp, partition, headers, start, end));
        if (windows.IsEmpty)
        {
            _windowed.TryRemove(baseKey, out _);
        }
        else
        {
            _windowed[baseKey] = windows;
        }
    }

    /// <summary>Called before the stream threads start: from now on, until restored, the application's writes shadow the topic's older records.</summary>
    internal void BeginRestore(int partitions)
    {
        _partitions = Math.Max(1, partitions);
        _restoring = true;
    }

    /// <summary>Loads the topic from its beginning to its current end; the application's writes meanwhile win over older records.</summary>
    internal async Task RestoreAsync(IClientFactory clients, IAdmin admin, StreamsOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            var ends = await admin.ListOffsetsAsync(Enumerable.Range(0, _partitions).Select(p => (new TopicPartition(Topic, p), OffsetSpec.Latest)), cancellationToken);
            var todo = ends.Where(e => e.Offset > 0).ToDictionary(e => e.TopicPartition, e => e.Offset);
            long restored = 0;
            if (todo.Count > 0)
            {
                await using var consumer = clients.CreateConsumer(new ConsumerOptions
                {
                    ClientId = options.ApplicationId + "-" + Topic + "-store-restore",
                    ReadCommitted = true,
                    AutoOffsetReset = AutoOffsetReset.Earliest,
                    MaxPollRecords = 5000,
                    Extra = options.ClientProperties,
                });
                consumer.Assign(todo.Keys.Select(tp => new TopicPartitionOffset(tp.Topic, tp.Partition, Offsets.Beginning)));
                while (todo.Count > 0)
                {
                    var records = await consumer.PollAsync(TimeSpan.FromMilliseconds(options.PollMs), cancellationToken);
                    if (records.Count > 0)
                    {
                        lock (_writeLock)
                        {
                            foreach (var r in records)
                            {
                                if (!todo.TryGetValue(r.TopicPartition, out var end) || r.Offset >= end || r.Key is not { } k)
                                {
                                    continue;
                                }

                                var key = k.ToArray();
                                if (!_liveDuringRestore.Contains(key))
                                {
                                    Apply(key, r.Value?.ToArray(), r.Timestamp, r.Partition, r.Headers is { Count: > 0 } h ? h : null);
                                    restored++;
                                }
                            }
                        }
                    }

                    foreach (var (tp, end) in todo.ToList())
                    {
                        if (consumer.Position(tp) >= end)
                        {
                            todo.Remove(tp);
                        }
                    }
                }
            }

            if (logger.IsEnabled(LogLevel.Information) && restored > 0)
            {
                logger.LogInformation("Application {ApplicationId}: queryable store of topic {Topic} restored from {Records} records", options.ApplicationId, Topic, restored);
            }

            _restored.TrySetResult();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _restored.TrySetCanceled(cancellationToken);
        }
        catch (Exception e)
        {
            _restoreFailure = e;
            logger.LogError(e, "Application {ApplicationId}: restoring the queryable store of topic {Topic} failed", options.ApplicationId, Topic);
            _restored.TrySetException(e);
        }
        finally
        {
            lock (_writeLock)
            {
                _restoring = false;
                _liveDuringRestore.Clear();
            }
        }
    }

    /// <summary>Why restoring failed, if it did (the store then holds only what the application wrote since it started).</summary>
    public Exception? RestoreFailure => _restoreFailure;
}
