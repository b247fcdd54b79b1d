using Rhei.Protocol.Compression;

namespace Rhei.Protocol.Records;

/// <summary>
/// Iterates the records of one record batch v2, decompressing the records section first when the batch
/// has a codec (into a pooled buffer, capped by <see cref="MaxDecompressedBytes"/>). A reader can be
/// <see cref="Reset"/> to another batch and reused; the slices of the records it returned are valid until
/// then, or until <see cref="Dispose"/>. It does not check the CRC (see <see cref="RecordBatchHeader.Validate"/>).
/// Malformed records throw <see cref="InvalidDataException"/>.
/// </summary>
public sealed class RecordBatchReader : IDisposable
{
    private PooledBufferWriter? _decompressed;
    private ReadOnlyMemory<byte> _records;
    private int _position;
    private int _index;

    public RecordBatchReader(int maxDecompressedBytes = CompressionCodecs.DefaultMaxDecompressedBytes)
    {
        MaxDecompressedBytes = maxDecompressedBytes;
    }

    /// <summary>Opens a reader on <paramref name="batch"/> (the bytes of one whole batch).</summary>
    public static RecordBatchReader Open(ReadOnlyMemory<byte> batch, int maxDecompressedBytes = CompressionCodecs.DefaultMaxDecompressedBytes)
    {
        var reader = new RecordBatchReader(maxDecompressedBytes);
        reader.Reset(batch);
        return reader;
    }

    public int MaxDecompressedBytes { get; set; }

    public long BaseOffset { get; private set; }

    public int LastOffsetDelta { get; private set; }

    public long BaseTimestamp { get; private set; }

    public long MaxTimestamp { get; private set; }

    public int PartitionLeaderEpoch { get; private set; }

    public short Attributes { get; private set; }

    public CompressionType Compression => (CompressionType)(Attributes & RecordBatchHeader.CompressionCodecMask);

    public TimestampType TimestampType => (Attributes & RecordBatchHeader.TimestampTypeFlag) != 0 ? TimestampType.LogAppendTime : TimestampType.CreateTime;

    public bool IsTransactional => (Attributes & RecordBatchHeader.TransactionalFlag) != 0;

    public bool IsControl => (Attributes & RecordBatchHeader.ControlFlag) != 0;

    public long ProducerId { get; private set; }

    public short ProducerEpoch { get; private set; }

    public int BaseSequence { get; private set; }

    /// <summary>The recordsCount field of the batch.</summary>
    public int Count { get; private set; }

    /// <summary>The uncompressed records section (decompressed when needed).</summary>
    public ReadOnlyMemory<byte> RecordsSection => _records;

    /// <summary>Points the reader at another batch (the whole batch's bytes).</summary>
    public void Reset(ReadOnlyMemory<byte> batch)
    {
        var error = RecordBatchHeader.ValidateStructure(batch.Span, out var size);
        if (error != RecordBatchError.None)
        {
            throw new InvalidDataException($"The record batch is malformed: {error}.");
        }

        var header = new RecordBatchHeader(batch.Span);
        BaseOffset = header.BaseOffset;
        LastOffsetDelta = header.LastOffsetDelta;
        BaseTimestamp = header.BaseTimestamp;
        MaxTimestamp = header.MaxTimestamp;
        PartitionLeaderEpoch = header.PartitionLeaderEpoch;
        Attributes = header.Attributes;
        ProducerId = header.ProducerId;
        ProducerEpoch = header.ProducerEpoch;
        BaseSequence = header.BaseSequence;
        Count = header.RecordsCount;
        if (Count < 0)
        {
            throw new InvalidDataException($"The record batch at offset {BaseOffset} has a negative record count {Count}.");
        }

        var body = batch[RecordBatchHeader.RecordsOffset..size];
        _position = 0;
        _index = 0;
        if (header.Compression == CompressionType.None)
        {
            _records = body;
            return;
        }

        _decompressed ??= new PooledBufferWriter(Math.Max(256, body.Length * 4));
        _decompressed.Clear();
        CompressionCodecs.Decompress(header.Compression, body, _decompressed, MaxDecompressedBytes);
        _records = _decompressed.WrittenMemory;
    }

    /// <summary>Reads the next record; false after the last one (<see cref="Count"/> records).</summary>
    public bool TryReadNext(out Record record)
    {
        if (_index >= Count)
        {
            record = default;
            return false;
        }

        var span = _records.Span;
        var length = Varint.ReadVarInt(span, ref _position);
        if (length < 0 || length > span.Length - _position)
        {
            throw new InvalidDataException($"Record {_index} of the batch at offset {BaseOffset} has an invalid length {length}.");
        }

        var end = _position + length;
        var body = span[..end];
        var p = _position;
        if (p >= end)
        {
            throw new InvalidDataException($"Record {_index} of the batch at offset {BaseOffset} is empty.");
        }

        var attributes = body[p++];
        var timestampDelta = Varint.ReadVarLong(body, ref p);
        var offsetDelta = Varint.ReadVarInt(body, ref p);
        var key = ReadNullableBytes(body, ref p, "key");
        var value = ReadNullableBytes(body, ref p, "value");
        var headerCount = Varint.ReadVarInt(body, ref p);
        if (headerCount < 0)
        {
            throw new InvalidDataException($"Record {_index} of the batch at offset {BaseOffset} has a negative header count.");
        }

        var headersStart = p;
        SkipHeaders(body, ref p, headerCount);
        if (p != end)
        {
            throw new InvalidDataException($"Record {_index} of the batch at offset {BaseOffset} has {end - p} bytes more or less than its length says.");
        }

        var timestamp = TimestampType == TimestampType.LogAppendTime ? MaxTimestamp : BaseTimestamp + timestampDelta;
        record = new Record(
            BaseOffset + offsetDelta,
            timestamp,
            offsetDelta,
            timestampDelta,
            attributes,
            key,
            value,
            new RecordHeaders(headerCount, _records[headersStart..end]));
        _position = end;
        _index++;
        return true;
    }

    public Enumerator GetEnumerator() => new(this);

    public void Dispose()
    {
        _decompressed?.Dispose();
        _decompressed = null;
        _records = default;
        Count = 0;
    }

    private ReadOnlyMemory<byte>? ReadNullableBytes(ReadOnlySpan<byte> body, ref int p, string what)
    {
        var length = Varint.ReadVarInt(body, ref p);
        if (length < 0)
        {
            return null;
        }

        if (length > body.Length - p)
        {
            throw new InvalidDataException($"Record {_index} of the batch at offset {BaseOffset} has a {what} length {length} past its end.");
        }

        var slice = _records.Slice(p, length);
        p += length;
        return slice;
    }

    private void SkipHeaders(ReadOnlySpan<byte> body, ref int p, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var keyLength = Varint.ReadVarInt(body, ref p);
            if (keyLength < 0 || keyLength > body.Length - p)
            {
                throw new InvalidDataException($"Record {_index} of the batch at offset {BaseOffset} has a header key length {keyLength} out of range.");
            }

            p += keyLength;
            var valueLength = Varint.ReadVarInt(body, ref p);
            if (valueLength > body.Length - p)
            {
                throw new InvalidDataException($"Record {_index} of the batch at offset {BaseOffset} has a header value length {valueLength} out of range.");
            }

            if (valueLength > 0)
            {
                p += valueLength;
            }
        }
    }

    /// <summary>Enumerates the remaining records of the reader (foreach support, no allocation).</summary>
    public struct Enumerator
    {
        private readonly RecordBatchReader _reader;

        internal Enumerator(RecordBatchReader reader)
        {
            _reader = reader;
            Current = default;
        }

        public Record Current { get; private set; }

        public bool MoveNext()
        {
            var more = _reader.TryReadNext(out var record);
            Current = record;
            return more;
        }
    }
}
