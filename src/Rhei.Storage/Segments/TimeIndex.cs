using System.Buffers.Binary;

namespace Rhei.Storage.Segments;

/// <summary>
/// The sparse time index of a segment: (largest timestamp so far, relative offset of the batch that has it),
/// timestamps strictly growing. Written to <c>.timeindex</c> (12 bytes an entry, big-endian) at roll/close.
/// Same concurrency contract as <see cref="OffsetIndex"/>.
/// </summary>
internal sealed class TimeIndex
{
    public const int EntrySize = 12;

    private Entry[] _entries = new Entry[8];
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public long LastTimestamp
    {
        get
        {
            var count = Count;
            return count == 0 ? -1 : Volatile.Read(ref _entries)[count - 1].Timestamp;
        }
    }

    /// <summary>Appends when <paramref name="timestamp"/> is larger than the last entry's.</summary>
    public void MaybeAppend(long timestamp, int relativeOffset)
    {
        var count = _count;
        if (count > 0 && (timestamp <= _entries[count - 1].Timestamp || relativeOffset < _entries[count - 1].RelativeOffset))
        {
            return;
        }

        if (count == _entries.Length)
        {
            var grown = new Entry[count * 2];
            Array.Copy(_entries, grown, count);
            Volatile.Write(ref _entries, grown);
        }

        _entries[count] = new Entry(timestamp, relativeOffset);
        Volatile.Write(ref _count, count + 1);
    }

    /// <summary>
    /// The relative offset of the last entry whose timestamp is below <paramref name="timestamp"/>: every batch
    /// before that offset has smaller timestamps, so a search for the first batch reaching the timestamp can
    /// start there. 0 when none.
    /// </summary>
    public int LookupBelow(long timestamp)
    {
        var count = Count;
        var entries = Volatile.Read(ref _entries);
        int lo = 0, hi = count - 1, found = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (entries[mid].Timestamp < timestamp)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return found < 0 ? 0 : entries[found].RelativeOffset;
    }

    public void Write(string path)
    {
        var count = Count;
        var bytes = new byte[count * EntrySize];
        for (var i = 0; i < count; i++)
        {
            BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(i * EntrySize), _entries[i].Timestamp);
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(i * EntrySize + 8), _entries[i].RelativeOffset);
        }

        SegmentFiles.WriteAtomically(path, bytes);
    }

    /// <summary>Loads a time index, or null with the reason when its size or order is wrong or an offset is past <paramref name="nextRelativeOffset"/>.</summary>
    public static TimeIndex? TryLoad(string path, long nextRelativeOffset, out string? problem)
    {
        problem = null;
        if (!File.Exists(path))
        {
            problem = "missing";
            return null;
        }

        var bytes = File.ReadAllBytes(path);
        if (bytes.Length % EntrySize != 0)
        {
            problem = $"size {bytes.Length} is not a multiple of {EntrySize}";
            return null;
        }

        var index = new TimeIndex();
        long lastTimestamp = long.MinValue;
        var lastOffset = -1;
        for (var i = 0; i < bytes.Length; i += EntrySize)
        {
            var timestamp = BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(i));
            var relative = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(i + 8));
            if (timestamp <= lastTimestamp || relative < lastOffset || relative < 0)
            {
                problem = $"entry {i / EntrySize} ({timestamp}, {relative}) does not follow ({lastTimestamp}, {lastOffset})";
                return null;
            }

            if (relative >= nextRelativeOffset)
            {
                problem = $"entry {i / EntrySize} points at relative offset {relative}, past the segment's end {nextRelativeOffset}";
                return null;
            }

            index.MaybeAppend(timestamp, relative);
            lastTimestamp = timestamp;
            lastOffset = relative;
        }

        return index;
    }

    private readonly record struct Entry(long Timestamp, int RelativeOffset);
}
