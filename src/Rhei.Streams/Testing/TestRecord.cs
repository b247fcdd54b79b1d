using Rhei.Client;

namespace Rhei.Streams.Testing;

/// <summary>A record piped into or read from the test driver.</summary>
public sealed record TestRecord<K, V>(K Key, V Value, long Timestamp)
{
    public IReadOnlyList<RecordHeader> Headers { get; init; } = [];

    /// <summary>Input: the partition to write to (-1: Kafka's default partitioner). Output: the partition written.</summary>
    public int Partition { get; init; } = -1;
}

/// <summary>Pipes records into one topic of a <see cref="TopologyTestDriver"/>.</summary>
public sealed class TestInputTopic<K, V>
{
    private readonly TopologyTestDriver _driver;
    private readonly Serde<K> _keySerde;
    private readonly Serde<V> _valueSerde;

    internal TestInputTopic(TopologyTestDriver driver, string topic, Serde<K> keySerde, Serde<V> valueSerde)
    {
        _driver = driver;
        Topic = topic;
        _keySerde = keySerde;
        _valueSerde = valueSerde;
    }

    public string Topic { get; }

    public void PipeInput(K key, V value, long timestamp, IReadOnlyList<RecordHeader>? headers = null, int partition = -1) =>
        _driver.PipeRaw(Topic, partition, _keySerde.Serialize(key, Topic), _valueSerde.Serialize(value, Topic), timestamp, headers);

    public void PipeInput(TestRecord<K, V> record) => PipeInput(record.Key, record.Value, record.Timestamp, record.Headers, record.Partition);

    /// <summary>Pipes raw bytes (for records a serde cannot produce, such as malformed ones).</summary>
    public void PipeRawInput(byte[]? key, byte[]? value, long timestamp, IReadOnlyList<RecordHeader>? headers = null, int partition = -1) =>
        _driver.PipeRaw(Topic, partition, key, value, timestamp, headers);
}

/// <summary>Reads what the topology wrote to one topic, in order; each read consumes.</summary>
public sealed class TestOutputTopic<K, V>
{
    private readonly TestTopics _topics;
    private readonly Serde<K> _keySerde;
    private readonly Serde<V> _valueSerde;
    private int _next;

    internal TestOutputTopic(TestTopics topics, string topic, Serde<K> keySerde, Serde<V> valueSerde)
    {
        _topics = topics;
        Topic = topic;
        _keySerde = keySerde;
        _valueSerde = valueSerde;
    }

    public string Topic { get; }

    public int QueueSize => _topics.Count(Topic) - _next;

    public bool IsEmpty => QueueSize == 0;

    public TestRecord<K, V> ReadRecord()
    {
        var r = _topics.At(Topic, _next) ?? throw new InvalidOperationException($"No more records in output topic {Topic}.");
        _next++;
        return new TestRecord<K, V>(
            _keySerde.Deserialize(r.Key, r.Key is null, Topic),
            _valueSerde.Deserialize(r.Value, r.Value is null, Topic),
            r.Timestamp)
        { Headers = r.Headers, Partition = r.Partition };
    }

    public List<TestRecord<K, V>> ReadRecordsToList()
    {
        var list = new List<TestRecord<K, V>>();
        while (!IsEmpty) { list.Add(ReadRecord()); }
        return list;
    }

    public List<KeyValuePair<K, V>> ReadKeyValuesToList() => ReadRecordsToList().ConvertAll(r => new KeyValuePair<K, V>(r.Key, r.Value));
}
