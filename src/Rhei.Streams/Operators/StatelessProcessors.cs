using Rhei.Streams.Processors;

namespace Rhei.Streams.Operators;

/// <summary>Forwards the records that pass a predicate.</summary>
internal sealed class FilterProcessor<K, V>(Func<K, V, bool> predicate, bool not, Downstream<K, V> downstream) : Processor<K, V>
{
    public override void Process(K key, V value, long timestamp)
    {
        if (predicate(key, value) != not) { downstream.Forward(key, value, timestamp); }
    }
}

/// <summary>Replaces the value.</summary>
internal sealed class MapValuesProcessor<K, V, VR>(Func<K, V, VR> mapper, Downstream<K, VR> downstream) : Processor<K, V>
{
    public override void Process(K key, V value, long timestamp) => downstream.Forward(key, mapper(key, value), timestamp);
}

/// <summary>Replaces the value, with access to the record's metadata.</summary>
internal sealed class TransformValuesProcessor<K, V, VR>(Func<K, V, ProcessorContext, VR> mapper, Downstream<K, VR> downstream) : Processor<K, V>
{
    private ProcessorContext _context = null!;

    public override void Init(ProcessorContext context) => _context = context;

    public override void Process(K key, V value, long timestamp) => downstream.Forward(key, mapper(key, value, _context), timestamp);
}

/// <summary>Replaces key and value.</summary>
internal sealed class MapProcessor<K, V, KR, VR>(Func<K, V, (KR Key, VR Value)> mapper, Downstream<KR, VR> downstream) : Processor<K, V>
{
    public override void Process(K key, V value, long timestamp)
    {
        var (k, v) = mapper(key, value);
        downstream.Forward(k, v, timestamp);
    }
}

/// <summary>Replaces one record by any number (each with the input's timestamp).</summary>
internal sealed class FlatMapProcessor<K, V, KR, VR>(Func<K, V, IEnumerable<(KR Key, VR Value)>> mapper, Downstream<KR, VR> downstream) : Processor<K, V>
{
    public override void Process(K key, V value, long timestamp)
    {
        foreach (var (k, v) in mapper(key, value)) { downstream.Forward(k, v, timestamp); }
    }
}

internal sealed class FlatMapValuesProcessor<K, V, VR>(Func<K, V, IEnumerable<VR>> mapper, Downstream<K, VR> downstream) : Processor<K, V>
{
    public override void Process(K key, V value, long timestamp)
    {
        foreach (var v in mapper(key, value)) { downstream.Forward(key, v, timestamp); }
    }
}

/// <summary>Calls an action and forwards unchanged (Peek), or only calls it (ForEach: no children).</summary>
internal sealed class PeekProcessor<K, V>(Action<K, V> action, Downstream<K, V> downstream) : Processor<K, V>
{
    public override void Process(K key, V value, long timestamp)
    {
        action(key, value);
        downstream.Forward(key, value, timestamp);
    }
}

/// <summary>Forwards unchanged (merge points, repartition sources).</summary>
internal sealed class PassThroughProcessor<K, V>(Downstream<K, V> downstream) : Processor<K, V>
{
    public override void Process(K key, V value, long timestamp) => downstream.Forward(key, value, timestamp);
}

/// <summary>Drops records with a null key (before a repartition or a keyed operation).</summary>
internal sealed class NullKeyFilterProcessor<K, V>(Downstream<K, V> downstream) : Processor<K, V>
{
    private ProcessorContext? _context;

    public override void Init(ProcessorContext context) => _context = context;

    public override void Process(K key, V value, long timestamp)
    {
        if (key is null)
        {
            _context?.RecordDropped("null key");
            return;
        }

        downstream.Forward(key, value, timestamp);
    }
}
