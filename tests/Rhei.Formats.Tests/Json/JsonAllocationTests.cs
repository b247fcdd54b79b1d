using System.Buffers;
using Xunit.Abstractions;
using Rhei.Formats.Types;
using static Rhei.Formats.Tests.SerdeHelper;

namespace Rhei.Formats.Tests.Json;

/// <summary>
/// The JSON hot path allocates only the values it returns: measured as a ceiling on allocated bytes per record,
/// not as a timing.
/// </summary>
public class JsonAllocationTests(ITestOutputHelper output)
{
    private static readonly Rhei.Formats.Serde.SerdeSchema Bid = Schema(
        ("AUCTION", SqlTypes.BigInt), ("BIDDER", SqlTypes.BigInt), ("PRICE", SqlTypes.BigInt), ("CHANNEL", SqlTypes.String),
        ("URL", SqlTypes.String), ("DATETIME", SqlTypes.Timestamp), ("EXTRA", SqlTypes.String));

    [Fact]
    public void Deserializing_bids_allocates_little_beyond_the_values()
    {
        var records = Enumerable.Range(0, 10_000).Select(i => Bytes(
            $$"""{"auction":{{1000 + (i % 50)}},"bidder":{{i}},"price":{{i * 7 % 10_000}},"channel":"channel-{{i % 10}}","url":"https://www.nexmark.com/item.htm?query=1&channel_id={{i}}","dateTime":{{1_700_000_000_000L + i}},"extra":"{{new string('x', i % 16)}}"}""")).ToArray();
        var deserializer = Deserializer("JSON", Bid);
        var row = new object?[Bid.Count];
        deserializer.Deserialize(records[0], row); // warm up

        long valueBytes = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var record in records)
        {
            deserializer.Deserialize(record, row);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        foreach (var record in records)
        {
            deserializer.Deserialize(record, row);
            valueBytes += (4 * 24) + StringBytes((string)row[3]!) + StringBytes((string)row[4]!) + StringBytes((string)row[6]!);
        }

        var overheadPerRecord = (allocated - valueBytes) / (double)records.Length;
        output.WriteLine($"allocated {allocated / (double)records.Length:F1} B/record, values {valueBytes / (double)records.Length:F1} B/record, overhead {overheadPerRecord:F1} B/record");
        Assert.True(overheadPerRecord < 8, $"{overheadPerRecord:F1} bytes per record beyond the values ({allocated / records.Length} total)");
    }

    [Fact]
    public void Serializing_into_a_reused_buffer_does_not_allocate()
    {
        var serializer = Serializer("JSON", Bid);
        var row = new object?[] { 1000L, 1L, 10L, "channel-1", "https://www.nexmark.com/item.htm", Ts(1_700_000_000_000L), "" };
        var buffer = new ArrayBufferWriter<byte>(4096);
        serializer.Serialize(row, buffer); // warm up

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            buffer.ResetWrittenCount();
            serializer.Serialize(row, buffer);
        }

        var perRecord = (GC.GetAllocatedBytesForCurrentThread() - before) / 10_000.0;
        output.WriteLine($"serialize: {perRecord:F2} B/record");
        Assert.True(perRecord < 1, $"{perRecord:F1} bytes per record");
    }

    private static long StringBytes(string s) => (22 + (2 * s.Length) + 7) / 8 * 8;
}
