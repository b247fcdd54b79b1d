using Rhei.Storage.Topics;

namespace Rhei.Storage.Tests;

public class TopicTests
{
    [Fact]
    public async Task Topics_are_created_described_grown_altered_and_deleted_and_persist()
    {
        using var dir = new TempDir();
        Guid id;
        await using (var manager = await Storage.OpenAsync(dir.Path, tweak: o => o with { NumPartitions = 3 }))
        {
            var created = await manager.CreateTopicAsync("orders", configs: new Dictionary<string, string> { ["cleanup.policy"] = "compact,delete", ["retention.ms"] = "1000", ["min.insync.replicas"] = "2" });
            id = created.TopicId;
            Assert.Equal(3, created.PartitionCount);
            Assert.Equal(CleanupPolicy.Compact | CleanupPolicy.Delete, created.Config.CleanupPolicy);
            Assert.Equal(1000, created.Config.RetentionMs);
            Assert.Equal("2", created.ConfigOverrides["min.insync.replicas"]);
            Assert.Equal("compact,delete", created.Config.ToDictionary()["cleanup.policy"]);
            await manager.CreateTopicAsync("clicks", 1);
            await manager.GetPartition("orders", 2)!.AppendOk(Storage.Batch(1, ("k", "v")));
            var grown = await manager.CreatePartitionsAsync("clicks", 4);
            Assert.Equal(4, grown.PartitionCount);
            Assert.NotNull(manager.GetPartition("clicks", 3));
            Assert.Null(manager.GetPartition("clicks", 4));
            var altered = await manager.AlterTopicConfigsAsync("clicks", new Dictionary<string, string?> { ["retention.ms"] = "5000" });
            Assert.Equal(5000, altered.Config.RetentionMs);
            Assert.Equal(5000, manager.GetPartition("clicks", 0)!.Config.RetentionMs);
            Assert.Equal(["clicks", "orders"], manager.ListTopics(includeInternal: false));
            Assert.Contains("__consumer_offsets", manager.ListTopics());
            Assert.True(manager.DescribeTopic("__consumer_offsets")!.IsInternal);
        }

        await using (var reopened = await Storage.OpenAsync(dir.Path))
        {
            var orders = reopened.DescribeTopic("orders")!;
            Assert.Equal(id, orders.TopicId);
            Assert.Equal(3, orders.PartitionCount);
            Assert.Equal(CleanupPolicy.Compact | CleanupPolicy.Delete, orders.Config.CleanupPolicy);
            Assert.Equal(1, reopened.GetPartition("orders", 2)!.HighWatermark);
            var clicks = reopened.DescribeTopic("clicks")!;
            Assert.Equal(4, clicks.PartitionCount);
            Assert.Equal(5000, clicks.Config.RetentionMs);

            await reopened.DeleteTopicAsync("orders");
            Assert.Null(reopened.DescribeTopic("orders"));
            Assert.False(Directory.Exists(Path.Combine(dir.Path, "orders-0")));
            var missing = await Assert.ThrowsAsync<StorageException>(() => reopened.DeleteTopicAsync("orders"));
            Assert.Equal(StorageError.UnknownTopicOrPartition, missing.Error);
        }

        await using var third = await Storage.OpenAsync(dir.Path);
        Assert.Equal(["clicks"], third.ListTopics(includeInternal: false));
        var recreated = await third.CreateTopicAsync("orders", 1);
        Assert.NotEqual(id, recreated.TopicId);
        Assert.Equal(0, third.GetPartition("orders", 0)!.HighWatermark);
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("has space")]
    [InlineData("slash/no")]
    [InlineData("ünicode")]
    public async Task Illegal_names_are_rejected(string name)
    {
        using var dir = new TempDir();
        await using var manager = await Storage.OpenAsync(dir.Path);
        var error = await Assert.ThrowsAsync<StorageException>(() => manager.CreateTopicAsync(name, 1));
        Assert.Equal(StorageError.InvalidTopicException, error.Error);
        Assert.Equal("INVALID_TOPIC_EXCEPTION", error.ErrorName);
    }

    [Fact]
    public void Name_rules_follow_kafka()
    {
        Assert.Null(TopicNames.Validate("a.b_c-D9"));
        Assert.Null(TopicNames.Validate(new string('a', 249)));
        Assert.NotNull(TopicNames.Validate(new string('a', 250)));
    }

    [Fact]
    public async Task Bad_requests_get_kafka_errors()
    {
        using var dir = new TempDir();
        await using var manager = await Storage.OpenAsync(dir.Path);
        await manager.CreateTopicAsync("a.b", 1);
        Assert.Equal(StorageError.TopicAlreadyExists, (await Assert.ThrowsAsync<StorageException>(() => manager.CreateTopicAsync("a.b", 1))).Error);
        Assert.Equal(StorageError.InvalidTopicException, (await Assert.ThrowsAsync<StorageException>(() => manager.CreateTopicAsync("a_b", 1))).Error);
        Assert.Equal(StorageError.InvalidPartitions, (await Assert.ThrowsAsync<StorageException>(() => manager.CreateTopicAsync("z", 0))).Error);
        var unknown = await Assert.ThrowsAsync<StorageException>(() => manager.CreateTopicAsync("z", 1, new Dictionary<string, string> { ["no.such.config"] = "1" }));
        Assert.Equal(StorageError.InvalidConfig, unknown.Error);
        Assert.Contains("no.such.config", unknown.Message);
        var bad = await Assert.ThrowsAsync<StorageException>(() => manager.CreateTopicAsync("z", 1, new Dictionary<string, string> { ["retention.ms"] = "soon" }));
        Assert.Equal(StorageError.InvalidConfig, bad.Error);
        Assert.Contains("retention.ms", bad.Message);
        Assert.Equal(StorageError.InvalidPartitions, (await Assert.ThrowsAsync<StorageException>(() => manager.CreatePartitionsAsync("a.b", 1))).Error);
        Assert.Null(manager.DescribeTopic("z"));
    }

    [Fact]
    public async Task Partitions_spread_over_several_log_dirs()
    {
        using var a = new TempDir();
        using var b = new TempDir();
        var options = new StorageOptions { LogDirs = [a.Path, b.Path], RunBackgroundTasks = false };
        await using (var manager = await LogManager.OpenAsync(options))
        {
            await manager.CreateTopicAsync("t", 4);
            for (var p = 0; p < 4; p++)
            {
                await manager.GetPartition("t", p)!.AppendOk(Storage.Batch(1, ("k", $"p{p}")));
            }
        }

        Assert.True(Directory.GetDirectories(b.Path, "t-*").Length > 0);
        Assert.True(Directory.GetDirectories(a.Path, "t-*").Length > 0);
        await using var reopened = await LogManager.OpenAsync(options);
        for (var p = 0; p < 4; p++)
        {
            Assert.Equal($"p{p}", Assert.Single(await reopened.GetPartition("t", p)!.ReadAllAsync()).Value);
        }
    }
}
