namespace Rhei.Protocol.Messages;

/// <summary>
/// A tagged field this code does not know (a newer peer's addition), kept as raw bytes so it can be
/// written back unchanged.
/// </summary>
public readonly record struct RawTaggedField(int Tag, byte[] Data)
{
    public bool Equals(RawTaggedField other) => Tag == other.Tag && Data.AsSpan().SequenceEqual(other.Data);

    public override int GetHashCode() => HashCode.Combine(Tag, Data.Length);
}
