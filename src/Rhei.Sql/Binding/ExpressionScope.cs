using Rhei.Formats.Types;
using Rhei.Sql.Ast;

namespace Rhei.Sql.Binding;

/// <summary>
/// The columns an expression can see, and how names resolve to them as in ksqlDB: names are compared
/// case-sensitively on the already upper-cased (or quoted) identifiers; <c>SRC.COL</c> matches the column of that
/// source; <c>COL</c> matches a column of any source and is ambiguous when several sources have one.
/// Immutable; build one per query stage (source row, joined row, aggregated row).
/// </summary>
public sealed class ExpressionScope
{
    private readonly Dictionary<string, List<ScopeColumn>> _byName = new(StringComparer.Ordinal);
    private readonly HashSet<string> _sources = new(StringComparer.Ordinal);

    /// <summary>A scope over <paramref name="columns"/>. <paramref name="sources"/> adds source names or aliases that
    /// are valid qualifiers even when no column carries them (the columns' own sources are always valid).</summary>
    public ExpressionScope(IEnumerable<ScopeColumn> columns, IEnumerable<string>? sources = null)
    {
        Columns = [.. columns];
        foreach (var c in Columns)
        {
            Add(c.SourceColumnName, c);
            if (c.Name != c.SourceColumnName)
            {
                Add(c.Name, c);
            }

            if (c.Source is not null)
            {
                _sources.Add(c.Source);
            }
        }

        foreach (var s in sources ?? [])
        {
            _sources.Add(s);
        }
    }

    /// <summary>A scope without columns (constant expressions: INSERT VALUES, WITH properties).</summary>
    public static ExpressionScope Empty { get; } = new([]);

    /// <summary>A scope whose columns are <paramref name="columns"/> at row indexes 0, 1, ... with no source.</summary>
    public static ExpressionScope Of(params (string Name, SqlType Type)[] columns) =>
        new(columns.Select((c, i) => new ScopeColumn(c.Name, c.Type, i)));

    /// <summary>A scope whose columns, at row indexes 0, 1, ..., all belong to <paramref name="source"/>.</summary>
    public static ExpressionScope OfSource(string source, params (string Name, SqlType Type)[] columns) =>
        new(columns.Select((c, i) => new ScopeColumn(c.Name, c.Type, i, source)), [source]);

    public IReadOnlyList<ScopeColumn> Columns { get; }

    /// <summary>The names and aliases that may qualify a column reference.</summary>
    public IReadOnlySet<string> Sources => _sources;

    /// <summary>Finds the column a reference denotes; false when there is none or the reference is ambiguous.</summary>
    public bool TryResolve(string? source, string name, out ScopeColumn column)
    {
        var matches = Matches(source, name);
        column = matches.Count == 1 ? matches[0] : null!;
        return matches.Count == 1;
    }

    /// <summary>
    /// Finds the column a reference denotes, or throws ksqlDB's error: <c>'X' is not a valid stream/table name or
    /// alias.</c>, <c>{clause} column 'S.C' cannot be resolved.</c> (<c>Column 'C' cannot be resolved.</c> without a
    /// clause), <c>Column 'C' is ambiguous. Could be A.C or B.C.</c>
    /// </summary>
    /// <exception cref="SqlBindingException">The reference does not resolve to exactly one column.</exception>
    public ScopeColumn Resolve(string? source, string name, string? clause = null, SourcePosition position = default)
    {
        var matches = Matches(source, name);
        if (matches.Count == 1)
        {
            return matches[0];
        }

        var text = source is null ? name : source + "." + name;
        if (matches.Count == 0)
        {
            if (source is not null && !_sources.Contains(source))
            {
                throw new SqlBindingException($"'{source}' is not a valid stream/table name or alias.", position);
            }

            throw new SqlBindingException(
                clause is null ? $"Column '{text}' cannot be resolved." : $"{clause} column '{text}' cannot be resolved.", position);
        }

        var candidates = matches.Select(c => c.QualifiedName).ToList();
        var list = candidates.Count == 2
            ? candidates[0] + " or " + candidates[1]
            : string.Join(", ", candidates.Take(candidates.Count - 1)) + " or " + candidates[^1];
        throw new SqlBindingException($"Column '{text}' is ambiguous. Could be {list}.", position);
    }

    private List<ScopeColumn> Matches(string? source, string name)
    {
        if (!_byName.TryGetValue(name, out var named))
        {
            return [];
        }

        var result = new List<ScopeColumn>(1);
        foreach (var c in named)
        {
            if (source is not null && (c.Source != source || c.SourceColumnName != name))
            {
                continue;
            }

            if (!result.Exists(r => r.Index == c.Index))
            {
                result.Add(c);
            }
        }

        return result;
    }

    private void Add(string key, ScopeColumn column)
    {
        if (!_byName.TryGetValue(key, out var list))
        {
            _byName[key] = list = [];
        }

        list.Add(column);
    }
}
