using Rhei.Streams.Processors;
using Rhei.Streams.State;

namespace Rhei.Streams.Operators;

/// <summary>
/// Forwards the updates of a materialized table node. With a record cache in front of the store the
/// forwarding happens when the cache flushes (de-duplicated per key); without one, at once. A delete of a
/// key the store never held is not forwarded (as Kafka Streams' cached stores drop it).
/// </summary>
internal sealed class TableForwarder<K, V>
    where K : notnull
{
    private readonly Downstream<K, Change<V>> _downstream;
    private readonly Func<bool> _sendOldValues;
    private readonly bool _cached;

    public TableForwarder(IKeyValueStore<K, ValueAndTimestamp<V>> store, Downstream<K, Change<V>> downstream, Func<bool> sendOldValues)
    {
        _downstream = downstream;
        _sendOldValues = sendOldValues;
        if (store is CachingKeyValueStore<K, ValueAndTimestamp<V>> cache)
        {
            _cached = true;
            cache.FlushListener = (key, newValue, oldValue, hadOld, ts) =>
                _downstream.Forward(key, new Change<V>(newValue.Value, _sendOldValues() && hadOld ? oldValue.Value : default!), ts);
        }
    }

    public void MaybeForward(K key, V newValue, V oldValue, bool storeHadOld, long timestamp)
    {
        if (_cached) { return; }
        if (newValue is null && !storeHadOld) { return; }
        _downstream.Forward(key, new Change<V>(newValue, _sendOldValues() ? oldValue : default!), timestamp);
    }
}
