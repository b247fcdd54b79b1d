using System.Runtime.CompilerServices;
using Rhei.Client;

namespace Rhei.Engine.Queries;

/// <summary>
/// A push query that only filters and projects one source: it reads the source's topic itself (from the end, or from
/// the beginning with <c>auto.offset.reset=earliest</c>), so no streams application runs for it. A table's deletes
/// come out as tombstone rows.
/// </summary>
internal sealed class PushSourceQuery(string queryId, SimpleSelect select, SourceRowShape shape, IClientFactory clients, bool fromBeginning, int? limit)
    : TransientQuery(queryId, QueryKind.Push, select.Columns, shape.Source.IsTable, select.StatementText)
{
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(100);
    private IConsumer? _consumer;
    private int _state; // 0: started, 1: being read (the reader disposes the consumer), 2: stopped

    /// <summary>Positions the reader now, so that rows produced after the query started are not missed.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var topic = shape.Source.KafkaTopicName;
        int partitions;
        await using (var admin = clients.CreateAdmin())
        {
            partitions = (await admin.DescribeTopicsAsync([topic], cancellationToken))[0].Partitions;
        }

        _consumer = clients.CreateConsumer(new ConsumerOptions { ClientId = "rhei-push-" + QueryId, MaxPollRecords = 2000 });
        _consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, fromBeginning ? Offsets.Beginning : Offsets.End)));
    }

    public override async IAsyncEnumerable<QueryRow> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var consumer = _consumer ?? throw new InvalidOperationException("The query was not started.");
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
        {
            yield break;
        }

        await using var owned = consumer;
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, Closed);
        var predicate = select.Predicate;
        var count = 0;
        while (true)
        {
            IReadOnlyList<ConsumedRecord> records;
            try
            {
                records = await consumer.PollAsync(s_poll, cancel.Token);
            }
            catch (OperationCanceledException) when (Closed.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                yield break;
            }

            foreach (var record in records)
            {
                var (key, window) = shape.DecodeKey(record);
                QueryRow output;
                var row = shape.DecodeRow(record, key, window);
                if (shape.Source.IsTable)
                {
                    if (shape.KeyCount > 0 && key.IsNull)
                    {
                        continue;
                    }

                    if (row is null)
                    {
                        output = new QueryRow(select.Tombstone(shape.KeyOnlyRow(key, window, record.Timestamp)), IsTombstone: true);
                    }
                    else if (predicate is not null && !predicate(row))
                    {
                        continue;
                    }
                    else
                    {
                        output = new QueryRow(select.Project(row));
                    }
                }
                else
                {
                    if (row is null || (predicate is not null && !predicate(row)))
                    {
                        continue;
                    }

                    output = new QueryRow(select.Project(row));
                }

                yield return output;
                if (limit is { } max && ++count >= max)
                {
                    CompletionMessage = "Limit Reached";
                    yield break;
                }
            }
        }
    }

    protected override async ValueTask StopAsync()
    {
        // A reader in progress sees the query closed and disposes the consumer itself.
        if (Interlocked.CompareExchange(ref _state, 2, 0) == 0 && _consumer is { } consumer)
        {
            await consumer.DisposeAsync();
        }
    }
}
