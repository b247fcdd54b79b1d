namespace Rhei.Protocol.Records;

/// <summary>Splits a run of concatenated record batches (a Produce or Fetch records field, a log segment).</summary>
public static class RecordBatches
{
    /// <summary>
    /// Enumerates the whole batches at the start of <paramref name="records"/>; stops silently at a partial
    /// trailing batch (a Fetch response may end with one). Does not check CRCs.
    /// </summary>
    public static Enumerable Enumerate(ReadOnlyMemory<byte> records) => new(records);

    public readonly struct Enumerable(ReadOnlyMemory<byte> records)
    {
        public Enumerator GetEnumerator() => new(records);
    }

    public struct Enumerator(ReadOnlyMemory<byte> records)
    {
        private int _position;

        public ReadOnlyMemory<byte> Current { get; private set; }

        public bool MoveNext()
        {
            var rest = records.Span[_position..];
            if (RecordBatchHeader.ValidateStructure(rest, out var size) != RecordBatchError.None)
            {
                return false;
            }

            Current = records.Slice(_position, size);
            _position += size;
            return true;
        }
    }
}
