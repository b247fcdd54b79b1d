using System.Collections.Immutable;
using Rhei.Formats.Serde;
using Rhei.Formats.Types;

namespace Rhei.Sql.Schema;

/// <summary>
/// The schema of a stream or table as ksqlDB models it: key columns, then value columns (header columns sit among the
/// value columns, in declaration order, with namespace <see cref="ColumnNamespace.Headers"/>). Pseudo-columns
/// (ROWTIME, ROWPARTITION, ROWOFFSET) and window bounds are not stored; <see cref="WithPseudoAndKeyColumnsInValue"/>
/// gives the row layout a query's expressions see. Immutable; names are case-sensitive.
/// </summary>
public sealed class LogicalSchema : IEquatable<LogicalSchema>
{
    public static readonly LogicalSchema Empty = new([], []);

    private LogicalSchema(ImmutableArray<Column> key, ImmutableArray<Column> value)
    {
        Key = key;
        Value = value;
        Columns = [.. key, .. value];
    }

    /// <summary>The key columns, in key order.</summary>
    public ImmutableArray<Column> Key { get; }

    /// <summary>The value and header columns, in declaration order.</summary>
    public ImmutableArray<Column> Value { get; }

    /// <summary>Key columns, then value columns.</summary>
    public ImmutableArray<Column> Columns { get; }

    /// <summary>The value columns a value format reads and writes (header columns excluded).</summary>
    public IEnumerable<Column> PhysicalValue => Value.Where(c => c.Namespace == ColumnNamespace.Value);

    public IEnumerable<Column> HeaderColumns => Value.Where(c => c.IsHeader);

    public bool HasHeaders => Value.Any(c => c.IsHeader);

    public static Builder CreateBuilder() => new();

    /// <summary>The column of that name (key columns first), or null.</summary>
    public Column? FindColumn(string name)
    {
        foreach (var c in Columns)
        {
            if (c.Name == name)
            {
                return c;
            }
        }

        return null;
    }

    public Column? FindValueColumn(string name)
    {
        foreach (var c in Value)
        {
            if (c.Name == name)
            {
                return c;
            }
        }

        return null;
    }

    public bool IsKeyColumn(string name) => Key.Any(c => c.Name == name);

    /// <summary>The physical schema a key format reads and writes.</summary>
    public SerdeSchema KeySerdeSchema() => new(Key.Select(c => new SerdeColumn(c.Name, c.Type)));

    /// <summary>The physical schema a value format reads and writes.</summary>
    public SerdeSchema ValueSerdeSchema() => new(PhysicalValue.Select(c => new SerdeColumn(c.Name, c.Type)));

    /// <summary>
    /// The layout of a row inside a query, as ksqlDB builds it at a source: the value columns, then ROWTIME,
    /// ROWPARTITION, ROWOFFSET, then (windowed sources) WINDOWSTART and WINDOWEND, then copies of the key columns.
    /// </summary>
    public LogicalSchema WithPseudoAndKeyColumnsInValue(bool windowed)
    {
        var b = CreateBuilder();
        foreach (var k in Key)
        {
            b.KeyColumn(k.Name, k.Type);
        }

        foreach (var v in Value)
        {
            b.Add(v.Name, v.Type, v.Namespace, v.HeaderKey);
        }

        foreach (var (name, type) in SystemColumns.PseudoColumns)
        {
            b.ValueColumn(name, type);
        }

        if (windowed)
        {
            b.ValueColumn(SystemColumns.WindowStart, SqlTypes.BigInt);
            b.ValueColumn(SystemColumns.WindowEnd, SqlTypes.BigInt);
        }

        foreach (var k in Key)
        {
            b.ValueColumn(k.Name, k.Type);
        }

        return b.Build();
    }

    /// <summary>The schema with only the key columns and these value columns.</summary>
    public LogicalSchema WithValue(IEnumerable<Column> value)
    {
        var b = CreateBuilder();
        foreach (var k in Key)
        {
            b.KeyColumn(k.Name, k.Type);
        }

        foreach (var v in value)
        {
            b.Add(v.Name, v.Type, v.Namespace, v.HeaderKey);
        }

        return b.Build();
    }

    /// <summary>As ksqlDB prints schemas: <c>`ID` BIGINT KEY, `NAME` STRING</c>.</summary>
    public override string ToString() => string.Join(", ", Columns);

    public bool Equals(LogicalSchema? other) =>
        other is not null && Key.SequenceEqual(other.Key) && Value.SequenceEqual(other.Value);

    public override bool Equals(object? obj) => obj is LogicalSchema s && Equals(s);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var c in Columns)
        {
            hash.Add(c);
        }

        return hash.ToHashCode();
    }

    /// <summary>Builds a schema column by column; duplicate names within a namespace fail.</summary>
    public sealed class Builder
    {
        private readonly List<Column> _key = [];
        private readonly List<Column> _value = [];

        public int KeyCount => _key.Count;

        public int ValueCount => _value.Count;

        public Builder KeyColumn(string name, SqlType type)
        {
            if (_key.Any(c => c.Name == name))
            {
                throw new InvalidOperationException($"Duplicate key columns found in schema: `{name}` {type}");
            }

            _key.Add(new Column(name, type, ColumnNamespace.Key, _key.Count));
            return this;
        }

        public Builder ValueColumn(string name, SqlType type) => Add(name, type, ColumnNamespace.Value, null);

        public Builder HeaderColumn(string name, SqlType type, string? headerKey) => Add(name, type, ColumnNamespace.Headers, headerKey);

        public Builder Add(string name, SqlType type, ColumnNamespace ns, string? headerKey)
        {
            if (ns == ColumnNamespace.Key)
            {
                return KeyColumn(name, type);
            }

            _value.Add(new Column(name, type, ns, _value.Count, headerKey));
            return this;
        }

        public bool Contains(string name) => _key.Any(c => c.Name == name) || _value.Any(c => c.Name == name);

        public LogicalSchema Build() => new([.. _key], [.. _value]);
    }
}
