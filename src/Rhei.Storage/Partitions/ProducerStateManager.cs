using System.Buffers.Binary;
using System.IO.Hashing;
using Rhei.Protocol.Records;

namespace Rhei.Storage.Partitions;

/// <summary>The sequence range and offsets of one batch an idempotent producer wrote.</summary>
internal readonly record struct ProducerBatch(int FirstSequence, int LastSequence, long FirstOffset, int OffsetDelta, long Timestamp)
{
    public long LastOffset => FirstOffset + OffsetDelta;
}

/// <summary>What a partition remembers about one producer id: its epoch and its last five batches.</summary>
internal sealed class ProducerStateEntry(long producerId, short epoch)
{
    public long ProducerId { get; } = producerId;

    public short Epoch { get; set; } = epoch;

    public List<ProducerBatch> Batches { get; } = new(ProducerStateManager.RetainedBatches);

    /// <summary>Broker time (ms) of the producer's last append, for <c>producer.id.expiration.ms</c>.</summary>
    public long LastAppendMs { get; set; }

    /// <summary>Seam for transactions: the first offset of the producer's open transaction, -1 when none.</summary>
    public long CurrentTransactionFirstOffset { get; set; } = -1;

    public int LastSequence => Batches.Count == 0 ? RecordBatchHeader.NoSequence : Batches[^1].LastSequence;

    public ProducerStateEntry Clone()
    {
        var copy = new ProducerStateEntry(ProducerId, Epoch) { LastAppendMs = LastAppendMs, CurrentTransactionFirstOffset = CurrentTransactionFirstOffset };
        copy.Batches.AddRange(Batches);
        return copy;
    }

    public void Add(ProducerBatch batch)
    {
        if (Batches.Count == ProducerStateManager.RetainedBatches)
        {
            Batches.RemoveAt(0);
        }

        Batches.Add(batch);
    }
}

/// <summary>The outcome of checking a batch from an idempotent producer.</summary>
internal enum ProducerCheck
{
    Accepted,
    Duplicate,
    Rejected,
}

/// <summary>
/// Idempotent-producer state of one partition, as Kafka's ProducerStateManager keeps it: per producer id,
/// the epoch and the sequence ranges of the last 5 batches. A batch repeating one of them is a duplicate
/// (answered with the original offsets, not appended again); an older epoch is fenced
/// (INVALID_PRODUCER_EPOCH); a gap in sequence numbers is OUT_OF_ORDER_SEQUENCE_NUMBER. A producer the
/// partition does not know may start at any sequence (KIP-360). Snapshots (a CRC-checked file per roll and
/// at clean shutdown) plus a scan of the log after the snapshot rebuild the state at start.
/// </summary>
internal sealed class ProducerStateManager
{
    public const int RetainedBatches = 5;
    private const short SnapshotVersion = 1;

    private readonly Dictionary<long, ProducerStateEntry> _producers = [];
    private readonly List<(long ProducerId, ProducerStateEntry? Original)> _undo = [];

    public int Count => _producers.Count;

    public IReadOnlyDictionary<long, ProducerStateEntry> Producers => _producers;

    public bool TryGet(long producerId, out ProducerStateEntry entry) => _producers.TryGetValue(producerId, out entry!);

    /// <summary>Starts recording changes so <see cref="Rollback"/> can undo a failed append.</summary>
    public void BeginAppend() => _undo.Clear();

    public void Commit() => _undo.Clear();

    public void Rollback()
    {
        for (var i = _undo.Count - 1; i >= 0; i--)
        {
            var (id, original) = _undo[i];
            if (original is null)
            {
                _producers.Remove(id);
            }
            else
            {
                _producers[id] = original;
            }
        }

        _undo.Clear();
    }

    /// <summary>
    /// Checks one batch of an append and, when accepted, records it with its assigned
    /// <paramref name="firstOffset"/>. A duplicate returns the original batch.
    /// </summary>
    public ProducerCheck CheckAndUpdate(
        long producerId, short epoch, int firstSequence, int lastSequence, int offsetDelta, long firstOffset, long timestamp, long nowMs,
        string partitionName, out StorageError error, out string? message, out ProducerBatch duplicate)
    {
        error = StorageError.None;
        message = null;
        duplicate = default;
        _producers.TryGetValue(producerId, out var entry);
        if (entry is not null)
        {
            if (epoch < entry.Epoch)
            {
                error = StorageError.InvalidProducerEpoch;
                message = $"Epoch {epoch} of producer {producerId} is older than the current epoch {entry.Epoch} in partition {partitionName}: a newer producer with the same id fenced it.";
                return ProducerCheck.Rejected;
            }

            if (epoch == entry.Epoch)
            {
                foreach (var b in entry.Batches)
                {
                    if (b.FirstSequence == firstSequence && b.LastSequence == lastSequence)
                    {
                        duplicate = b;
                        return ProducerCheck.Duplicate;
                    }
                }

                var last = entry.LastSequence;
                if (last == RecordBatchHeader.NoSequence ? firstSequence != 0 : !InSequence(last, firstSequence))
                {
                    error = StorageError.OutOfOrderSequenceNumber;
                    message = $"Out of order sequence number for producer {producerId} in partition {partitionName}: {firstSequence} (incoming seq. number), {last} (current end sequence number).";
                    return ProducerCheck.Rejected;
                }
            }
            else if (firstSequence != 0 && entry.Epoch != RecordBatchHeader.NoProducerEpoch)
            {
                error = StorageError.OutOfOrderSequenceNumber;
                message = $"Invalid sequence number for new epoch {epoch} of producer {producerId} in partition {partitionName}: {firstSequence} (request epoch), expected 0.";
                return ProducerCheck.Rejected;
            }
        }

        Remember(producerId, entry);
        if (entry is null || entry.Epoch != epoch)
        {
            entry = new ProducerStateEntry(producerId, epoch);
            _producers[producerId] = entry;
        }
        else
        {
            entry = entry.Clone();
            _producers[producerId] = entry;
        }

        entry.Add(new ProducerBatch(firstSequence, lastSequence, firstOffset, offsetDelta, timestamp));
        entry.LastAppendMs = nowMs;
        return ProducerCheck.Accepted;
    }

    /// <summary>Replays a batch read back from the log (recovery): no checks, the log is the truth.</summary>
    public void Replay(ReadOnlySpan<byte> batch, long nowMs)
    {
        var header = new RecordBatchHeader(batch);
        if (!header.HasProducerId || header.IsControl)
        {
            return;
        }

        if (!_producers.TryGetValue(header.ProducerId, out var entry) || entry.Epoch != header.ProducerEpoch)
        {
            entry = new ProducerStateEntry(header.ProducerId, header.ProducerEpoch);
            _producers[header.ProducerId] = entry;
        }

        if (header.BaseSequence >= 0)
        {
            entry.Add(new ProducerBatch(header.BaseSequence, header.LastSequence, header.BaseOffset, header.LastOffsetDelta, header.MaxTimestamp));
        }

        entry.LastAppendMs = Math.Max(entry.LastAppendMs, Math.Min(header.MaxTimestamp, nowMs));
    }

    /// <summary>Forgets producers idle for longer than <paramref name="expirationMs"/>; returns how many.</summary>
    public int RemoveExpired(long nowMs, long expirationMs)
    {
        var expired = new List<long>();
        foreach (var (id, entry) in _producers)
        {
            if (nowMs - entry.LastAppendMs > expirationMs && entry.CurrentTransactionFirstOffset < 0)
            {
                expired.Add(id);
            }
        }

        foreach (var id in expired)
        {
            _producers.Remove(id);
        }

        return expired.Count;
    }

    public void Clear() => _producers.Clear();

    /// <summary>
    /// Snapshot layout (big-endian): version i16 · crc u32 (CRC-32C of the rest) · count i32 · per producer:
    /// id i64 · epoch i16 · lastAppendMs i64 · batches i8 · per batch: firstSeq i32 · lastSeq i32 ·
    /// firstOffset i64 · offsetDelta i32 · timestamp i64.
    /// </summary>
    public byte[] Serialize()
    {
        var size = 10;
        foreach (var entry in _producers.Values)
        {
            size += 19 + entry.Batches.Count * 28;
        }

        var bytes = new byte[size];
        var span = bytes.AsSpan();
        BinaryPrimitives.WriteInt16BigEndian(span, SnapshotVersion);
        BinaryPrimitives.WriteInt32BigEndian(span[6..], _producers.Count);
        var p = 10;
        foreach (var entry in _producers.Values)
        {
            BinaryPrimitives.WriteInt64BigEndian(span[p..], entry.ProducerId);
            BinaryPrimitives.WriteInt16BigEndian(span[(p + 8)..], entry.Epoch);
            BinaryPrimitives.WriteInt64BigEndian(span[(p + 10)..], entry.LastAppendMs);
            span[p + 18] = (byte)entry.Batches.Count;
            p += 19;
            foreach (var b in entry.Batches)
            {
                BinaryPrimitives.WriteInt32BigEndian(span[p..], b.FirstSequence);
                BinaryPrimitives.WriteInt32BigEndian(span[(p + 4)..], b.LastSequence);
                BinaryPrimitives.WriteInt64BigEndian(span[(p + 8)..], b.FirstOffset);
                BinaryPrimitives.WriteInt32BigEndian(span[(p + 16)..], b.OffsetDelta);
                BinaryPrimitives.WriteInt64BigEndian(span[(p + 20)..], b.Timestamp);
                p += 28;
            }
        }

        BinaryPrimitives.WriteUInt32BigEndian(span[2..], Crc32.HashToUInt32(Crc32ParameterSet.Crc32C, span[6..]));
        return bytes;
    }

    /// <summary>Loads a snapshot; false (state unchanged) when its version, CRC or layout is wrong.</summary>
    public bool TryLoad(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 10 || BinaryPrimitives.ReadInt16BigEndian(bytes) != SnapshotVersion
            || BinaryPrimitives.ReadUInt32BigEndian(bytes[2..]) != Crc32.HashToUInt32(Crc32ParameterSet.Crc32C, bytes[6..]))
        {
            return false;
        }

        var loaded = new Dictionary<long, ProducerStateEntry>();
        var count = BinaryPrimitives.ReadInt32BigEndian(bytes[6..]);
        var p = 10;
        for (var i = 0; i < count; i++)
        {
            if (p + 19 > bytes.Length)
            {
                return false;
            }

            var entry = new ProducerStateEntry(BinaryPrimitives.ReadInt64BigEndian(bytes[p..]), BinaryPrimitives.ReadInt16BigEndian(bytes[(p + 8)..]))
            {
                LastAppendMs = BinaryPrimitives.ReadInt64BigEndian(bytes[(p + 10)..]),
            };
            int n = bytes[p + 18];
            p += 19;
            if (p + n * 28 > bytes.Length)
            {
                return false;
            }

            for (var j = 0; j < n; j++)
            {
                entry.Add(new ProducerBatch(
                    BinaryPrimitives.ReadInt32BigEndian(bytes[p..]),
                    BinaryPrimitives.ReadInt32BigEndian(bytes[(p + 4)..]),
                    BinaryPrimitives.ReadInt64BigEndian(bytes[(p + 8)..]),
                    BinaryPrimitives.ReadInt32BigEndian(bytes[(p + 16)..]),
                    BinaryPrimitives.ReadInt64BigEndian(bytes[(p + 20)..])));
                p += 28;
            }

            loaded[entry.ProducerId] = entry;
        }

        _producers.Clear();
        foreach (var (id, entry) in loaded)
        {
            _producers[id] = entry;
        }

        return true;
    }

    private void Remember(long producerId, ProducerStateEntry? original)
    {
        foreach (var (id, _) in _undo)
        {
            if (id == producerId)
            {
                return;
            }
        }

        _undo.Add((producerId, original));
    }

    private static bool InSequence(int last, int next) => next == last + 1L || (last == int.MaxValue && next == 0);
}
