using System.Buffers.Binary;

namespace Rhei.Storage.Segments;

/// <summary>
/// The sparse offset index of a segment: (offset relative to the segment base, file position) of a batch
/// start, one entry each <c>index.interval.bytes</c>. Kept in memory; written to <c>.index</c> (8 bytes an
/// entry, big-endian) when the segment is rolled or closed. Appends come from one writer at a time; readers
/// run concurrently without locks (entries are published before the count).
/// </summary>
internal sealed class OffsetIndex
{
    public const int EntrySize = 8;

    private Entry[] _entries = new Entry[8];
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public (int RelativeOffset, int Position) Last
    {
        get
        {
            var count = Count;
            var entries = Volatile.Read(ref _entries);
            return count == 0 ? (-1, -1) : (entries[count - 1].RelativeOffset, entries[count - 1].Position);
        }
    }

    public void Append(int relativeOffset, int position)
    {
        var count = _count;
        if (count == _entries.Length)
        {
            var grown = new Entry[count * 2];
            Array.Copy(_entries, grown, count);
            Volatile.Write(ref _entries, grown);
        }

        _entries[count] = new Entry(relativeOffset, position);
        Volatile.Write(ref _count, count + 1);
    }

    /// <summary>The entry with the largest relative offset ≤ <paramref name="relativeOffset"/>; (0, 0) when none.</summary>
    public (int RelativeOffset, int Position) Lookup(long relativeOffset)
    {
        var count = Count;
        var entries = Volatile.Read(ref _entries);
        int lo = 0, hi = count - 1, found = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (entries[mid].RelativeOffset <= relativeOffset)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return found < 0 ? (0, 0) : (entries[found].RelativeOffset, entries[found].Position);
    }

    public void Write(string path)
    {
        var count = Count;
        var bytes = new byte[count * EntrySize];
        for (var i = 0; i < count; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(i * EntrySize), _entries[i].RelativeOffset);
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(i * EntrySize + 4), _entries[i].Position);
        }

        SegmentFiles.WriteAtomically(path, bytes);
    }

    /// <summary>
    /// Loads an index file, or returns null with the reason when it cannot be trusted: a size that is not a
    /// multiple of 8, entries that do not grow, negative values, or a position at or past the log's end.
    /// </summary>
    public static OffsetIndex? TryLoad(string path, long logSize, out string? problem)
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

        var index = new OffsetIndex();
        int lastOffset = -1, lastPosition = -1;
        for (var i = 0; i < bytes.Length; i += EntrySize)
        {
            var relative = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(i));
            var position = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(i + 4));
            if (relative <= lastOffset || position <= lastPosition || relative < 0 || position < 0)
            {
                problem = $"entry {i / EntrySize} ({relative}, {position}) does not follow ({lastOffset}, {lastPosition})";
                return null;
            }

            if (position >= logSize)
            {
                problem = $"entry {i / EntrySize} points at position {position}, past the log's end {logSize}";
                return null;
            }

            index.Append(relative, position);
            lastOffset = relative;
            lastPosition = position;
        }

        return index;
    }

    private readonly record struct Entry(int RelativeOffset, int Position);
}
