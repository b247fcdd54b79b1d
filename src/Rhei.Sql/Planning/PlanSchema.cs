using System.Collections.Immutable;
using Rhei.Formats.Types;
using Rhei.Sql.Binding;
using Rhei.Sql.Schema;

namespace Rhei.Sql.Planning;

/// <summary>
/// A column of a row inside a query: its name in the row (<c>L_A</c> after a join), type, and — for references — the
/// source alias that qualifies it and its name in that source (<c>L</c>, <c>A</c>).
/// </summary>
public sealed record PlanColumn(string Name, SqlType Type, string? Source = null, string? SourceName = null)
{
    public string ReferenceName => SourceName ?? Name;

    public override string ToString() => $"`{Name}` {Type}";
}

/// <summary>
/// The schema of one stage of a query: its key columns and the columns of its rows (the values expressions read). The
/// row layout is the order of <see cref="Value"/>; expressions are bound against <see cref="Scope"/>.
/// </summary>
public sealed class PlanSchema
{
    public PlanSchema(IEnumerable<PlanColumn> key, IEnumerable<PlanColumn> value)
    {
        Key = [.. key];
        Value = [.. value];
    }

    public ImmutableArray<PlanColumn> Key { get; }

    public ImmutableArray<PlanColumn> Value { get; }

    public IReadOnlyList<SqlType> KeyTypes => [.. Key.Select(c => c.Type)];

    public IReadOnlyList<SqlType> ValueTypes => [.. Value.Select(c => c.Type)];

    public int IndexOf(string name)
    {
        for (var i = 0; i < Value.Length; i++)
        {
            if (Value[i].Name == name)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The scope expressions of this stage are bound in: every row column, qualified by its source.</summary>
    public ExpressionScope Scope(IEnumerable<string>? sources = null) =>
        new(Value.Select((c, i) => new ScopeColumn(c.Name, c.Type, i, c.Source) { SourceColumnName = c.ReferenceName }), sources);

    /// <summary>The stage as a logical schema (key columns, then the row's columns as values).</summary>
    public LogicalSchema ToLogical()
    {
        var b = LogicalSchema.CreateBuilder();
        foreach (var k in Key)
        {
            b.KeyColumn(k.Name, k.Type);
        }

        foreach (var v in Value)
        {
            b.ValueColumn(v.Name, v.Type);
        }

        return b.Build();
    }

    public override string ToString() => string.Join(", ", Key.Select(k => k + " KEY").Concat(Value.Select(v => v.ToString())));
}
