using System.Buffers.Binary;
using System.IO.Hashing;
using Rhei.Protocol.Compression;

namespace Rhei.Protocol.Records;

/// <summary>
/// A view over the header of a record batch v2 (magic 2) — reads fields straight from the bytes, allocates
/// nothing. Layout (big-endian): baseOffset i64 · batchLength i32 · partitionLeaderEpoch i32 · magic i8 ·
/// crc u32 · attributes i16 · lastOffsetDelta i32 · baseTimestamp i64 · maxTimestamp i64 · producerId i64
/// · producerEpoch i16 · baseSequence i32 · recordsCount i32 · records. The static members check and patch
/// a batch in place.
/// </summary>
public readonly ref struct RecordBatchHeader
{
    /// <summary>Bytes of the header, up to the first record.</summary>
    public const int Size = 61;

    /// <summary>Bytes before the part counted by batchLength (baseOffset and batchLength).</summary>
    public const int LogOverhead = 12;

    public const byte CurrentMagic = 2;

    public const int BaseOffsetOffset = 0;
    public const int BatchLengthOffset = 8;
    public const int PartitionLeaderEpochOffset = 12;
    public const int MagicOffset = 16;
    public const int CrcOffset = 17;
    public const int AttributesOffset = 21;
    public const int LastOffsetDeltaOffset = 23;
    public const int BaseTimestampOffset = 27;
    public const int MaxTimestampOffset = 35;
    public const int ProducerIdOffset = 43;
    public const int ProducerEpochOffset = 51;
    public const int BaseSequenceOffset = 53;
    public const int RecordsCountOffset = 57;
    public const int RecordsOffset = 61;

    public const short CompressionCodecMask = 0x07;
    public const short TimestampTypeFlag = 0x08;
    public const short TransactionalFlag = 0x10;
    public const short ControlFlag = 0x20;
    public const short DeleteHorizonFlag = 0x40;

    /// <summary>producerId, producerEpoch and baseSequence of a batch from a non-idempotent producer.</summary>
    public const long NoProducerId = -1;
    public const short NoProducerEpoch = -1;
    public const int NoSequence = -1;

    private readonly ReadOnlySpan<byte> _bytes;

    /// <summary>Wraps bytes that hold at least <see cref="Size"/> bytes of a batch.</summary>
    public RecordBatchHeader(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < Size)
        {
            throw new ArgumentException($"A record batch header needs {Size} bytes; got {bytes.Length}.", nameof(bytes));
        }

        _bytes = bytes;
    }

    public long BaseOffset => BinaryPrimitives.ReadInt64BigEndian(_bytes);

    /// <summary>Bytes after the batchLength field; the whole batch is <see cref="TotalSize"/>.</summary>
    public int BatchLength => BinaryPrimitives.ReadInt32BigEndian(_bytes[BatchLengthOffset..]);

    public int TotalSize => BatchLength + LogOverhead;

    public int PartitionLeaderEpoch => BinaryPrimitives.ReadInt32BigEndian(_bytes[PartitionLeaderEpochOffset..]);

    public byte Magic => _bytes[MagicOffset];

    public uint Crc => BinaryPrimitives.ReadUInt32BigEndian(_bytes[CrcOffset..]);

    public short Attributes => BinaryPrimitives.ReadInt16BigEndian(_bytes[AttributesOffset..]);

    public CompressionType Compression => (CompressionType)(Attributes & CompressionCodecMask);

    public TimestampType TimestampType => (Attributes & TimestampTypeFlag) != 0 ? TimestampType.LogAppendTime : TimestampType.CreateTime;

    public bool IsTransactional => (Attributes & TransactionalFlag) != 0;

    public bool IsControl => (Attributes & ControlFlag) != 0;

    public bool HasDeleteHorizon => (Attributes & DeleteHorizonFlag) != 0;

    public int LastOffsetDelta => BinaryPrimitives.ReadInt32BigEndian(_bytes[LastOffsetDeltaOffset..]);

    public long LastOffset => BaseOffset + LastOffsetDelta;

    /// <summary>The offset after this batch.</summary>
    public long NextOffset => BaseOffset + LastOffsetDelta + 1;

    public long BaseTimestamp => BinaryPrimitives.ReadInt64BigEndian(_bytes[BaseTimestampOffset..]);

    public long MaxTimestamp => BinaryPrimitives.ReadInt64BigEndian(_bytes[MaxTimestampOffset..]);

    public long ProducerId => BinaryPrimitives.ReadInt64BigEndian(_bytes[ProducerIdOffset..]);

    public short ProducerEpoch => BinaryPrimitives.ReadInt16BigEndian(_bytes[ProducerEpochOffset..]);

    public int BaseSequence => BinaryPrimitives.ReadInt32BigEndian(_bytes[BaseSequenceOffset..]);

    /// <summary>The sequence of the last record (wrapping past int.MaxValue to 0, as Kafka does).</summary>
    public int LastSequence => BaseSequence == NoSequence ? NoSequence : (int)(((long)BaseSequence + LastOffsetDelta) % ((long)int.MaxValue + 1));

    public int RecordsCount => BinaryPrimitives.ReadInt32BigEndian(_bytes[RecordsCountOffset..]);

    public bool HasProducerId => ProducerId >= 0;

    /// <summary>
    /// Checks that <paramref name="bytes"/> start with one whole, well-formed batch: enough bytes, a sane
    /// length, magic 2 and a matching CRC-32C. <paramref name="batchSize"/> is the batch's total size when the
    /// length could be read (also for <see cref="RecordBatchError.Truncated"/>), else 0.
    /// </summary>
    public static RecordBatchError Validate(ReadOnlySpan<byte> bytes, out int batchSize)
    {
        batchSize = 0;
        var error = ValidateStructure(bytes, out batchSize);
        if (error != RecordBatchError.None)
        {
            return error;
        }

        var stored = BinaryPrimitives.ReadUInt32BigEndian(bytes[CrcOffset..]);
        return ComputeCrc(bytes[..batchSize]) == stored ? RecordBatchError.None : RecordBatchError.CrcMismatch;
    }

    /// <summary>As <see cref="Validate"/> without the CRC check (length, truncation and magic only).</summary>
    public static RecordBatchError ValidateStructure(ReadOnlySpan<byte> bytes, out int batchSize)
    {
        batchSize = 0;
        if (bytes.Length < LogOverhead)
        {
            return RecordBatchError.HeaderTooShort;
        }

        var length = BinaryPrimitives.ReadInt32BigEndian(bytes[BatchLengthOffset..]);
        if (length < Size - LogOverhead)
        {
            return RecordBatchError.InvalidLength;
        }

        batchSize = length + LogOverhead;
        if (bytes.Length < Size)
        {
            return RecordBatchError.HeaderTooShort;
        }

        if (bytes[MagicOffset] != CurrentMagic)
        {
            return RecordBatchError.InvalidMagic;
        }

        return bytes.Length < batchSize ? RecordBatchError.Truncated : RecordBatchError.None;
    }

    /// <summary>CRC-32C (Castagnoli) of a whole batch: over attributes to the end.</summary>
    public static uint ComputeCrc(ReadOnlySpan<byte> batch) =>
        Crc32.HashToUInt32(Crc32ParameterSet.Crc32C, batch[AttributesOffset..]);

    /// <summary>Recomputes and stores the CRC of a whole batch.</summary>
    public static void UpdateCrc(Span<byte> batch) =>
        BinaryPrimitives.WriteUInt32BigEndian(batch[CrcOffset..], ComputeCrc(batch));

    /// <summary>Sets baseOffset (outside the CRC).</summary>
    public static void SetBaseOffset(Span<byte> batch, long baseOffset) =>
        BinaryPrimitives.WriteInt64BigEndian(batch, baseOffset);

    /// <summary>Sets partitionLeaderEpoch (outside the CRC).</summary>
    public static void SetPartitionLeaderEpoch(Span<byte> batch, int epoch) =>
        BinaryPrimitives.WriteInt32BigEndian(batch[PartitionLeaderEpochOffset..], epoch);

    /// <summary>
    /// Marks a whole batch as log-append time: sets attribute bit 3 and maxTimestamp to
    /// <paramref name="logAppendTime"/>, then recomputes the CRC (as a broker does for
    /// <c>message.timestamp.type=LogAppendTime</c> topics).
    /// </summary>
    public static void SetLogAppendTime(Span<byte> batch, long logAppendTime)
    {
        var attributes = BinaryPrimitives.ReadInt16BigEndian(batch[AttributesOffset..]);
        BinaryPrimitives.WriteInt16BigEndian(batch[AttributesOffset..], (short)(attributes | TimestampTypeFlag));
        BinaryPrimitives.WriteInt64BigEndian(batch[MaxTimestampOffset..], logAppendTime);
        UpdateCrc(batch);
    }
}
