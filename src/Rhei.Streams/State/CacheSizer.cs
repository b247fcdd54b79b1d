namespace Rhei.Streams.State;

/// <summary>
/// Estimates the serialized sizes of cache entries for the cache budget: the first entries are measured by
/// serializing them, then one in every 16, and the others take the running average, so that filling the cache
/// does not serialize every key and value a second time.
/// </summary>
internal sealed class CacheSizer<K, V>(KeyCodec<K> keys, ValueCodec<V> values, string topic)
{
    private const int Exact = 64;
    private long _keyCount;
    private long _keyTotal;
    private long _valueCount;
    private long _valueTotal;

    public int KeySize(K key)
    {
        if (!keys.CanSerialize) { return 0; }
        if (_keyCount >= Exact && (_keyCount & 15) != 0)
        {
            _keyCount++;
            _keyTotal += _keyTotal / (_keyCount - 1);
            return (int)(_keyTotal / _keyCount);
        }

        var size = keys.Serialize(key).Length;
        _keyCount++;
        _keyTotal += size;
        return size;
    }

    public int ValueSize(V value)
    {
        if (!values.CanSerialize) { return 0; }
        if (_valueCount >= Exact && (_valueCount & 15) != 0)
        {
            _valueCount++;
            _valueTotal += _valueTotal / (_valueCount - 1);
            return (int)(_valueTotal / _valueCount);
        }

        var size = values.Serialize(value, topic)?.Length ?? 0;
        _valueCount++;
        _valueTotal += size;
        return size;
    }
}
