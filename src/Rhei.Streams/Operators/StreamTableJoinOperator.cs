using Rhei.Streams.Graph;
using Rhei.Streams.Processors;

namespace Rhei.Streams.Operators;

/// <summary>
/// Stream-table join: each stream record looks up the table's current value for its key (the table side
/// only updates state; it never triggers output). Records with a null key or value are dropped; the inner
/// join also drops records without a table value. The output keeps the stream record's timestamp.
/// </summary>
internal static class StreamTableJoinOperator
{
    public static KStream<K, VR> Join<K, V, VT, VR>(KStream<K, V> stream, KTable<K, VT> table, Func<K, V, VT, VR> joiner, Joined<K, V, VT> joined, bool left)
        where K : notnull
    {
        var builder = stream.Builder;
        var name = builder.Name(joined.Name, left ? "KSTREAM-LEFTJOIN-" : "KSTREAM-JOIN-");
        var input = stream.RepartitionRequired
            ? stream.RepartitionThrough(name + "-left", joined.KeySerde ?? stream.KeySerde, joined.ValueSerde ?? stream.ValueSerde, null)
            : stream;
        var getter = table.State.RequireGetter();
        var node = builder.Add(new ProcessorGraphNode<K, V, K, VR>(name, (b, ds) => new Processor<K, V, VT, VR>(getter.Create(b), joiner, left, ds))).From(input.Node);
        node.StoreNames.AddRange(getter.Stores);
        builder.RequireCopartition(StreamsBuilder.UpstreamSourceTopics(input.Node).Concat(StreamsBuilder.UpstreamSourceTopics(table.Node)));
        return new KStream<K, VR>(builder, node, input.KeySerde, null, false);
    }

    private sealed class Processor<K, V, VT, VR>(ValueGetter<K, VT> getter, Func<K, V, VT, VR> joiner, bool left, Downstream<K, VR> downstream)
        : Processor<K, V>
    {
        private ProcessorContext? _context;

        public override void Init(ProcessorContext context) => _context = context;

        public override void Process(K key, V value, long timestamp)
        {
            if (key is null || value is null)
            {
                _context?.RecordDropped("null key or value in stream-table join");
                return;
            }

            var found = getter(key, out var tv);
            if (!found && !left) { return; }
            downstream.Forward(key, joiner(key, value, found ? tv.Value : default!), timestamp);
        }
    }
}
