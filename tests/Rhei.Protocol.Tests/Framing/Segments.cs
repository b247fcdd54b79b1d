using System.Buffers;

namespace Rhei.Protocol.Tests.Framing;

/// <summary>Builds multi-segment sequences, as a socket pipe delivers them.</summary>
internal static class Segments
{
    /// <summary>Splits <paramref name="bytes"/> at the given offsets (ascending) into a chained sequence.</summary>
    public static ReadOnlySequence<byte> Split(byte[] bytes, params int[] offsets)
    {
        var bounds = new List<int> { 0 };
        bounds.AddRange(offsets);
        bounds.Add(bytes.Length);
        Segment? first = null;
        Segment? last = null;
        for (var i = 0; i + 1 < bounds.Count; i++)
        {
            // Each piece gets its own array, so no segment can read past its end into its neighbour.
            var piece = bytes.AsSpan(bounds[i], bounds[i + 1] - bounds[i]).ToArray();
            if (last is null)
            {
                first = last = new Segment(piece, 0);
            }
            else
            {
                last = last.Append(piece);
            }
        }
        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
