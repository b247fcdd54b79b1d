using Rhei.Client;

namespace Rhei.Server.Console;

/// <summary>A consumer group's committed offsets against the end of each partition.</summary>
internal sealed record GroupLag(string GroupId, IReadOnlyList<PartitionLag> Partitions)
{
    public long TotalLag => Partitions.Sum(p => Math.Max(0, p.Lag));

    /// <summary>Every group's lag, from the committed offsets and the high watermarks, through the admin client.</summary>
    public static async Task<IReadOnlyList<GroupLag>> ComputeAsync(IAdmin admin, CancellationToken cancellationToken)
    {
        var result = new List<GroupLag>();
        foreach (var group in await admin.ListConsumerGroupsAsync(cancellationToken))
        {
            var committed = await admin.ListConsumerGroupOffsetsAsync(group, cancellationToken);
            var ends = new Dictionary<TopicPartition, long>();
            try
            {
                foreach (var end in await admin.ListOffsetsAsync(committed.Select(c => (c.TopicPartition, OffsetSpec.Latest)), cancellationToken))
                {
                    ends[end.TopicPartition] = end.Offset;
                }
            }
            catch (AdminException)
            {
                // A topic deleted since the commit: its partitions show no end.
                foreach (var c in committed)
                {
                    try
                    {
                        var end = await admin.ListOffsetsAsync([(c.TopicPartition, OffsetSpec.Latest)], cancellationToken);
                        ends[c.TopicPartition] = end[0].Offset;
                    }
                    catch (AdminException)
                    {
                    }
                }
            }

            result.Add(new GroupLag(group, [.. committed.Select(c =>
            {
                var end = ends.TryGetValue(c.TopicPartition, out var e) ? e : -1;
                return new PartitionLag(c.Topic, c.Partition, c.Offset, end, end < 0 || c.Offset < 0 ? -1 : Math.Max(0, end - c.Offset));
            })]));
        }

        return result;
    }
}

/// <summary>One partition of a group: committed offset, high watermark and their difference (-1 when unknown).</summary>
internal sealed record PartitionLag(string Topic, int Partition, long Committed, long End, long Lag);
