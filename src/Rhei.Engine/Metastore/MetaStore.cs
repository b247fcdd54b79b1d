using Rhei.Formats.Types;
using Rhei.Sql.Planning;
using Rhei.Sql.Schema;

namespace Rhei.Engine.Metastore;

/// <summary>
/// The engine's catalog: streams and tables by name (case-sensitive, as stored), custom types, and persistent queries
/// with the sources each reads and writes. Not thread-safe on its own: the engine executes statements one at a time.
/// </summary>
public sealed class MetaStore : ISourceCatalog
{
    private readonly Dictionary<string, DataSource> _sources = new(StringComparer.Ordinal);
    private readonly List<string> _sourceOrder = [];
    private readonly Dictionary<string, SqlType> _types = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PersistentQuery> _queries = new(StringComparer.Ordinal);
    private readonly List<string> _queryOrder = [];

    /// <summary>The sources in creation order.</summary>
    public IReadOnlyList<DataSource> Sources => [.. _sourceOrder.Select(n => _sources[n])];

    public IReadOnlyDictionary<string, SqlType> Types => _types;

    /// <summary>The persistent queries in start order (terminated ones are removed).</summary>
    public IReadOnlyList<PersistentQuery> Queries => [.. _queryOrder.Select(q => _queries[q])];

    public DataSource? GetSource(string name) => _sources.TryGetValue(name, out var s) ? s : null;

    public SqlType? GetType(string name) => _types.TryGetValue(name, out var t) ? t : null;

    public PersistentQuery? GetQuery(string id) => _queries.TryGetValue(id, out var q) ? q : null;

    /// <summary>A source whose name matches case-insensitively but not exactly (for "did you mean" hints).</summary>
    public DataSource? FindCaseInsensitive(string name) =>
        _sources.Values.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase) && s.Name != name);

    public void PutSource(DataSource source)
    {
        if (!_sources.ContainsKey(source.Name))
        {
            _sourceOrder.Add(source.Name);
        }

        _sources[source.Name] = source;
    }

    public void RemoveSource(string name)
    {
        if (_sources.Remove(name))
        {
            _sourceOrder.Remove(name);
        }
    }

    public void PutType(string name, SqlType type) => _types[name] = type;

    public bool RemoveType(string name) => _types.Remove(name);

    public void AddQuery(PersistentQuery query)
    {
        _queries.Add(query.Id, query);
        _queryOrder.Add(query.Id);
    }

    public void RemoveQuery(string id)
    {
        if (_queries.Remove(id))
        {
            _queryOrder.Remove(id);
        }
    }

    /// <summary>The ids of the queries that read the source.</summary>
    public IReadOnlyList<string> QueriesReading(string source) =>
        [.. Queries.Where(q => q.Sources.Contains(source, StringComparer.Ordinal)).Select(q => q.Id)];

    /// <summary>The ids of the queries that write the source.</summary>
    public IReadOnlyList<string> QueriesWriting(string source) =>
        [.. Queries.Where(q => q.Sink == source).Select(q => q.Id)];
}
