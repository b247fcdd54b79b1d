using System.Text.Json;
using Rhei.Broker.Tests.Support;

namespace Rhei.Broker.Tests;

/// <summary>kcat 1.7.1 (Debian, librdkafka 2.0.2): metadata, produce, consume, balanced consumer groups, compression.</summary>
public sealed class KcatTests
{
    [Fact]
    public async Task Metadata_lists_the_broker_and_topics()
    {
        ExternalTool.RequireKcat();
        await using var broker = await TestBroker.StartAsync();
        await new Clients(broker.BootstrapServers).CreateTopicAsync("listed", 3);
        var result = await ExternalTool.RunAsync(ExternalTool.Kcat, ["-b", broker.BootstrapServers, "-L", "-J"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Output);
        var brokers = json.RootElement.GetProperty("brokers");
        Assert.Equal($"127.0.0.1:{broker.Port}", brokers[0].GetProperty("name").GetString());
        var topic = json.RootElement.GetProperty("topics").EnumerateArray().Single(t => t.GetProperty("topic").GetString() == "listed");
        Assert.Equal(3, topic.GetProperty("partitions").GetArrayLength());
    }

    [Theory]
    [InlineData("none")]
    [InlineData("gzip")]
    [InlineData("snappy")]
    [InlineData("lz4")]
    [InlineData("zstd")]
    public async Task Produced_lines_are_consumed_back_with_keys(string codec)
    {
        ExternalTool.RequireKcat();
        await using var broker = await TestBroker.StartAsync();
        var topic = $"kcat-{codec}";
        var lines = Enumerable.Range(0, 500).Select(i => $"key{i % 7}:value {i} {new string('x', i % 40)}").ToList();
        var produce = await ExternalTool.RunAsync(ExternalTool.Kcat, ["-b", broker.BootstrapServers, "-P", "-t", topic, "-K", ":", "-z", codec], string.Join('\n', lines) + "\n");
        Assert.True(produce.ExitCode == 0, produce.ToString());

        var consume = await ExternalTool.RunAsync(ExternalTool.Kcat, ["-b", broker.BootstrapServers, "-C", "-t", topic, "-o", "beginning", "-e", "-q", "-f", "%k:%s\\n"]);
        Assert.True(consume.ExitCode == 0, consume.ToString());
        Assert.Equal(lines, consume.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        // The stored batches carry the codec kcat used. librdkafka sends a batch uncompressed when compressing does not
        // make it smaller (a first batch of one short line, say), so the codec is looked for in any batch, and no batch
        // may carry another codec.
        using var read = await broker.Storage.GetPartition(topic, 0)!.ReadAsync(0, 1 << 20);
        var expected = codec switch { "gzip" => 1, "snappy" => 2, "lz4" => 3, "zstd" => 4, _ => 0 };
        var codecs = new HashSet<int>();
        var batches = read.Records.Span;
        while (batches.Length >= 61)
        {
            codecs.Add(batches[Protocol.Records.RecordBatchHeader.AttributesOffset + 1] & 0x07);
            batches = batches[(12 + System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(batches[8..]))..];
        }

        Assert.Contains(expected, codecs);
        Assert.Subset(new HashSet<int> { 0, expected }, codecs);
    }

    [Fact]
    public async Task A_balanced_consumer_group_reads_everything_once_and_resumes_from_its_commits()
    {
        ExternalTool.RequireKcat();
        await using var broker = await TestBroker.StartAsync();
        await new Clients(broker.BootstrapServers).CreateTopicAsync("kcat-group", 3);
        var first = Enumerable.Range(0, 300).Select(i => $"first {i}").ToList();
        var produce = await ExternalTool.RunAsync(ExternalTool.Kcat, ["-b", broker.BootstrapServers, "-P", "-t", "kcat-group"], string.Join('\n', first) + "\n");
        Assert.True(produce.ExitCode == 0, produce.ToString());

        string[] Group() => ["-b", broker.BootstrapServers, "-G", "kcat-readers", "-X", "auto.offset.reset=earliest", "-e", "-q", "-f", "%s\\n", "kcat-group"];
        var consume = await ExternalTool.RunAsync(ExternalTool.Kcat, Group());
        Assert.True(consume.ExitCode == 0, consume.ToString());
        Assert.Equal(first.Order(StringComparer.Ordinal), consume.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));

        var second = Enumerable.Range(0, 30).Select(i => $"second {i}").ToList();
        produce = await ExternalTool.RunAsync(ExternalTool.Kcat, ["-b", broker.BootstrapServers, "-P", "-t", "kcat-group"], string.Join('\n', second) + "\n");
        Assert.True(produce.ExitCode == 0, produce.ToString());
        consume = await ExternalTool.RunAsync(ExternalTool.Kcat, Group());
        Assert.True(consume.ExitCode == 0, consume.ToString());
        Assert.Equal(second.Order(StringComparer.Ordinal), consume.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
    }
}
