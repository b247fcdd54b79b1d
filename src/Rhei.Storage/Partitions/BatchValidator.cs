using Rhei.Protocol.Records;
using Rhei.Storage.Topics;

namespace Rhei.Storage.Partitions;

/// <summary>
/// The checks a batch passes before it is appended: whole and well-formed, magic 2, CRC-32C, within
/// <c>max.message.bytes</c>, record count matching its offset span, no control batch from clients, and —
/// on compacted topics only, where records are decoded — a key on every record.
/// </summary>
internal static class BatchValidator
{
    public static StorageError Validate(ReadOnlySpan<byte> bytes, TopicConfig config, AppendOrigin origin, string name, string topic, int maxDecompressedBytes, out int size, out string? message)
    {
        message = null;
        var error = RecordBatchHeader.Validate(bytes, out size);
        switch (error)
        {
            case RecordBatchError.None:
                break;
            case RecordBatchError.InvalidMagic:
                message = $"A batch for {name} has magic {bytes[RecordBatchHeader.MagicOffset]}; only record batch v2 (magic 2) is accepted.";
                return StorageError.CorruptMessage;
            case RecordBatchError.CrcMismatch:
                message = $"A batch for {name} fails its CRC check: it was damaged on the way.";
                return StorageError.CorruptMessage;
            default:
                message = $"A batch for {name} is malformed ({error}): its length field and its bytes do not agree.";
                return StorageError.CorruptMessage;
        }

        if (size > config.MaxMessageBytes)
        {
            message = $"A batch of {size} bytes for {name} is larger than max.message.bytes ({config.MaxMessageBytes}).";
            return StorageError.MessageTooLarge;
        }

        var header = new RecordBatchHeader(bytes);
        if (header.RecordsCount <= 0 || header.LastOffsetDelta < 0 || (origin == AppendOrigin.Client && header.RecordsCount != header.LastOffsetDelta + 1))
        {
            message = $"A batch for {name} holds {header.RecordsCount} records but its offsets span {header.LastOffsetDelta + 1L}.";
            return StorageError.InvalidRecord;
        }

        if (header.IsControl && origin == AppendOrigin.Client)
        {
            message = $"A batch for {name} is a control batch: only the transaction coordinator writes those.";
            return StorageError.InvalidRecord;
        }

        if (config.IsCompacted && origin == AppendOrigin.Client && !header.IsControl)
        {
            return CheckKeys(bytes[..size], name, topic, maxDecompressedBytes, out message);
        }

        return StorageError.None;
    }

    private static StorageError CheckKeys(ReadOnlySpan<byte> batch, string name, string topic, int maxDecompressedBytes, out string? message)
    {
        message = null;
        try
        {
            using var reader = RecordBatchReader.Open(batch.ToArray(), maxDecompressedBytes);
            while (reader.TryReadNext(out var record))
            {
                if (record.Key is null)
                {
                    message = $"Compacted topic {topic} cannot accept a record without a key (offset delta {record.OffsetDelta}).";
                    return StorageError.InvalidRecord;
                }
            }
        }
        catch (InvalidDataException e)
        {
            message = $"A batch for {name} has malformed records: {e.Message}";
            return StorageError.CorruptMessage;
        }

        return StorageError.None;
    }
}
