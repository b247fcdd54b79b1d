namespace Rhei.Client.Embedded;

/// <summary>
/// Kafka's range assignment: for each topic, the members subscribed to it, sorted by member id, take
/// contiguous ranges of its partitions in order, the first ones one more when the count does not divide.
/// Topics with the same partition count and the same members line up partition by partition, which is what
/// co-partitioned joins need.
/// </summary>
public static class RangeAssignor
{
    /// <summary>Assigns the partitions of every subscribed topic (<paramref name="partitionCount"/> 0 = missing, skipped).</summary>
    public static Dictionary<string, List<TopicPartition>> Assign(IReadOnlyDictionary<string, IReadOnlyCollection<string>> subscriptions, Func<string, int> partitionCount)
    {
        var result = new Dictionary<string, List<TopicPartition>>(StringComparer.Ordinal);
        foreach (var member in subscriptions.Keys)
        {
            result[member] = [];
        }

        var topics = subscriptions.Values.SelectMany(t => t).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (var topic in topics)
        {
            var count = partitionCount(topic);
            if (count <= 0)
            {
                continue;
            }

            var members = subscriptions.Where(s => s.Value.Contains(topic)).Select(s => s.Key).Order(StringComparer.Ordinal).ToList();
            var each = count / members.Count;
            var extra = count % members.Count;
            for (var i = 0; i < members.Count; i++)
            {
                var start = (each * i) + Math.Min(i, extra);
                var length = each + (i < extra ? 1 : 0);
                for (var p = start; p < start + length; p++)
                {
                    result[members[i]].Add(new TopicPartition(topic, p));
                }
            }
        }

        return result;
    }
}
