using System.Collections.Immutable;
using System.Text;
using Rhei.Sql.Ast;
using Rhei.Sql.Binding;
using Rhei.Sql.Schema;

namespace Rhei.Sql.Planning;

/// <summary>Whether a stage's output is a stream of events (append) or a changelog of a table (upsert by key).</summary>
public enum StepKind
{
    Stream,
    Table,
}

/// <summary>
/// A step of the stream plan, like ksqlDB's execution steps: it knows its schema (key and row columns), whether it is a
/// stream or a table, and whether its key is windowed. The builder in <c>Rhei.Sql.Execution</c> turns steps into
/// Rhei.Streams operators. Steps are immutable and check their inputs.
/// </summary>
public abstract record ExecutionStep(string Name, PlanSchema Schema, StepKind Kind, WindowInfo? Window)
{
    public abstract IReadOnlyList<ExecutionStep> Inputs { get; }

    public bool IsTable => Kind == StepKind.Table;

    /// <summary>The one-line description EXPLAIN prints for the step.</summary>
    public abstract string Describe();

    /// <summary>The plan from this step down, one step per line, inputs indented.</summary>
    public string Explain()
    {
        var sb = new StringBuilder();
        Explain(sb, 0);
        return sb.ToString();
    }

    private void Explain(StringBuilder sb, int depth)
    {
        sb.Append(new string(' ', depth * 2)).Append(" > [ ").Append(GetType().Name.Replace("Step", "", StringComparison.Ordinal)).Append(" ] | ")
            .Append(Describe()).Append(" | Schema: ").Append(Schema).Append(" | ").Append(Kind == StepKind.Table ? "table" : "stream");
        if (Window is not null)
        {
            sb.Append(", windowed ").Append(Window);
        }

        sb.Append('\n');
        foreach (var i in Inputs)
        {
            i.Explain(sb, depth + 1);
        }
    }
}

/// <summary>Reads a stream's or table's topic; rows get the source's value, header and pseudo columns, window bounds and key copies.</summary>
public sealed record SourceStep(DataSource Source, string Alias, PlanSchema RowSchema)
    : ExecutionStep("KsqlTopic", RowSchema, Source.IsTable ? StepKind.Table : StepKind.Stream, Source.Topic.KeyFormat.Window)
{
    public override IReadOnlyList<ExecutionStep> Inputs => [];

    public override string Describe() => $"{Source.Name} AS {Alias} (topic {Source.KafkaTopicName}, key {Source.Topic.KeyFormat.Name}, value {Source.Topic.ValueFormat.Name})";
}

/// <summary>Keeps the rows for which the predicate is TRUE (WHERE, HAVING).</summary>
public sealed record FilterStep(ExecutionStep Input, BoundExpression Predicate, string StepName)
    : ExecutionStep(StepName, Input.Schema, Input.Kind, Input.Window)
{
    public override IReadOnlyList<ExecutionStep> Inputs => [Input];

    public override string Describe() => $"{StepName}: {Predicate.ToSql()}";
}

/// <summary>Computes a new row from each row; the key is unchanged.</summary>
public sealed record ProjectStep(ExecutionStep Input, ImmutableArray<BoundExpression> Expressions, PlanSchema OutputSchema, string StepName)
    : ExecutionStep(StepName, OutputSchema, Input.Kind, Input.Window)
{
    public override IReadOnlyList<ExecutionStep> Inputs => [Input];

    public override string Describe() =>
        StepName + ": " + string.Join(", ", Expressions.Select((e, i) => $"{e.ToSql()} AS {OutputSchema.Value[i].Name}"));
}

/// <summary>Re-keys a stream (PARTITION BY, or a join on a value column); a later grouping or join repartitions it.</summary>
public sealed record SelectKeyStep(ExecutionStep Input, ImmutableArray<BoundExpression> KeyExpressions, PlanSchema OutputSchema, string StepName)
    : ExecutionStep(StepName, OutputSchema, Input.Kind, Input.Window)
{
    public override IReadOnlyList<ExecutionStep> Inputs => [Input];

    public override string Describe() => StepName + ": " + (KeyExpressions.IsEmpty ? "NULL" : string.Join(", ", KeyExpressions.Select(e => e.ToSql())));
}

/// <summary>Table functions: one output row per element (several functions are zipped, the shorter padded with NULLs).</summary>
public sealed record FlatMapStep(ExecutionStep Input, ImmutableArray<BoundTableFunctionCall> Functions, PlanSchema OutputSchema)
    : ExecutionStep("FlatMap", OutputSchema, StepKind.Stream, Input.Window)
{
    public override IReadOnlyList<ExecutionStep> Inputs => [Input];

    public override string Describe() => "FlatMap: " + string.Join(", ", Functions.Select(f => f.ToSql()));
}

/// <summary>The window of an aggregation.</summary>
public sealed record WindowSpec(Formats.Windowed.WindowType Type, long SizeMs, long AdvanceMs, long? GraceMs, long? RetentionMs)
{
    public override string ToString() => Type switch
    {
        Formats.Windowed.WindowType.Session => $"SESSION ({SizeMs} ms)",
        Formats.Windowed.WindowType.Hopping => $"HOPPING (SIZE {SizeMs} ms, ADVANCE BY {AdvanceMs} ms)",
        _ => $"TUMBLING (SIZE {SizeMs} ms)",
    } + (GraceMs is { } g ? $" GRACE {g} ms" : "");
}

/// <summary>
/// GROUP BY and the aggregate calls: rows are grouped by <see cref="GroupBy"/> (the key when empty and
/// <see cref="ByKey"/>), optionally in windows; the result row holds the group key columns, the aggregate results and,
/// when windowed, WINDOWSTART and WINDOWEND.
/// </summary>
public sealed record AggregateStep(
    ExecutionStep Input,
    ImmutableArray<BoundExpression> GroupBy,
    bool ByKey,
    ImmutableArray<BoundAggregateCall> Aggregates,
    WindowSpec? WindowSpec,
    PlanSchema OutputSchema,
    WindowInfo? OutputWindow)
    : ExecutionStep("Aggregate", OutputSchema, StepKind.Table, OutputWindow)
{
    public override IReadOnlyList<ExecutionStep> Inputs => [Input];

    public override string Describe() =>
        $"GROUP BY {(ByKey ? "<key>" : string.Join(", ", GroupBy.Select(g => g.ToSql())))}{(WindowSpec is null ? "" : " WINDOW " + WindowSpec)}: " +
        string.Join(", ", Aggregates.Select(a => a.ToSql()));
}

/// <summary>The kinds of join, by the sides' kinds and the key they join on.</summary>
public enum JoinKind
{
    StreamStream,
    StreamTable,
    TableTable,
    ForeignKey,
}

/// <summary>
/// A join of two keyed inputs (both keyed by the join key; a foreign-key join keys only the right). The row is the
/// left row then the right row (nulls for a missing side); the key is the join key.
/// </summary>
public sealed record JoinStep(
    ExecutionStep Left,
    ExecutionStep Right,
    JoinKind JoinKind,
    JoinType JoinType,
    WithinClause? Within,
    BoundExpression? ForeignKey,
    PlanSchema OutputSchema,
    int LeftWidth,
    string StepName)
    : ExecutionStep(StepName, OutputSchema, JoinKind is JoinKind.StreamStream or JoinKind.StreamTable ? StepKind.Stream : StepKind.Table, Left.Window)
{
    public override IReadOnlyList<ExecutionStep> Inputs => [Left, Right];

    public override string Describe() =>
        $"{JoinKind} {JoinType.ToString().ToUpperInvariant()} JOIN{(Within is null ? "" : " " + Within.ToSql())}{(ForeignKey is null ? "" : " ON FOREIGN KEY " + ForeignKey.ToSql())}";
}

/// <summary>EMIT FINAL: holds a windowed table's updates until its window closes.</summary>
public sealed record SuppressStep(ExecutionStep Input)
    : ExecutionStep("Suppress", Input.Schema, StepKind.Table, Input.Window)
{
    public override IReadOnlyList<ExecutionStep> Inputs => [Input];

    public override string Describe() => "EMIT FINAL";
}

/// <summary>
/// Writes the rows to the sink's topic: key columns from the key, value columns from the row (a table's deletes as
/// tombstones). <see cref="TimestampColumn"/>, when set, is the row column whose value becomes the record timestamp.
/// </summary>
public sealed record SinkStep(ExecutionStep Input, DataSource Sink, int? TimestampColumn, string? TimestampFormat, int? Limit)
    : ExecutionStep("Sink", Input.Schema, Input.Kind, Input.Window)
{
    public override IReadOnlyList<ExecutionStep> Inputs => [Input];

    /// <summary>The key column whose value becomes the record timestamp (a TIMESTAMP that names a key column).</summary>
    public int? TimestampKeyColumn { get; init; }

    public override string Describe() => $"{Sink.Name} (topic {Sink.KafkaTopicName}, key {Sink.Topic.KeyFormat.Name}, value {Sink.Topic.ValueFormat.Name})";
}
