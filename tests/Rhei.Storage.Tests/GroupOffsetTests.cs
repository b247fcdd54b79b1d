using Rhei.Storage.Groups;

namespace Rhei.Storage.Tests;

public class GroupOffsetTests
{
    private static GroupMetadata Group(string id, long stateTimestamp, int members) => new(
        id, "consumer", 5, "range", members > 0 ? "m0" : null, stateTimestamp,
        [.. Enumerable.Range(0, members).Select(i => new GroupMemberMetadata($"m{i}", i == 0 ? "static-1" : null, "client", "/127.0.0.1", 300000, 45000, [1, 2, (byte)i], [9, (byte)i]))]);

    [Fact]
    public async Task Offsets_and_group_metadata_persist_across_restart()
    {
        using var dir = new TempDir();
        await using (var manager = await Storage.OpenAsync(dir.Path))
        {
            var store = manager.GroupOffsets;
            await store.CommitOffsetsAsync("g1", [new OffsetCommit("t", 0, 10, 3, "meta"), new OffsetCommit("t", 1, 20)]);
            await store.CommitOffsetsAsync("g1", [new OffsetCommit("t", 0, 15)]);
            await store.CommitOffsetsAsync("g2", [new OffsetCommit("u", 0, 1)]);
            await store.StoreGroupMetadataAsync(Group("g1", 1234, 2));
            Assert.Equal(15, store.FetchOffset("g1", "t", 0)!.Offset);
            Assert.Equal(["g1", "g2"], store.ListGroups().Order());
        }

        await using (var reopened = await Storage.OpenAsync(dir.Path))
        {
            var store = reopened.GroupOffsets;
            var t0 = store.FetchOffset("g1", "t", 0)!;
            Assert.Equal(15, t0.Offset);
            Assert.Null(t0.Metadata);
            Assert.Equal(20, store.FetchOffset("g1", "t", 1)!.Offset);
            Assert.Equal(2, store.FetchOffsets("g1").Count);
            Assert.Null(store.FetchOffset("g1", "t", 2));
            var metadata = store.GetGroupMetadata("g1")!;
            Assert.Equal(5, metadata.Generation);
            Assert.Equal("range", metadata.ProtocolName);
            Assert.Equal(2, metadata.Members.Count);
            Assert.Equal("static-1", metadata.Members[0].GroupInstanceId);
            Assert.Equal(new byte[] { 9, 1 }, metadata.Members[1].Assignment);
            Assert.Single(store.GetAllGroupMetadata());

            await store.DeleteOffsetsAsync("g1", [("t", 1)]);
            Assert.True(await store.DeleteGroupAsync("g2"));
            Assert.False(await store.DeleteGroupAsync("nobody"));
        }

        File.Delete(Path.Combine(dir.Path, LogManager.CleanShutdownFile));
        await using var third = await Storage.OpenAsync(dir.Path);
        Assert.Null(third.GroupOffsets.FetchOffset("g1", "t", 1));
        Assert.Equal(15, third.GroupOffsets.FetchOffset("g1", "t", 0)!.Offset);
        Assert.Equal(["g1"], third.GroupOffsets.ListGroups());
    }

    [Fact]
    public async Task Offsets_of_empty_groups_expire_after_the_retention()
    {
        using var dir = new TempDir();
        var clock = new ManualClock();
        await using var manager = await Storage.OpenAsync(dir.Path, clock, o => o with { OffsetsRetentionMinutes = 60 });
        var store = manager.GroupOffsets;
        await store.CommitOffsetsAsync("empty", [new OffsetCommit("t", 0, 1)]);
        await store.CommitOffsetsAsync("active", [new OffsetCommit("t", 0, 1)]);
        await store.StoreGroupMetadataAsync(Group("active", clock.NowMs, 1));
        await store.CommitOffsetsAsync("emptied", [new OffsetCommit("t", 0, 1)]);
        clock.Advance(TimeSpan.FromMinutes(50));
        await store.StoreGroupMetadataAsync(Group("emptied", clock.NowMs, 0));
        Assert.Equal(0, await store.ExpireOffsetsAsync());

        clock.Advance(TimeSpan.FromMinutes(20));
        Assert.Equal(1, await store.ExpireOffsetsAsync());
        Assert.Null(store.FetchOffset("empty", "t", 0));
        Assert.NotNull(store.FetchOffset("active", "t", 0));
        Assert.NotNull(store.FetchOffset("emptied", "t", 0));

        clock.Advance(TimeSpan.FromMinutes(60));
        Assert.Equal(1, await store.ExpireOffsetsAsync());
        Assert.Null(store.FetchOffset("emptied", "t", 0));
        Assert.NotNull(store.FetchOffset("active", "t", 0));
    }

    [Fact]
    public async Task Large_metadata_is_refused_and_deleted_topics_lose_their_offsets()
    {
        using var dir = new TempDir();
        await using var manager = await Storage.OpenAsync(dir.Path);
        var error = await Assert.ThrowsAsync<StorageException>(async () => await manager.GroupOffsets.CommitOffsetsAsync("g", [new OffsetCommit("t", 0, 1, -1, new string('m', 5000))]));
        Assert.Equal(StorageError.OffsetMetadataTooLarge, error.Error);

        await manager.CreateTopicAsync("t", 1);
        await manager.GroupOffsets.CommitOffsetsAsync("g", [new OffsetCommit("t", 0, 1), new OffsetCommit("keep", 0, 2)]);
        await manager.DeleteTopicAsync("t");
        Assert.Null(manager.GroupOffsets.FetchOffset("g", "t", 0));
        Assert.Equal(2, manager.GroupOffsets.FetchOffset("g", "keep", 0)!.Offset);
    }

    [Fact]
    public async Task The_offsets_topic_is_compacted_and_still_loads_after_compaction()
    {
        using var dir = new TempDir();
        await using (var manager = await Storage.OpenAsync(dir.Path, tweak: o => o with { OffsetsTopicSegmentBytes = 2000 }))
        {
            for (var i = 0; i < 200; i++)
            {
                await manager.GroupOffsets.CommitOffsetsAsync("g", [new OffsetCommit("t", i % 3, i)]);
            }

            var log = manager.GetPartition("__consumer_offsets", 0)!;
            var before = log.Size;
            await manager.CompactAsync(force: true);
            Assert.True(log.Size < before);
        }

        await using var reopened = await Storage.OpenAsync(dir.Path);
        Assert.Equal(198, reopened.GroupOffsets.FetchOffset("g", "t", 0)!.Offset);
        Assert.Equal(199, reopened.GroupOffsets.FetchOffset("g", "t", 1)!.Offset);
        Assert.Equal(197, reopened.GroupOffsets.FetchOffset("g", "t", 2)!.Offset);
    }
}
