namespace Rhei.Sql.Ast;

/// <summary>The <c>WINDOW</c> clause of an aggregation.</summary>
public abstract record WindowExpression : SqlNode
{
    /// <summary><c>RETENTION n unit</c>, if given.</summary>
    public abstract SqlDuration? Retention { get; }

    /// <summary><c>GRACE PERIOD n unit</c>, if given.</summary>
    public abstract SqlDuration? GracePeriod { get; }

    private protected void WriteOptions(SqlWriter writer)
    {
        if (Retention is { } retention)
        {
            writer.Append(", RETENTION ").Append(retention.ToSql());
        }

        if (GracePeriod is { } grace)
        {
            writer.Append(", GRACE PERIOD ").Append(grace.ToSql());
        }

        writer.Append(')');
    }
}

/// <summary><c>TUMBLING (SIZE n unit [, RETENTION n unit] [, GRACE PERIOD n unit])</c>.</summary>
public sealed record TumblingWindow(SqlDuration Size, SqlDuration? Retention = null, SqlDuration? GracePeriod = null) : WindowExpression
{
    public override SqlDuration? Retention { get; } = Retention;

    public override SqlDuration? GracePeriod { get; } = GracePeriod;

    internal override void WriteTo(SqlWriter writer)
    {
        writer.Append("TUMBLING (SIZE ").Append(Size.ToSql());
        WriteOptions(writer);
    }
}

/// <summary><c>HOPPING (SIZE n unit, ADVANCE BY n unit [, RETENTION n unit] [, GRACE PERIOD n unit])</c>.</summary>
public sealed record HoppingWindow(SqlDuration Size, SqlDuration AdvanceBy, SqlDuration? Retention = null, SqlDuration? GracePeriod = null) : WindowExpression
{
    public override SqlDuration? Retention { get; } = Retention;

    public override SqlDuration? GracePeriod { get; } = GracePeriod;

    internal override void WriteTo(SqlWriter writer)
    {
        writer.Append("HOPPING (SIZE ").Append(Size.ToSql()).Append(", ADVANCE BY ").Append(AdvanceBy.ToSql());
        WriteOptions(writer);
    }
}

/// <summary><c>SESSION (n unit [, RETENTION n unit] [, GRACE PERIOD n unit])</c>: <see cref="Gap"/> is the inactivity gap.</summary>
public sealed record SessionWindow(SqlDuration Gap, SqlDuration? Retention = null, SqlDuration? GracePeriod = null) : WindowExpression
{
    public override SqlDuration? Retention { get; } = Retention;

    public override SqlDuration? GracePeriod { get; } = GracePeriod;

    internal override void WriteTo(SqlWriter writer)
    {
        writer.Append("SESSION (").Append(Gap.ToSql());
        WriteOptions(writer);
    }
}
