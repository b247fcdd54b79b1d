using Rhei.Streams.Graph;
using Rhei.Streams.Processors;
using Rhei.Streams.Runtime;

namespace Rhei.Streams.Operators;

/// <summary>Reads topics: deserializes each record and takes its timestamp, then forwards it.</summary>
internal sealed class SourceNode<K, V>(string name, IReadOnlyList<TopicName> topics, Serde<K> keySerde, Serde<V> valueSerde, TimestampExtractor<K, V>? extractor)
    : GraphNode<K, V>(name)
{
    public override NodeKind Kind => NodeKind.Source;

    public override IReadOnlyList<TopicName> SourceTopics => topics;

    public Serde<K> KeySerde => keySerde;

    public Serde<V> ValueSerde => valueSerde;

    public TimestampExtractor<K, V>? Extractor => extractor;

    public override void BuildSource(TaskBuilder builder)
    {
        var downstream = builder.GetOrCreate(this, b => new SourceProcessor(Downstream(b))).Downstream;
        foreach (var t in topics)
        {
            builder.AddSlot(t.Resolve(builder.Context.ApplicationId), new Slot(this, downstream, builder.Task));
        }
    }

    private sealed class SourceProcessor(Downstream<K, V> downstream) : Processor
    {
        public Downstream<K, V> Downstream { get; } = downstream;
    }

    private sealed class Slot(SourceNode<K, V> node, Downstream<K, V> downstream, StreamTask task) : SourceSlot
    {
        private K _key = default!;
        private V _value = default!;

        public override bool Prepare(in RawRecord raw, string topic, int partition, long partitionTime)
        {
            try
            {
                _key = node.KeySerde.Deserialize(raw.KeySpan, raw.Key is null, topic);
            }
            catch (Exception ex)
            {
                Report(ex, "key", in raw, topic, partition);
                return false;
            }

            try
            {
                _value = node.ValueSerde.Deserialize(raw.ValueSpan, raw.Value is null, topic);
            }
            catch (Exception ex)
            {
                Report(ex, "value", in raw, topic, partition);
                return false;
            }

            long ts = raw.Timestamp;
            if (node.Extractor is null && task.Options.DefaultTimestampExtractor is { } defaultExtractor)
            {
                ts = defaultExtractor(raw.Timestamp, partitionTime);
            }
            else if (node.Extractor is { } extractor)
            {
                try
                {
                    ts = extractor(_key, _value, raw.Timestamp, partitionTime);
                }
                catch (Exception ex)
                {
                    task.Report(new ProcessingError
                    {
                        Type = ProcessingErrorType.RecordProcessingError,
                        Exception = new InvalidOperationException($"Could not extract the timestamp: {ex.Message}", ex),
                        TaskId = task.Id,
                        ProcessorName = node.Name,
                        Topic = topic,
                        Partition = partition,
                        Offset = raw.Offset,
                        Timestamp = raw.Timestamp,
                        RawKey = raw.KeyCopy(),
                        RawValue = raw.ValueCopy(),
                    }, task.Options.ProcessingErrorHandler);
                    return false;
                }
            }

            if (ts < 0)
            {
                task.DroppedRecords++;
                return false;
            }

            Timestamp = ts;
            return true;
        }

        private void Report(Exception ex, string target, in RawRecord raw, string topic, int partition) =>
            task.Report(new ProcessingError
            {
                Type = ProcessingErrorType.DeserializationError,
                Exception = ex,
                TaskId = task.Id,
                ProcessorName = node.Name,
                Target = target,
                Topic = topic,
                Partition = partition,
                Offset = raw.Offset,
                Timestamp = raw.Timestamp,
                RawKey = raw.KeyCopy(),
                RawValue = raw.ValueCopy(),
            }, task.Options.DeserializationErrorHandler);

        public override void Process() => downstream.Forward(_key, _value, Timestamp);

        public override void Clear()
        {
            _key = default!;
            _value = default!;
        }
    }
}
