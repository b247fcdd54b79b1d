using System.Buffers.Binary;

namespace Rhei.Client;

/// <summary>
/// Kafka's default partitioner for keyed records: the 32-bit murmur2 hash of the key bytes (seed
/// 0x9747b28c, as the Java client's <c>Utils.murmur2</c>), made positive by clearing the sign bit, modulo
/// the partition count. Java clients, Kafka Streams, ksqlDB and librdkafka's <c>murmur2_random</c> all place
/// a key on the same partition this way, so co-partitioned topics line up whoever wrote them.
/// </summary>
public static class KafkaPartitioner
{
    private const uint Seed = 0x9747b28c;
    private const uint M = 0x5bd1e995;

    /// <summary>The partition of a key among <paramref name="partitionCount"/> partitions.</summary>
    public static int Partition(ReadOnlySpan<byte> key, int partitionCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(partitionCount);
        return (Murmur2(key) & 0x7fffffff) % partitionCount;
    }

    /// <summary>The murmur2 hash of <paramref name="data"/> as the Java client computes it (a signed int).</summary>
    public static int Murmur2(ReadOnlySpan<byte> data)
    {
        var length = data.Length;
        var h = Seed ^ (uint)length;
        var blocks = length & ~3;
        for (var i = 0; i < blocks; i += 4)
        {
            var k = BinaryPrimitives.ReadUInt32LittleEndian(data[i..]);
            k *= M;
            k ^= k >> 24;
            k *= M;
            h *= M;
            h ^= k;
        }

        switch (length & 3)
        {
            case 3:
                h ^= (uint)data[blocks + 2] << 16;
                h ^= (uint)data[blocks + 1] << 8;
                h ^= data[blocks];
                h *= M;
                break;
            case 2:
                h ^= (uint)data[blocks + 1] << 8;
                h ^= data[blocks];
                h *= M;
                break;
            case 1:
                h ^= data[blocks];
                h *= M;
                break;
        }

        h ^= h >> 13;
        h *= M;
        h ^= h >> 15;
        return (int)h;
    }
}
