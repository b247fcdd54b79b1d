using System.Numerics;
using Rhei.Formats.Types;

namespace Rhei.Sql.Functions.Aggregate;

/// <summary>
/// COUNT_DISTINCT: the number of distinct non-NULL values. Up to 400 distinct values the count is exact
/// (the accumulator keeps their 64-bit hashes); beyond that it is a HyperLogLog estimate with 4096
/// registers (about 1.6% standard error). The accumulator is BYTES: empty, or a marker byte followed
/// by the sorted hashes, or the 4096 registers.
/// </summary>
public sealed class CountDistinctAggregator() : Aggregator(SqlTypes.BigInt, SqlTypes.Bytes)
{
    private const int Precision = 12;
    private const int Registers = 1 << Precision;
    private const int MaxExact = 400;
    private const byte SparseMarker = 1;

    public override object? Initialize() => Array.Empty<byte>();

    public override object? Aggregate(object? value, object? accumulator) =>
        value is null ? accumulator : Add((byte[])accumulator!, StableHash.Of(value));

    private static byte[] Add(byte[] state, ulong hash)
    {
        if (state.Length == Registers)
        {
            Register(state, hash);
            return state;
        }

        var count = state.Length == 0 ? 0 : (state.Length - 1) / 8;
        var index = Find(state, count, hash);
        if (index >= 0)
        {
            return state;
        }

        if (count + 1 > MaxExact)
        {
            var dense = new byte[Registers];
            for (var i = 0; i < count; i++)
            {
                Register(dense, HashAt(state, i));
            }

            Register(dense, hash);
            return dense;
        }

        var at = ~index;
        var grown = new byte[1 + ((count + 1) * 8)];
        grown[0] = SparseMarker;
        if (count > 0)
        {
            Array.Copy(state, 1, grown, 1, at * 8);
            Array.Copy(state, 1 + (at * 8), grown, 1 + ((at + 1) * 8), (count - at) * 8);
        }

        BitConverter.TryWriteBytes(grown.AsSpan(1 + (at * 8), 8), hash);
        return grown;
    }

    private static ulong HashAt(byte[] state, int i) => BitConverter.ToUInt64(state, 1 + (i * 8));

    /// <summary>Binary search among the sorted hashes: the index, or the complement of the insertion point.</summary>
    private static int Find(byte[] state, int count, ulong hash)
    {
        int lo = 0, hi = count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var h = HashAt(state, mid);
            if (h == hash)
            {
                return mid;
            }

            if (h < hash)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return ~lo;
    }

    private static void Register(byte[] registers, ulong hash)
    {
        var index = (int)(hash >> (64 - Precision));
        var rest = (hash << Precision) | (1UL << (Precision - 1));
        var rank = (byte)(BitOperations.LeadingZeroCount(rest) + 1);
        if (registers[index] < rank)
        {
            registers[index] = rank;
        }
    }

    public override object? Merge(object? left, object? right)
    {
        var a = (byte[])left!;
        var b = (byte[])right!;
        if (a.Length == Registers && b.Length == Registers)
        {
            for (var i = 0; i < Registers; i++)
            {
                a[i] = Math.Max(a[i], b[i]);
            }

            return a;
        }

        if (b.Length == Registers)
        {
            (a, b) = (b, a);
        }

        for (var i = 0; b.Length > 0 && i < (b.Length - 1) / 8; i++)
        {
            a = Add(a, HashAt(b, i));
        }

        return a;
    }

    public override object? Map(object? accumulator)
    {
        var state = (byte[])accumulator!;
        if (state.Length != Registers)
        {
            return state.Length == 0 ? 0L : (long)((state.Length - 1) / 8);
        }

        var sum = 0.0;
        var zeros = 0;
        foreach (var r in state)
        {
            sum += Math.ScaleB(1.0, -r);
            if (r == 0)
            {
                zeros++;
            }
        }

        const double m = Registers;
        var alpha = 0.7213 / (1 + (1.079 / m));
        var estimate = alpha * m * m / sum;
        if (estimate <= 2.5 * m && zeros > 0)
        {
            estimate = m * Math.Log(m / zeros);
        }

        return (long)Math.Round(estimate);
    }
}

/// <summary>A 64-bit hash of SQL values that is stable across processes (unlike <c>GetHashCode</c>), for sketches kept in state stores.</summary>
public static class StableHash
{
    private const ulong Offset = 14695981039346656037UL;
    private const ulong Prime = 1099511628211UL;

    public static ulong Of(object? value) => Finish(Mix(Offset, value));

    private static ulong Mix(ulong h, object? value)
    {
        switch (value)
        {
            case null:
                return Step(h, 0xFF);
            case string s:
                h = Step(h, 1);
                foreach (var c in s)
                {
                    h = Step(Step(h, (byte)c), (byte)(c >> 8));
                }

                return h;
            case bool b:
                return Step(Step(h, 2), b ? (byte)1 : (byte)0);
            case int i:
                return Long(Step(h, 3), i);
            case long l:
                return Long(Step(h, 3), l);
            case double d:
                return Long(Step(h, 4), d == 0 ? 0 : BitConverter.DoubleToInt64Bits(d));
            case decimal m:
                var n = m / 1.0000000000000000000000000000m;
                foreach (var part in decimal.GetBits(n))
                {
                    h = Long(h, part);
                }

                return Step(h, 5);
            case byte[] bytes:
                h = Step(h, 6);
                foreach (var x in bytes)
                {
                    h = Step(h, x);
                }

                return h;
            case DateOnly date:
                return Long(Step(h, 7), date.DayNumber);
            case TimeOnly time:
                return Long(Step(h, 8), time.Ticks);
            case DateTime ts:
                return Long(Step(h, 9), ts.Ticks);
            case List<object?> list:
                h = Step(h, 10);
                foreach (var e in list)
                {
                    h = Mix(h, e);
                }

                return h;
            case Dictionary<object, object?> map:
                ulong acc = 0;
                foreach (var (k, v) in map)
                {
                    acc ^= Finish(Mix(Mix(Offset, k), v));
                }

                return Long(Step(h, 11), (long)acc);
            case SqlStruct st:
                h = Step(h, 12);
                foreach (var v in st.Values)
                {
                    h = Mix(h, v);
                }

                return h;
            default:
                return Mix(h, value.ToString());
        }
    }

    private static ulong Step(ulong h, byte b) => (h ^ b) * Prime;

    private static ulong Long(ulong h, long v)
    {
        for (var i = 0; i < 8; i++)
        {
            h = Step(h, (byte)(v >> (8 * i)));
        }

        return h;
    }

    /// <summary>MurmurHash3's 64-bit finalizer, to spread FNV's bits.</summary>
    private static ulong Finish(ulong h)
    {
        h ^= h >> 33;
        h *= 0xff51afd7ed558ccdUL;
        h ^= h >> 33;
        h *= 0xc4ceb9fe1a85ec53UL;
        h ^= h >> 33;
        return h;
    }
}
