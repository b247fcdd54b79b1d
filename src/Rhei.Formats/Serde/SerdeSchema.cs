using System.Collections;
using System.Collections.Immutable;
using Rhei.Formats.Types;

namespace Rhei.Formats.Serde;

/// <summary>A column a format reads and writes: its name (as declared, case-sensitive) and type.</summary>
public sealed record SerdeColumn(string Name, SqlType Type)
{
    public override string ToString() => $"`{Name}` {Type}";
}

/// <summary>
/// The physical schema of a key or a value: the ordered columns a serde maps to and from bytes. A row of this
/// schema is <c>object?[]</c> (or a span of it) with one value per column, in this order.
/// </summary>
public sealed class SerdeSchema : IReadOnlyList<SerdeColumn>, IEquatable<SerdeSchema>
{
    public static readonly SerdeSchema Empty = new([]);

    public SerdeSchema(IEnumerable<SerdeColumn> columns)
    {
        Columns = [.. columns];
    }

    public ImmutableArray<SerdeColumn> Columns { get; }

    public int Count => Columns.Length;

    public SerdeColumn this[int index] => Columns[index];

    public static SerdeSchema Of(params SerdeColumn[] columns) => new(columns);

    /// <summary>A schema of columns given as (name, type) pairs.</summary>
    public static SerdeSchema Of(params (string Name, SqlType Type)[] columns) => new(columns.Select(c => new SerdeColumn(c.Name, c.Type)));

    public int IndexOf(string name)
    {
        for (var i = 0; i < Columns.Length; i++)
        {
            if (Columns[i].Name == name)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The columns as ksqlDB lists them in messages: <c>[`K` STRING KEY, `V` INTEGER]</c>.</summary>
    public string Describe(SerdeTarget target)
    {
        var suffix = target == SerdeTarget.Key ? " KEY" : "";
        return "[" + string.Join(", ", Columns.Select(c => c + suffix)) + "]";
    }

    public IEnumerator<SerdeColumn> GetEnumerator() => ((IEnumerable<SerdeColumn>)Columns).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool Equals(SerdeSchema? other) => other is not null && Columns.SequenceEqual(other.Columns);

    public override bool Equals(object? obj) => obj is SerdeSchema s && Equals(s);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var c in Columns)
        {
            hash.Add(c);
        }

        return hash.ToHashCode();
    }

    public override string ToString() => Describe(SerdeTarget.Value);
}
