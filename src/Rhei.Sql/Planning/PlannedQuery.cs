using Rhei.Sql.Schema;

namespace Rhei.Sql.Planning;

/// <summary>A planned persistent query: its sources, its sink, and each stage's plan.</summary>
public sealed class PlannedQuery
{
    public PlannedQuery(DataSource sink, IReadOnlyList<DataSource> sources)
    {
        Sink = sink;
        Sources = sources;
    }

    public DataSource Sink { get; }

    public IReadOnlyList<DataSource> Sources { get; }
}
