namespace Rhei.Sql.Binding;

/// <summary>
/// Where an expression is bound, which decides what it may contain and how errors read.
/// </summary>
public sealed record BindOptions
{
    /// <summary>No clause name, no aggregates, no table functions.</summary>
    public static readonly BindOptions Default = new();

    /// <summary>
    /// The clause the expression belongs to, as ksqlDB names it in messages (<c>SELECT</c>, <c>WHERE</c>,
    /// <c>HAVING</c>, <c>GROUP BY</c>, <c>PARTITION BY</c>, <c>JOIN ON</c>): <c>WHERE column 'BOB' cannot be resolved.</c>
    /// Null gives <c>Column 'BOB' cannot be resolved.</c>
    /// </summary>
    public string? Clause { get; init; }

    /// <summary>True where aggregate calls are allowed (SELECT and HAVING of an aggregating query); they bind to
    /// <see cref="BoundAggregateCall"/>. Otherwise an aggregate call is a binding error.</summary>
    public bool AllowAggregates { get; init; }

    /// <summary>True where table functions are allowed (a SELECT item); they bind to
    /// <see cref="BoundTableFunctionCall"/>.</summary>
    public bool AllowTableFunctions { get; init; }
}
