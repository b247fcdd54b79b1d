using Rhei.Streams.Graph;
using Rhei.Streams.Processors;
using Rhei.Streams.Runtime;

namespace Rhei.Streams.Operators;

/// <summary>Writes records to a topic (a sink, or the sink half of a repartition).</summary>
internal sealed class SinkNode<K, V>(string name, TopicName topic, Serde<K> keySerde, Serde<V> valueSerde, StreamPartitioner<K, V>? partitioner)
    : GraphNode<K, V>(name)
{
    public override NodeKind Kind => NodeKind.Sink;

    public override TopicName? SinkTopic => topic;

    public Serde<K> KeySerde => keySerde;

    public Serde<V> ValueSerde => valueSerde;

    public StreamPartitioner<K, V>? Partitioner => partitioner;

    public Processor<K, V> Get(TaskBuilder builder) => builder.GetOrCreate(this, b => new SinkProcessor(this, topic.Resolve(b.Context.ApplicationId), b.Task));

    private sealed class SinkProcessor(SinkNode<K, V> node, string topic, StreamTask task) : Processor<K, V>
    {
        private readonly RecordCollector _collector = task.Collector;
        private int _partitionCount = -1;

        public override void Process(K key, V value, long timestamp)
        {
            byte[]? k, v;
            try
            {
                k = node.KeySerde.Serialize(key, topic);
            }
            catch (Exception ex)
            {
                Report(ex, "key", key, value);
                return;
            }

            try
            {
                v = node.ValueSerde.Serialize(value, topic);
            }
            catch (Exception ex)
            {
                Report(ex, "value", key, value);
                return;
            }

            var partition = -1;
            if (node.Partitioner is { } partitioner)
            {
                if (_partitionCount < 0) { _partitionCount = _collector.PartitionCount(topic); }
                if (_partitionCount > 0) { partition = partitioner(topic, key, value, _partitionCount); }
            }

            _collector.Send(topic, partition, k, v, timestamp, task.Context.Headers);
        }

        private void Report(Exception ex, string target, K key, V value) =>
            task.Report(new ProcessingError
            {
                Type = ProcessingErrorType.SerializationError,
                Exception = ex,
                TaskId = task.Id,
                ProcessorName = node.Name,
                Target = target,
                Topic = topic,
                Partition = task.Context.Partition,
                Offset = task.Context.Offset,
                Timestamp = task.Context.Timestamp,
                Record = $"key={key}, value={value}",
            }, task.Options.ProcessingErrorHandler);
    }
}
