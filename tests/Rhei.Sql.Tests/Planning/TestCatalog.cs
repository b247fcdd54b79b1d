using Rhei.Formats.Serde;
using Rhei.Formats.Types;
using Rhei.Formats.Windowed;
using Rhei.Sql.Ast;
using Rhei.Sql.Planning;
using Rhei.Sql.Schema;

namespace Rhei.Sql.Tests.Planning;

/// <summary>A small metastore for planner tests: a stream of orders, a table of users, a stream of clicks.</summary>
internal sealed class TestCatalog : ISourceCatalog
{
    private readonly Dictionary<string, DataSource> _sources = new(StringComparer.Ordinal);

    public TestCatalog()
    {
        Add(Stream("ORDERS", "orders", ("ORDERID", SqlTypes.String, true), ("USERID", SqlTypes.String, false), ("ITEM", SqlTypes.String, false), ("PRICE", SqlTypes.Double, false)));
        Add(Table("USERS", "users", ("USERID", SqlTypes.String, true), ("NAME", SqlTypes.String, false), ("REGION", SqlTypes.String, false)));
        Add(Stream("CLICKS", "clicks", ("USERID", SqlTypes.String, true), ("PAGE", SqlTypes.String, false), ("TAGS", SqlTypes.Array(SqlTypes.String), false)));
    }

    public DataSource? GetSource(string name) => _sources.TryGetValue(name, out var s) ? s : null;

    public SqlType? GetType(string name) => null;

    private void Add(DataSource source) => _sources[source.Name] = source;

    private static DataSource Stream(string name, string topic, params (string Name, SqlType Type, bool Key)[] columns) => Source(name, topic, SourceType.Stream, columns);

    private static DataSource Table(string name, string topic, params (string Name, SqlType Type, bool Key)[] columns) => Source(name, topic, SourceType.Table, columns);

    private static DataSource Source(string name, string topic, SourceType type, (string Name, SqlType Type, bool Key)[] columns)
    {
        var b = LogicalSchema.CreateBuilder();
        foreach (var c in columns)
        {
            if (c.Key)
            {
                b.KeyColumn(c.Name, c.Type);
            }
            else
            {
                b.ValueColumn(c.Name, c.Type);
            }
        }

        var keyFormat = new KeyFormat(FormatInfo.Of("KAFKA"), SerdeFeatures.UnwrapSingles);
        var valueFormat = new ValueFormat(FormatInfo.Of("JSON"), SerdeFeatures.None);
        _ = WindowType.Tumbling;
        return new DataSource(name, type, b.Build(), new KsqlTopic(topic, keyFormat, valueFormat));
    }
}
