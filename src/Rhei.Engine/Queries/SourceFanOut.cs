using Microsoft.Extensions.Logging;
using Rhei.Client;
using Rhei.Sql.Execution;

namespace Rhei.Engine.Queries;

/// <summary>
/// One shared read of a source's topic for every push query that filters and projects it from the latest offset: a
/// single consumer decodes each record once; subscribers running the same statement form a group whose filter and
/// projection run once per row, and the resulting rows of one read are queued for every member's client as one
/// <see cref="RowChunk"/> (with a <see cref="SharedRow"/> slot, so that a server encodes them once too). Created with
/// the first subscriber, stopped with the last. A subscriber that falls more than <see cref="SubscriberCapacity"/> rows
/// behind is ended with an error rather than slowing the others down.
/// </summary>
internal sealed class SourceFanOut
{
    /// <summary>How many rows a subscriber may have queued before it is dropped.</summary>
    public const int SubscriberCapacity = 100_000;

    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(200);

    private readonly SourceRowShape _shape;
    private readonly IConsumer _consumer;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private FanOutSubscriber[] _subscribers = [];
    private Group[] _groups = [];
    private Task? _loop;

    // The rows of the current read, per group (index as in the groups snapshot of that read); reused from read to read.
    private List<QueryRow>[] _pending = [];

    private SourceFanOut(SourceRowShape shape, IConsumer consumer, ILogger logger)
    {
        _shape = shape;
        _consumer = consumer;
        _logger = logger;
    }

    /// <summary>True once the reader has stopped (stopped, or failed): new subscribers need a new one.</summary>
    public bool IsStopped { get; private set; }

    /// <summary>The number of push queries reading through this fan-out.</summary>
    public int SubscriberCount => Volatile.Read(ref _subscribers).Length;

    /// <summary>Creates the reader, positioned at the end of every partition of the source's topic now.</summary>
    public static async Task<SourceFanOut> StartAsync(SourceRowShape shape, IClientFactory clients, ILogger logger, CancellationToken cancellationToken)
    {
        var topic = shape.Source.KafkaTopicName;
        int partitions;
        await using (var admin = clients.CreateAdmin())
        {
            partitions = (await admin.DescribeTopicsAsync([topic], cancellationToken))[0].Partitions;
        }

        var consumer = clients.CreateConsumer(new ConsumerOptions { ClientId = "rhei-push-shared-" + shape.Source.Name, MaxPollRecords = 2000 });
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offsets.End)));
        for (var p = 0; p < partitions; p++)
        {
            consumer.Position(new TopicPartition(topic, p)); // resolves the end now: rows produced from here on are seen
        }

        var fanOut = new SourceFanOut(shape, consumer, logger);
        fanOut._loop = Task.Run(fanOut.RunAsync);
        return fanOut;
    }

    /// <summary>Adds a subscriber (call under the owner's lock). Its rows start with the next record the reader reads.</summary>
    public FanOutSubscriber Subscribe(SimpleSelect select, int? limit)
    {
        var subscriber = new FanOutSubscriber(limit);
        var groups = _groups;
        var index = Array.FindIndex(groups, g => g.Key == select.StatementText);
        Group[] next = [.. groups];
        if (index >= 0)
        {
            next[index] = groups[index] with { Members = [.. groups[index].Members, subscriber] };
        }
        else
        {
            next = [.. groups, new Group(select.StatementText, select, select.Predicate, [subscriber])];
        }

        Volatile.Write(ref _groups, next);
        Volatile.Write(ref _subscribers, [.. _subscribers, subscriber]);
        return subscriber;
    }

    /// <summary>Removes a subscriber (call under the owner's lock); true when none is left and the reader should stop.</summary>
    public bool Unsubscribe(FanOutSubscriber subscriber)
    {
        Volatile.Write(ref _subscribers, [.. _subscribers.Where(s => s != subscriber)]);
        Volatile.Write(ref _groups, [.. _groups
            .Select(g => Array.IndexOf(g.Members, subscriber) < 0 ? g : g with { Members = [.. g.Members.Where(m => m != subscriber)] })
            .Where(g => g.Members.Length > 0)]);
        subscriber.Complete(null);
        return _subscribers.Length == 0;
    }

    public async ValueTask StopAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        Exception? failure = null;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var records = await _consumer.PollAsync(s_poll, _stop.Token);
                if (records.Count > 0)
                {
                    Deliver(records);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            failure = e;
            _logger.LogError(e, "The shared push-query reader of {Source} failed", _shape.Source.Name);
        }
        finally
        {
            IsStopped = true;
            await _consumer.DisposeAsync();
            foreach (var subscriber in Volatile.Read(ref _subscribers))
            {
                subscriber.Complete(failure is null ? null : new InvalidOperationException($"Reading {_shape.Source.Name} for push queries failed: {failure.Message}", failure));
            }
        }
    }

    /// <summary>Runs the rows of one read through every group, then queues each group's rows for its members as one chunk.</summary>
    private void Deliver(IReadOnlyList<ConsumedRecord> records)
    {
        if (Volatile.Read(ref _subscribers).Length == 0)
        {
            return;
        }

        var groups = Volatile.Read(ref _groups);
        if (_pending.Length < groups.Length)
        {
            var grown = new List<QueryRow>[groups.Length];
            _pending.CopyTo(grown, 0);
            for (var g = _pending.Length; g < grown.Length; g++)
            {
                grown[g] = [];
            }

            _pending = grown;
        }

        for (var i = 0; i < records.Count; i++)
        {
            Evaluate(records[i], groups);
        }

        for (var g = 0; g < groups.Length; g++)
        {
            var pending = _pending[g];
            if (pending.Count == 0)
            {
                continue;
            }

            var members = groups[g].Members;
            var chunk = new RowChunk(pending.ToArray(), members.Length > 1 ? new SharedRow() : null);
            pending.Clear();
            foreach (var member in members)
            {
                member.Offer(chunk);
            }
        }
    }

    private void Evaluate(ConsumedRecord record, Group[] groups)
    {
        GenericKey key;
        Streams.Window? window;
        object?[]? row;
        try
        {
            (key, window) = _shape.DecodeKey(record);
            if (_shape.Source.IsTable && _shape.KeyCount > 0 && key.IsNull)
            {
                return;
            }

            row = _shape.DecodeRow(record, key, window);
        }
        catch (Exception e) when (e is Formats.Serde.SerdeException or FormatException or InvalidCastException or OverflowException or ArgumentException)
        {
            return; // a record that does not decode is skipped, as the persistent queries skip it
        }

        object?[]? keyOnly = null;
        if (row is null)
        {
            if (!_shape.Source.IsTable)
            {
                return;
            }

            keyOnly = _shape.KeyOnlyRow(key, window, record.Timestamp);
        }

        for (var g = 0; g < groups.Length; g++)
        {
            var group = groups[g];
            QueryRow output;
            try
            {
                if (row is null)
                {
                    output = new QueryRow(group.Select.Tombstone(keyOnly!), IsTombstone: true);
                }
                else if (group.Predicate is not null && !group.Predicate(row))
                {
                    continue;
                }
                else
                {
                    output = new QueryRow(group.Select.Project(row));
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                foreach (var member in group.Members)
                {
                    member.Complete(new InvalidOperationException($"The push query failed on a row of {_shape.Source.Name}: {e.Message}", e));
                }

                continue;
            }

            _pending[g].Add(output);
        }
    }

    /// <summary>The subscribers running one statement: its filter and projection run once per row for all of them.</summary>
    private sealed record Group(string Key, SimpleSelect Select, Func<object?[], bool>? Predicate, FanOutSubscriber[] Members);
}
