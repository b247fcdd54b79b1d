using System.Buffers;
using System.Buffers.Binary;
using Rhei.Protocol.Compression;

namespace Rhei.Protocol.Records;

/// <summary>
/// Builds one record batch v2: add records, then <see cref="Build()"/> (or <see cref="WriteTo"/>). Records
/// are encoded into a pooled buffer as they are added; the codec runs once at build. Timestamps are
/// absolute milliseconds; the base timestamp is the first record's unless <see cref="BaseTimestamp"/> is
/// set. Offset deltas count from 0 unless given (compaction keeps the original ones). Not thread-safe;
/// reusable after <see cref="Clear"/>.
/// </summary>
/// <remarks>
/// Null keys and values: pass <c>null</c> (a <c>ReadOnlyMemory&lt;byte&gt;?</c> without a value). Beware that a
/// null <c>byte[]</c> converts implicitly to an empty (not null) <c>ReadOnlyMemory&lt;byte&gt;</c>, so
/// <c>cond ? null : bytes</c> yields an empty value; write <c>cond ? (ReadOnlyMemory&lt;byte&gt;?)null : bytes</c>.
/// </remarks>
public sealed class RecordBatchBuilder : IDisposable
{
    private readonly PooledBufferWriter _records;
    private long _firstTimestamp;
    private long _maxTimestamp = -1;
    private int _nextOffsetDelta;
    private int _lastOffsetDelta = -1;

    public RecordBatchBuilder(CompressionType compression = CompressionType.None, int initialCapacity = 1024)
    {
        Compression = compression;
        _records = new PooledBufferWriter(initialCapacity);
    }

    public CompressionType Compression { get; set; }

    public long BaseOffset { get; set; }

    public int PartitionLeaderEpoch { get; set; } = -1;

    public long ProducerId { get; set; } = RecordBatchHeader.NoProducerId;

    public short ProducerEpoch { get; set; } = RecordBatchHeader.NoProducerEpoch;

    public int BaseSequence { get; set; } = RecordBatchHeader.NoSequence;

    public bool IsTransactional { get; set; }

    public bool IsControl { get; set; }

    public TimestampType TimestampType { get; set; } = TimestampType.CreateTime;

    /// <summary>Overrides the base timestamp (default: the first record's timestamp).</summary>
    public long? BaseTimestamp { get; set; }

    /// <summary>Overrides lastOffsetDelta (default: the largest offset delta added). Compaction keeps the original.</summary>
    public int? LastOffsetDelta { get; set; }

    /// <summary>Overrides maxTimestamp (default: the largest record timestamp).</summary>
    public long? MaxTimestamp { get; set; }

    public int Count { get; private set; }

    /// <summary>Bytes of encoded (uncompressed) records so far.</summary>
    public int RecordsSize => _records.WrittenCount;

    /// <summary>An estimate of the built batch's size before compression.</summary>
    public int EstimatedSize => RecordBatchHeader.Size + _records.WrittenCount;

    /// <summary>Adds a record at the next offset delta. Null key or value is written as length -1.</summary>
    public void Add(long timestamp, ReadOnlyMemory<byte>? key, ReadOnlyMemory<byte>? value, ReadOnlySpan<RecordHeader> headers = default) =>
        Add(_nextOffsetDelta, timestamp, key, value, headers);

    /// <summary>Adds a record with an explicit offset delta (must grow).</summary>
    public void Add(int offsetDelta, long timestamp, ReadOnlyMemory<byte>? key, ReadOnlyMemory<byte>? value, ReadOnlySpan<RecordHeader> headers)
    {
        var headersSize = 0;
        foreach (ref readonly var h in headers)
        {
            headersSize += Varint.SizeOfVarInt(h.Key.Length) + h.Key.Length + NullableSize(h.Value);
        }

        var headersRaw = headersSize == 0 ? Span<byte>.Empty : (headersSize <= 512 ? stackalloc byte[headersSize] : new byte[headersSize]);
        var p = 0;
        foreach (ref readonly var h in headers)
        {
            p += Varint.WriteVarInt(headersRaw[p..], h.Key.Length);
            h.Key.Span.CopyTo(headersRaw[p..]);
            p += h.Key.Length;
            p += WriteNullable(headersRaw[p..], h.Value);
        }

        AddRaw(offsetDelta, timestamp, key, value, headers.Length, headersRaw);
    }

    /// <summary>
    /// Adds a record whose headers are already encoded (<paramref name="headersRaw"/> without the count, as
    /// <see cref="RecordHeaders.Raw"/> gives them): copies a decoded record without re-encoding its headers.
    /// </summary>
    public void AddRaw(int offsetDelta, long timestamp, ReadOnlyMemory<byte>? key, ReadOnlyMemory<byte>? value, int headerCount, ReadOnlySpan<byte> headersRaw)
    {
        if (Count > 0 && offsetDelta <= _lastOffsetDelta)
        {
            throw new ArgumentOutOfRangeException(nameof(offsetDelta), $"Offset delta {offsetDelta} does not follow {_lastOffsetDelta}.");
        }

        if (Count == 0)
        {
            _firstTimestamp = timestamp;
        }

        var baseTimestamp = BaseTimestamp ?? _firstTimestamp;
        var timestampDelta = timestamp - baseTimestamp;
        var bodySize = 1 + Varint.SizeOfVarLong(timestampDelta) + Varint.SizeOfVarInt(offsetDelta)
            + NullableSize(key) + NullableSize(value) + Varint.SizeOfVarInt(headerCount) + headersRaw.Length;
        var span = _records.GetSpan(Varint.MaxVarIntLength + bodySize);
        var p = Varint.WriteVarInt(span, bodySize);
        span[p++] = 0;
        p += Varint.WriteVarLong(span[p..], timestampDelta);
        p += Varint.WriteVarInt(span[p..], offsetDelta);
        p += WriteNullable(span[p..], key);
        p += WriteNullable(span[p..], value);
        p += Varint.WriteVarInt(span[p..], headerCount);
        headersRaw.CopyTo(span[p..]);
        p += headersRaw.Length;
        _records.Advance(p);

        Count++;
        _lastOffsetDelta = offsetDelta;
        _nextOffsetDelta = offsetDelta + 1;
        if (timestamp > _maxTimestamp)
        {
            _maxTimestamp = timestamp;
        }
    }

    /// <summary>Builds the batch into a new array.</summary>
    public byte[] Build()
    {
        using var output = new PooledBufferWriter(EstimatedSize + 64);
        WriteTo(output);
        return output.ToArray();
    }

    /// <summary>Appends the built batch to <paramref name="output"/>; returns its size.</summary>
    public int WriteTo(PooledBufferWriter output)
    {
        var start = output.WrittenCount;
        output.GetSpan(RecordBatchHeader.Size);
        output.Advance(RecordBatchHeader.Size);
        CompressionCodecs.Compress(Compression, _records.WrittenSpan, output);
        var batch = output.WrittenSpanMutable[start..];
        WriteHeader(batch);
        return batch.Length;
    }

    /// <summary>Forgets the records (keeps the settings) to build another batch.</summary>
    public void Clear()
    {
        _records.Clear();
        Count = 0;
        _maxTimestamp = -1;
        _nextOffsetDelta = 0;
        _lastOffsetDelta = -1;
    }

    public void Dispose() => _records.Dispose();

    private void WriteHeader(Span<byte> batch)
    {
        var attributes = (short)((short)Compression & RecordBatchHeader.CompressionCodecMask);
        if (TimestampType == TimestampType.LogAppendTime)
        {
            attributes |= RecordBatchHeader.TimestampTypeFlag;
        }

        if (IsTransactional)
        {
            attributes |= RecordBatchHeader.TransactionalFlag;
        }

        if (IsControl)
        {
            attributes |= RecordBatchHeader.ControlFlag;
        }

        var baseTimestamp = BaseTimestamp ?? (Count > 0 ? _firstTimestamp : -1);
        BinaryPrimitives.WriteInt64BigEndian(batch, BaseOffset);
        BinaryPrimitives.WriteInt32BigEndian(batch[RecordBatchHeader.BatchLengthOffset..], batch.Length - RecordBatchHeader.LogOverhead);
        BinaryPrimitives.WriteInt32BigEndian(batch[RecordBatchHeader.PartitionLeaderEpochOffset..], PartitionLeaderEpoch);
        batch[RecordBatchHeader.MagicOffset] = RecordBatchHeader.CurrentMagic;
        BinaryPrimitives.WriteInt16BigEndian(batch[RecordBatchHeader.AttributesOffset..], attributes);
        BinaryPrimitives.WriteInt32BigEndian(batch[RecordBatchHeader.LastOffsetDeltaOffset..], LastOffsetDelta ?? Math.Max(_lastOffsetDelta, 0));
        BinaryPrimitives.WriteInt64BigEndian(batch[RecordBatchHeader.BaseTimestampOffset..], baseTimestamp);
        BinaryPrimitives.WriteInt64BigEndian(batch[RecordBatchHeader.MaxTimestampOffset..], MaxTimestamp ?? (Count > 0 ? _maxTimestamp : -1));
        BinaryPrimitives.WriteInt64BigEndian(batch[RecordBatchHeader.ProducerIdOffset..], ProducerId);
        BinaryPrimitives.WriteInt16BigEndian(batch[RecordBatchHeader.ProducerEpochOffset..], ProducerEpoch);
        BinaryPrimitives.WriteInt32BigEndian(batch[RecordBatchHeader.BaseSequenceOffset..], BaseSequence);
        BinaryPrimitives.WriteInt32BigEndian(batch[RecordBatchHeader.RecordsCountOffset..], Count);
        RecordBatchHeader.UpdateCrc(batch);
    }

    private static int NullableSize(ReadOnlyMemory<byte>? bytes) =>
        bytes is { } b ? Varint.SizeOfVarInt(b.Length) + b.Length : 1;

    private static int WriteNullable(Span<byte> destination, ReadOnlyMemory<byte>? bytes)
    {
        if (bytes is not { } b)
        {
            return Varint.WriteVarInt(destination, -1);
        }

        var n = Varint.WriteVarInt(destination, b.Length);
        b.Span.CopyTo(destination[n..]);
        return n + b.Length;
    }
}
