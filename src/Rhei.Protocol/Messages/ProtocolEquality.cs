namespace Rhei.Protocol.Messages;

/// <summary>Value equality helpers used by the generated messages' <c>Equals</c>.</summary>
public static class ProtocolEquality
{
    public static bool BytesEqual(byte[]? left, byte[]? right)
    {
        if (left is null || right is null)
        {
            return left is null && right is null;
        }
        return left.AsSpan().SequenceEqual(right);
    }

    public static bool RecordsEqual(ReadOnlyMemory<byte>? left, ReadOnlyMemory<byte>? right)
    {
        if (left is not { } l || right is not { } r)
        {
            return left is null && right is null;
        }
        return l.Span.SequenceEqual(r.Span);
    }

    public static bool ListsEqual<T>(List<T>? left, List<T>? right)
    {
        if (left is null || right is null)
        {
            return left is null && right is null;
        }
        if (left.Count != right.Count)
        {
            return false;
        }
        var comparer = EqualityComparer<T>.Default;
        for (var i = 0; i < left.Count; i++)
        {
            if (!comparer.Equals(left[i], right[i]))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Unknown tagged fields compare equal when both sides have none (null or empty).</summary>
    public static bool TaggedFieldsEqual(List<RawTaggedField>? left, List<RawTaggedField>? right)
    {
        if (left is null || left.Count == 0)
        {
            return right is null || right.Count == 0;
        }
        return ListsEqual(left, right);
    }
}
