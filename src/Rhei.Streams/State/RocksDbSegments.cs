using System.Buffers.Binary;
using RocksDbSharp;

namespace Rhei.Streams.State;

/// <summary>
/// Time segments of a window or session store, one RocksDB column family each (segment interval
/// max(retention / 2, 60 s), as Kafka Streams sizes them). A segment whose whole range fell out of retention
/// is dropped in one step. The store's observed stream time is kept in the default column family.
/// </summary>
internal sealed class RocksDbSegments : IDisposable
{
    private static readonly byte[] ObservedKey = "observed-stream-time"u8.ToArray();
    private readonly SortedDictionary<long, ColumnFamilyHandle> _segments = [];
    private readonly long _retention;

    public RocksDbSegments(string path, long retentionMs)
    {
        Database = new RocksDbDatabase(path);
        _retention = retentionMs;
        Interval = Math.Max(retentionMs / 2, 60_000L);
        foreach (var name in Database.FamilyNames)
        {
            if (name.StartsWith("segment-", StringComparison.Ordinal) && long.TryParse(name.AsSpan(8), out var id))
            {
                _segments[id] = Database.Family(name)!;
            }
        }

        var observed = Database.Db.Get(ObservedKey);
        Observed = observed is { Length: 8 } ? BinaryPrimitives.ReadInt64BigEndian(observed) : long.MinValue;
    }

    public RocksDbDatabase Database { get; }

    public long Interval { get; }

    public long Observed { get; private set; }

    public long MinLive => Observed == long.MinValue ? long.MinValue : Observed - _retention + 1;

    public long SegmentId(long timestamp) => timestamp == long.MinValue ? long.MinValue : Math.DivRem(timestamp, Interval) is var (q, r) && r < 0 ? q - 1 : q;

    /// <summary>Advances observed time; returns the segment for <paramref name="timestamp"/>, or null when it is expired.</summary>
    public ColumnFamilyHandle? SegmentForWrite(long timestamp)
    {
        if (timestamp > Observed) { Observed = timestamp; }
        if (timestamp < MinLive) { return null; }
        var id = SegmentId(timestamp);
        if (!_segments.TryGetValue(id, out var handle))
        {
            handle = Database.GetOrCreateFamily("segment-" + id);
            _segments[id] = handle;
        }

        DropExpired();
        return handle;
    }

    /// <summary>Live segments that may hold timestamps in [from, to], oldest first.</summary>
    public List<ColumnFamilyHandle> Segments(long from, long to)
    {
        var result = new List<ColumnFamilyHandle>();
        var lo = SegmentId(Math.Max(from, MinLive));
        var hi = SegmentId(to);
        foreach (var (id, handle) in _segments)
        {
            if (id >= lo && id <= hi) { result.Add(handle); }
        }

        return result;
    }

    public void SaveObserved()
    {
        var b = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(b, Observed);
        Database.Db.Put(ObservedKey, b, null, Database.WriteOptions);
    }

    private void DropExpired()
    {
        var minLiveSegment = SegmentId(MinLive);
        while (_segments.Count > 0)
        {
            var first = _segments.Keys.First();
            if (first >= minLiveSegment) { break; }
            _segments.Remove(first);
            Database.DropFamily("segment-" + first);
        }
    }

    public void Dispose()
    {
        SaveObserved();
        Database.Dispose();
    }
}
