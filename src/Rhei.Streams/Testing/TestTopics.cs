using Rhei.Client;
using Rhei.Streams.Runtime;

namespace Rhei.Streams.Testing;

/// <summary>A record stored in a <see cref="TestTopics"/> topic.</summary>
public sealed record TestTopicRecord(string Topic, int Partition, long Offset, byte[]? Key, byte[]? Value, long Timestamp, IReadOnlyList<RecordHeader> Headers);

/// <summary>
/// In-memory topics for the test driver: inputs, outputs, repartition topics, changelogs and the
/// processing-log topic. Pass one instance to several drivers to restart an application on the same data.
/// </summary>
public sealed class TestTopics
{
    private sealed class Topic(int partitions)
    {
        public readonly List<TestTopicRecord>[] Partitions = [.. Enumerable.Range(0, partitions).Select(_ => new List<TestTopicRecord>())];
        public readonly List<TestTopicRecord> All = [];
        public int RoundRobin;
    }

    private readonly Dictionary<string, Topic> _topics = new(StringComparer.Ordinal);
    private readonly Lock _sync = new();

    /// <summary>Creates a topic with this many partitions (a topic first used without being created has one).</summary>
    public void CreateTopic(string name, int partitions)
    {
        if (partitions < 1) { throw new ArgumentOutOfRangeException(nameof(partitions), "A topic needs at least one partition."); }
        lock (_sync)
        {
            if (_topics.TryGetValue(name, out var existing))
            {
                if (existing.Partitions.Length != partitions)
                {
                    throw new InvalidOperationException($"Topic {name} already exists with {existing.Partitions.Length} partitions.");
                }

                return;
            }

            _topics[name] = new Topic(partitions);
        }
    }

    public bool Exists(string name)
    {
        lock (_sync) { return _topics.ContainsKey(name); }
    }

    public int PartitionCount(string name)
    {
        lock (_sync) { return GetOrCreate(name).Partitions.Length; }
    }

    public IReadOnlyList<string> Names
    {
        get { lock (_sync) { return [.. _topics.Keys]; } }
    }

    /// <summary>Appends a record; partition -1 picks one as Kafka's default partitioner does. Returns (partition, offset).</summary>
    public (int Partition, long Offset) Append(string topic, int partition, byte[]? key, byte[]? value, long timestamp, IReadOnlyList<RecordHeader>? headers = null)
    {
        lock (_sync)
        {
            var t = GetOrCreate(topic);
            if (partition < 0)
            {
                partition = key is null ? t.RoundRobin++ % t.Partitions.Length : Murmur2.Partition(key, t.Partitions.Length);
            }
            else if (partition >= t.Partitions.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(partition), $"Topic {topic} has {t.Partitions.Length} partitions; there is no partition {partition}.");
            }

            var list = t.Partitions[partition];
            var record = new TestTopicRecord(topic, partition, list.Count, key, value, timestamp, headers ?? []);
            list.Add(record);
            t.All.Add(record);
            return (partition, record.Offset);
        }
    }

    /// <summary>The records of one partition from an offset on.</summary>
    public IReadOnlyList<TestTopicRecord> Read(string topic, int partition, long fromOffset = 0)
    {
        lock (_sync)
        {
            if (!_topics.TryGetValue(topic, out var t) || partition >= t.Partitions.Length) { return []; }
            var list = t.Partitions[partition];
            return fromOffset >= list.Count ? [] : list.GetRange((int)fromOffset, list.Count - (int)fromOffset);
        }
    }

    /// <summary>All records of a topic in the order they were appended.</summary>
    public IReadOnlyList<TestTopicRecord> ReadAll(string topic)
    {
        lock (_sync) { return _topics.TryGetValue(topic, out var t) ? [.. t.All] : []; }
    }

    /// <summary>How many records a topic holds (all partitions).</summary>
    public int Count(string topic)
    {
        lock (_sync) { return _topics.TryGetValue(topic, out var t) ? t.All.Count : 0; }
    }

    internal TestTopicRecord? At(string topic, int index)
    {
        lock (_sync) { return _topics.TryGetValue(topic, out var t) && index < t.All.Count ? t.All[index] : null; }
    }

    public long EndOffset(string topic, int partition)
    {
        lock (_sync) { return _topics.TryGetValue(topic, out var t) && partition < t.Partitions.Length ? t.Partitions[partition].Count : 0; }
    }

    private Topic GetOrCreate(string name)
    {
        if (!_topics.TryGetValue(name, out var t)) { _topics[name] = t = new Topic(1); }
        return t;
    }
}
