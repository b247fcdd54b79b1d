using Rhei.Streams.State;
using static Rhei.Streams.Tests.TestSupport;

namespace Rhei.Streams.Tests;

public class StoreTests
{
    private static StoreContext Context(string dir, long ts = 0) => new(new TaskId(0, 0), dir, "app-store-changelog", () => ts, null);

    public static TheoryData<StoreType> Types => [StoreType.InMemory, StoreType.RocksDb];

    [Theory]
    [MemberData(nameof(Types))]
    public void Key_value_store_put_get_delete_range_prefix_and_all(StoreType type)
    {
        var dir = TempDir();
        var store = (IKeyValueStore<string, string>)Stores.KeyValue("kv", Serdes.String, Serdes.String, type).Build(Context(dir));
        foreach (var k in new[] { "b", "a", "ab", "c", "d" }) { store.Put(k, "v" + k); }
        store.Delete("d");
        Assert.True(store.TryGet("ab", out var v));
        Assert.Equal("vab", v);
        Assert.False(store.TryGet("d", out _));
        Assert.Equal(["a", "ab", "b"], store.Range("a", "b").Select(e => e.Key));
        Assert.Equal(["a", "ab"], store.PrefixScan("a").Select(e => e.Key));
        Assert.Equal(["a", "ab", "b", "c"], store.All().Select(e => e.Key));
        store.Close();
    }

    [Fact]
    public void RocksDb_key_value_store_reopens_the_same_directory_with_its_data()
    {
        var dir = TempDir();
        var spec = Stores.TimestampedKeyValue("kv", Serdes.String, Serdes.Int64, StoreType.RocksDb);
        var store = (IKeyValueStore<string, ValueAndTimestamp<long>>)spec.Build(Context(dir));
        store.Put("x", new ValueAndTimestamp<long>(42, 7));
        store.Flush();
        store.Close();
        Assert.True(Directory.Exists(Path.Combine(dir, "rocksdb", "kv")));
        var reopened = (IKeyValueStore<string, ValueAndTimestamp<long>>)spec.Build(Context(dir));
        Assert.True(reopened.TryGet("x", out var v));
        Assert.Equal(new ValueAndTimestamp<long>(42, 7), v);
        reopened.Close();
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Window_store_fetches_by_time_range_and_expires_by_retention(StoreType type)
    {
        var dir = TempDir();
        var store = (IWindowStore<string, string>)Stores.Window("w", Serdes.String, Serdes.String, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(10), false, type).Build(Context(dir));
        store.Put("a", "0", 0);
        store.Put("a", "10", 10);
        store.Put("b", "10", 10);
        store.Put("a", "20", 20);
        store.Put("ab", "20", 20);
        Assert.Equal([10L, 20L], store.Fetch("a", 5, 25).Select(e => e.Key));
        Assert.True(store.TryFetch("b", 10, out var v));
        Assert.Equal("10", v);
        Assert.Equal(["a@10", "b@10", "a@20", "ab@20"], store.FetchAll(10, 20).Select(e => $"{e.Key.Key}@{e.Key.Window.Start}").OrderBy(s => int.Parse(s.Split('@')[1])).ThenBy(s => s, StringComparer.Ordinal));
        Assert.Equal(["a@10", "b@10"], store.FetchRange("a", "b", 10, 10).Select(e => $"{e.Key.Key}@{e.Key.Window.Start}").Order());
        Assert.Equal(30, store.FetchAll(20, 20)[0].Key.Window.End);
        store.Put("a", "100", 100);  // observed 100, retention 100: start 0 is expired
        Assert.Equal([10L, 20L, 100L], store.Fetch("a", 0, 200).Select(e => e.Key));
        store.Put("z", "late", 0);   // expired on write
        Assert.Empty(store.Fetch("z", 0, 200));
        store.Close();
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Window_store_with_duplicates_keeps_every_value(StoreType type)
    {
        var store = (IWindowStore<string, string>)Stores.Window("w", Serdes.String, Serdes.String, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(10), true, type).Build(Context(TempDir()));
        store.Put("a", "x", 5);
        store.Put("a", "y", 5);
        store.Put("a", "z", 6);
        Assert.Equal(["x", "y", "z"], store.Fetch("a", 0, 10).Select(e => e.Value));
        store.Close();
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Session_store_finds_sessions_overlapping_a_range(StoreType type)
    {
        var store = (ISessionStore<string, long>)Stores.Session<string, long>("s", Serdes.String, Serdes.Int64, TimeSpan.FromMilliseconds(1000), type).Build(Context(TempDir()));
        store.Put(new Windowed<string>("a", new Window(0, 10)), 1);
        store.Put(new Windowed<string>("a", new Window(50, 60)), 2);
        store.Put(new Windowed<string>("a", new Window(100, 100)), 3);
        store.Put(new Windowed<string>("b", new Window(0, 70)), 4);
        Assert.Equal([2L, 3L], store.FindSessions("a", 55, 100).Select(e => e.Value));
        Assert.Equal([1L, 2L], store.FindSessions("a", 0, 50).Select(e => e.Value));
        Assert.True(store.TryFetchSession("b", 0, 70, out var b));
        Assert.Equal(4, b);
        store.Remove(new Windowed<string>("a", new Window(50, 60)));
        Assert.Equal([1L, 3L], store.Fetch("a").Select(e => e.Value));
        Assert.Equal(["a", "a", "b"], store.All().Select(e => e.Key.Key));
        Assert.Equal(["b"], store.FetchRange("b", "c").Select(e => e.Key.Key));
        store.Close();
    }

    [Fact]
    public void Stores_write_changelog_records_in_the_store_layout()
    {
        var dir = TempDir();
        var logged = new List<(byte[] Key, byte[]? Value, long Ts)>();
        var store = (IWindowStore<string, string>)Stores.Window("w", Serdes.String, Serdes.String, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(10)).Build(Context(dir, 33));
        ((IManagedStore)store).ChangelogWriter = (k, v, ts) => logged.Add((k, v, ts));
        store.Put("a", "v", 20);
        var (key, value, t) = Assert.Single(logged);
        Assert.Equal("a", System.Text.Encoding.UTF8.GetString(KeyLayouts.WindowKeyBytes(key)));
        Assert.Equal(20, KeyLayouts.WindowStart(key));
        Assert.Equal("v", System.Text.Encoding.UTF8.GetString(value!));
        Assert.Equal(33, t);
    }
}
