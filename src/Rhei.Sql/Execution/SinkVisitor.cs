using Rhei.Sql.Functions.Scalar;
using Rhei.Sql.Planning;
using Rhei.Sql.Schema;
using Rhei.Streams;
using Rhei.Streams.Processors;

namespace Rhei.Sql.Execution;

/// <summary>
/// Writes the rows of the last step to the sink's topic with the sink's formats: tables as their changelog (deletes as
/// tombstones); the TIMESTAMP column, when the sink has one, sets each record's timestamp; LIMIT stops after n rows.
/// </summary>
internal sealed class SinkVisitor(TopologyBuilder builder, SinkStep step) : IBuiltVisitor<bool>
{
    public bool Stream<K>(KStream<K, object?[]> stream, KeyOps<K> keys)
        where K : notnull
    {
        Write(stream, keys);
        return true;
    }

    public bool Table<K>(KTable<K, object?[]> table, KeyOps<K> keys)
        where K : notnull
    {
        Write(table.ToStream(), keys);
        return true;
    }

    private void Write<K>(KStream<K, object?[]> stream, KeyOps<K> keys)
        where K : notnull
    {
        var sink = step.Sink;
        var topic = sink.KafkaTopicName;
        var keySerde = keys.FormatSerde(builder.Formats, sink.Topic.KeyFormat, sink.Schema.KeySerdeSchema(), topic);
        var valueSerde = FormatSerdes.Value(builder.Formats, sink.Topic.ValueFormat, sink.Schema.ValueSerdeSchema(), topic);
        if (step.TimestampColumn is { } index)
        {
            var format = step.TimestampFormat;
            stream = stream.ProcessValues<object?[]>((_, downstream) => new TimestampProcessor<K>(downstream, (_, v) => v?[index], format));
        }
        else if (step.TimestampKeyColumn is { } keyIndex)
        {
            var format = step.TimestampFormat;
            stream = stream.ProcessValues<object?[]>((_, downstream) => new TimestampProcessor<K>(downstream, (k, _) => keys.Key(k)[keyIndex], format));
        }

        if (step.Limit is { } limit)
        {
            stream = stream.ProcessValues<object?[]>((_, downstream) => new LimitProcessor<K>(downstream, limit));
        }

        stream.To(topic, new Produced<K, object?[]>(keySerde, valueSerde) { Partitioner = WindowedPartitioner<K>(sink, topic) });
    }

    /// <summary>
    /// A windowed key goes to the partition of its key without the window, as Kafka Streams' windowed partitioner
    /// places it: every window of a key lands in one partition, the one the unwindowed key hashes to. Null otherwise.
    /// </summary>
    private StreamPartitioner<K, object?[]>? WindowedPartitioner<K>(DataSource sink, string topic)
    {
        if (typeof(K) != typeof(Windowed<GenericKey>))
        {
            return null;
        }

        var baseKey = FormatSerdes.Key(builder.Formats, sink.Topic.KeyFormat, sink.Schema.KeySerdeSchema(), topic);
        return (t, key, _, count) => key is Windowed<GenericKey> windowed && baseKey.Serialize(windowed.Key, t) is { } bytes
            ? Streams.Runtime.Murmur2.Partition(bytes, count)
            : -1;
    }

    private sealed class TimestampProcessor<K>(Downstream<K, object?[]> downstream, Func<K, object?[]?, object?> column, string? format) : Processor<K, object?[]>
    {
        public override void Process(K key, object?[] value, long timestamp)
        {
            var ts = column(key, value) switch
            {
                long l => l,
                int i => i,
                DateTime dt => new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc)).ToUnixTimeMilliseconds(),
                string s when format is not null => Parse(s, format) ?? timestamp,
                _ => timestamp,
            };
            if (ts < 0)
            {
                return;
            }

            downstream.Forward(key, value!, ts);
        }

        private static long? Parse(string s, string format)
        {
            try
            {
                return DateTimeFunctions.StringToTimestamp(s, format);
            }
            catch (Exception)
            {
                return null;
            }
        }
    }

    private sealed class LimitProcessor<K>(Downstream<K, object?[]> downstream, int limit) : Processor<K, object?[]>
    {
        private int _count;

        public override void Process(K key, object?[] value, long timestamp)
        {
            if (_count < limit)
            {
                _count++;
                downstream.Forward(key, value, timestamp);
            }
        }
    }
}
