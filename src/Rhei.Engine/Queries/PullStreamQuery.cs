using System.Runtime.CompilerServices;
using Rhei.Client;

namespace Rhei.Engine.Queries;

/// <summary>
/// A pull query on a stream: a bounded read of the stream's topic, from the beginning to the end it had when the query
/// started, filtered, projected, limited. Ends with ksqlDB's completion message: "Limit Reached" when the LIMIT cut the
/// read short (at once for LIMIT 0), "Query Completed" when the read reached the ends.
/// </summary>
internal sealed class PullStreamQuery(string queryId, SimpleSelect select, SourceRowShape shape, IClientFactory clients, int? limit)
    : TransientQuery(queryId, QueryKind.Pull, select.Columns, isTable: false, select.StatementText)
{
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(100);

    public override async IAsyncEnumerable<QueryRow> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (limit is <= 0)
        {
            CompletionMessage = "Limit Reached";
            yield break;
        }

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, Closed);
        var topic = shape.Source.KafkaTopicName;
        long[] ends;
        await using (var admin = clients.CreateAdmin())
        {
            var partitions = (await admin.DescribeTopicsAsync([topic], cancel.Token))[0].Partitions;
            var offsets = await admin.ListOffsetsAsync(Enumerable.Range(0, partitions).Select(p => (new TopicPartition(topic, p), OffsetSpec.Latest)), cancel.Token);
            ends = new long[partitions];
            foreach (var o in offsets)
            {
                ends[o.TopicPartition.Partition] = o.Offset;
            }
        }

        await using var consumer = clients.CreateConsumer(new ConsumerOptions { ClientId = "rhei-pull-" + QueryId, MaxPollRecords = 2000 });
        consumer.Assign(Enumerable.Range(0, ends.Length).Select(p => new TopicPartitionOffset(topic, p, Offsets.Beginning)));
        var remaining = Enumerable.Range(0, ends.Length).Where(p => consumer.Position(new TopicPartition(topic, p)) < ends[p]).ToHashSet();
        var count = 0;
        var predicate = select.Predicate;
        while (remaining.Count > 0)
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
                if (record.Offset >= ends[record.Partition])
                {
                    continue;
                }

                var (key, window) = shape.DecodeKey(record);
                var row = shape.DecodeRow(record, key, window);
                if (row is null || (predicate is not null && !predicate(row)))
                {
                    continue;
                }

                yield return new QueryRow(select.Project(row));
                if (limit is { } max && ++count >= max)
                {
                    CompletionMessage = "Limit Reached";
                    yield break;
                }
            }

            remaining.RemoveWhere(p => consumer.Position(new TopicPartition(topic, p)) >= ends[p]);
        }

        CompletionMessage = "Query Completed";
    }
}
