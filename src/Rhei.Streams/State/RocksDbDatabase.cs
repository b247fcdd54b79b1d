using RocksDbSharp;

namespace Rhei.Streams.State;

/// <summary>
/// One RocksDB database for one store, at <c>state.dir/&lt;application.id&gt;/&lt;task id&gt;/rocksdb/&lt;store&gt;</c>,
/// with optional column families (segments of window and session stores). Writes skip the WAL: the
/// changelog topic is the store's durability, as in Kafka Streams.
/// </summary>
internal sealed class RocksDbDatabase : IDisposable
{
    private readonly DbOptions _options;
    private readonly Dictionary<string, ColumnFamilyHandle> _families = new(StringComparer.Ordinal);

    public RocksDbDatabase(string path)
    {
        Path = path;
        Directory.CreateDirectory(path);
        _options = new DbOptions().SetCreateIfMissing(true).SetCreateMissingColumnFamilies(true);
        var existing = RocksDb.TryListColumnFamilies(_options, path, out var names) ? names : ["default"];
        var families = new ColumnFamilies();
        foreach (var name in existing)
        {
            if (name != "default") { families.Add(name, new ColumnFamilyOptions()); }
        }

        Db = RocksDb.Open(_options, path, families);
        foreach (var name in existing)
        {
            if (name != "default") { _families[name] = Db.GetColumnFamily(name); }
        }

        WriteOptions = new WriteOptions().DisableWal(1);
    }

    public string Path { get; }

    public RocksDb Db { get; }

    public WriteOptions WriteOptions { get; }

    public IEnumerable<string> FamilyNames => _families.Keys;

    public ColumnFamilyHandle? Family(string name) => _families.GetValueOrDefault(name);

    public ColumnFamilyHandle GetOrCreateFamily(string name)
    {
        if (!_families.TryGetValue(name, out var handle))
        {
            handle = Db.CreateColumnFamily(new ColumnFamilyOptions(), name);
            _families[name] = handle;
        }

        return handle;
    }

    public void DropFamily(string name)
    {
        if (_families.Remove(name)) { Db.DropColumnFamily(name); }
    }

    public void Flush() => Db.Flush(new FlushOptions().SetWaitForFlush(true));

    public void Dispose() => Db.Dispose();
}
