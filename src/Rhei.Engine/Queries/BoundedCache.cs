using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Rhei.Engine.Queries;

/// <summary>
/// A thread-safe cache of at most about <c>limit</c> entries for the query paths (statement texts, prepared plans):
/// once full, it is emptied and fills again. Its size is kept in a counter of its own, since
/// <see cref="ConcurrentDictionary{TKey, TValue}.Count"/> takes every lock of the dictionary — on a path taken for
/// every query, with texts that keep changing (a pull query per key), that cost more than the work it saved.
/// </summary>
public sealed class BoundedCache<TKey, TValue>(int limit, IEqualityComparer<TKey>? comparer = null)
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, TValue> _entries = new(comparer);
    private int _count;

    /// <summary>The number of entries (approximate while other threads add).</summary>
    public int Count => Volatile.Read(ref _count);

    public bool IsEmpty => Count == 0;

    public bool TryGetValue(TKey key, [MaybeNullWhen(false)] out TValue value) => _entries.TryGetValue(key, out value);

    /// <summary>Adds or replaces an entry; empties the cache first when it is full.</summary>
    public void Set(TKey key, TValue value)
    {
        if (Volatile.Read(ref _count) >= limit)
        {
            Clear();
        }

        if (_entries.TryAdd(key, value))
        {
            Interlocked.Increment(ref _count);
        }
        else
        {
            _entries[key] = value;
        }
    }

    public void Remove(TKey key)
    {
        if (_entries.TryRemove(key, out _))
        {
            Interlocked.Decrement(ref _count);
        }
    }

    public void Clear()
    {
        _entries.Clear();
        Volatile.Write(ref _count, 0);
    }
}
