using Rhei.Sql.Schema;

namespace Rhei.Sql.Planning;

/// <summary>A planned persistent query: its sources, its sink, and each stage's plan (logical plan, stream plan).</summary>
public sealed class PlannedQuery
{
    public PlannedQuery(DataSource sink, IReadOnlyList<DataSource> sources, SinkStep root, string logicalPlan)
    {
        Sink = sink;
        Sources = sources;
        Root = root;
        LogicalPlan = logicalPlan;
    }

    /// <summary>The stream or table the query writes (new for CSAS/CTAS, existing for INSERT INTO).</summary>
    public DataSource Sink { get; }

    public IReadOnlyList<DataSource> Sources { get; }

    /// <summary>The stream plan, from the sink down.</summary>
    public SinkStep Root { get; }

    /// <summary>The logical plan as EXPLAIN prints it.</summary>
    public string LogicalPlan { get; }

    /// <summary>PARTITIONS / REPLICAS given in the WITH clause (null: inherit from the source's topic).</summary>
    public int? Partitions { get; init; }

    public short? Replicas { get; init; }

    public string ExecutionPlan => Root.Explain();
}
