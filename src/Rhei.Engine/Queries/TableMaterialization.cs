using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Rhei.Client;
using Rhei.Sql.Execution;

namespace Rhei.Engine.Queries;

/// <summary>
/// The current rows of a queryable table, for pull queries: a reader of the table's topic (a CTAS sink or a source
/// table's topic, both changelogs of the table) keeps the latest row of every key (of every key and window, for
/// windowed tables) in memory, decoded once. Lookups by key are a dictionary read; scans go partition by partition.
/// Built when the first pull query asks for the table (which waits until what the topic held then is read), then kept
/// up to date until the table is dropped; later queries read what it holds, without waiting. Serves source tables
/// (ksqlDB's source-table materialization) and CTAS tables whose query runs where its output store is not at hand.
/// </summary>
internal sealed class TableMaterialization : PullTable, IAsyncDisposable
{
    private static readonly TimeSpan s_pollTimeout = TimeSpan.FromMilliseconds(200);

    private readonly IClientFactory _clients;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<GenericKey, Entry> _rows = new();
    private readonly ConcurrentDictionary<GenericKey, ImmutableSortedDictionary<long, Entry>> _windows = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _progressLock = new();
    private readonly List<(long[] Targets, TaskCompletionSource Reached)> _waiters = [];
    private long[] _positions = [];
    private long[] _initialEnds = [];
    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _loop;
    private Exception? _failure;

    public TableMaterialization(SourceRowShape shape, IClientFactory clients, ILogger logger)
    {
        Shape = shape;
        _clients = clients;
        _logger = logger;
    }

    public override SourceRowShape Shape { get; }

    public int Count => Shape.Source.IsWindowed ? _windows.Values.Sum(w => w.Count) : _rows.Count;

    /// <summary>A row of the table: the decoded source row, where it came from, and its key's place in scans.</summary>
    public sealed record Entry(object?[] Row, int Partition, byte[] KeyBytes);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var admin = _clients.CreateAdmin();
        var topic = Shape.Source.KafkaTopicName;
        var description = (await admin.DescribeTopicsAsync([topic], cancellationToken))[0];
        _positions = new long[description.Partitions];
        var ends = await admin.ListOffsetsAsync(Enumerable.Range(0, description.Partitions).Select(p => (new TopicPartition(topic, p), OffsetSpec.Latest)), cancellationToken);
        _initialEnds = new long[description.Partitions];
        foreach (var end in ends)
        {
            _initialEnds[end.TopicPartition.Partition] = end.Offset;
        }

        var consumer = _clients.CreateConsumer(new ConsumerOptions
        {
            ClientId = "rhei-pull-" + Shape.Source.Name,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            ReadCommitted = true,
            MaxPollRecords = 5000,
        });
        consumer.Assign(Enumerable.Range(0, description.Partitions).Select(p => new TopicPartitionOffset(topic, p, Offsets.Beginning)));
        for (var p = 0; p < description.Partitions; p++)
        {
            _positions[p] = consumer.Position(new TopicPartition(topic, p));
        }

        lock (_progressLock)
        {
            _waiters.Add((_initialEnds, _loaded));
            if (Reached(_initialEnds))
            {
                _loaded.TrySetResult();
            }
        }

        _loop = Task.Run(() => RunAsync(consumer));
    }

    /// <summary>
    /// Waits until the records the topic held when the materialization started are read (the first pull queries on a
    /// table wait for its initial load; later ones return at once).
    /// </summary>
    /// <exception cref="TimeoutException">Not loaded within <paramref name="timeout"/>.</exception>
    public async ValueTask WaitLoadedAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!_loaded.Task.IsCompleted)
        {
            try
            {
                await _loaded.Task.WaitAsync(timeout, cancellationToken);
            }
            catch (TimeoutException e)
            {
                throw new TimeoutException($"Table {Shape.Source.Name} is still loading its topic for pull queries after {timeout.TotalSeconds:0} s; try again shortly.", e);
            }
        }

        ThrowIfFailed();
    }

    public override void Get(GenericKey key, List<object?[]> rows)
    {
        if (Shape.Source.IsWindowed)
        {
            if (_windows.TryGetValue(key, out var windows))
            {
                foreach (var (_, entry) in windows)
                {
                    rows.Add(entry.Row);
                }
            }
        }
        else if (_rows.TryGetValue(key, out var entry))
        {
            rows.Add(entry.Row);
        }
    }

    public override IEnumerable<object?[]> Scan()
    {
        var entries = Shape.Source.IsWindowed
            ? _windows.Values.SelectMany(w => w.Values).ToList()
            : [.. _rows.Values];
        entries.Sort(static (a, b) => a.Partition != b.Partition ? a.Partition.CompareTo(b.Partition) : a.KeyBytes.AsSpan().SequenceCompareTo(b.KeyBytes));
        return entries.Select(e => e.Row);
    }

    private bool Reached(long[] targets)
    {
        for (var p = 0; p < targets.Length; p++)
        {
            if (_positions[p] < targets[p])
            {
                return false;
            }
        }

        return true;
    }

    private void ThrowIfFailed()
    {
        if (_failure is { } failure)
        {
            throw new InvalidOperationException($"Reading table {Shape.Source.Name} for pull queries failed: {failure.Message}", failure);
        }
    }

    private async Task RunAsync(IConsumer consumer)
    {
        var topic = Shape.Source.KafkaTopicName;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var records = await consumer.PollAsync(s_pollTimeout, _stop.Token);
                foreach (var record in records)
                {
                    Apply(record);
                }

                lock (_progressLock)
                {
                    for (var p = 0; p < _positions.Length; p++)
                    {
                        _positions[p] = consumer.Position(new TopicPartition(topic, p));
                    }

                    for (var i = _waiters.Count - 1; i >= 0; i--)
                    {
                        if (Reached(_waiters[i].Targets))
                        {
                            _waiters[i].Reached.TrySetResult();
                            _waiters.RemoveAt(i);
                        }
                    }
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            _failure = e;
            _logger.LogError(e, "Reading table {Table} for pull queries failed", Shape.Source.Name);
            lock (_progressLock)
            {
                foreach (var (_, reached) in _waiters)
                {
                    reached.TrySetResult();
                }

                _waiters.Clear();
            }
        }
        finally
        {
            await consumer.DisposeAsync();
        }
    }

    private void Apply(ConsumedRecord record)
    {
        GenericKey key;
        Streams.Window? window;
        try
        {
            (key, window) = Shape.DecodeKey(record);
        }
        catch (Exception e) when (e is Formats.Serde.SerdeException or FormatException or InvalidCastException or OverflowException or ArgumentException)
        {
            return;
        }

        if (Shape.KeyCount > 0 && key.IsNull)
        {
            return;
        }

        var row = Shape.DecodeRow(record, key, window);
        var entry = row is null ? null : new Entry(row, record.Partition, record.Key is { } k ? k.ToArray() : []);
        if (!Shape.Source.IsWindowed)
        {
            if (entry is null)
            {
                _rows.TryRemove(key, out _);
            }
            else
            {
                _rows[key] = entry;
            }

            return;
        }

        var start = window?.Start ?? 0;
        var windows = _windows.GetValueOrDefault(key) ?? ImmutableSortedDictionary<long, Entry>.Empty;
        windows = entry is null ? windows.Remove(start) : windows.SetItem(start, entry);
        if (windows.IsEmpty)
        {
            _windows.TryRemove(key, out _);
        }
        else
        {
            _windows[key] = windows;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        _stop.Dispose();
    }
}
