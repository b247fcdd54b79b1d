namespace Rhei.Formats.Types;

/// <summary>
/// A STRUCT value: its type and one value per field, in the type's field order. Equality is by type and
/// values (structural), as ksqlDB compares structs.
/// </summary>
public sealed class SqlStruct : IEquatable<SqlStruct>
{
    private readonly object?[] _values;

    public SqlStruct(SqlStructType type, object?[] values)
    {
        if (values.Length != type.Fields.Length)
        {
            throw new ArgumentException($"A {type} needs {type.Fields.Length} values, got {values.Length}.", nameof(values));
        }

        Type = type;
        _values = values;
    }

    public SqlStructType Type { get; }

    public IReadOnlyList<object?> Values => _values;

    public object? this[int index] => _values[index];

    /// <summary>The value of a field by exact name; null when the field is absent or null.</summary>
    public object? Get(string name)
    {
        var i = Type.IndexOf(name);
        return i < 0 ? null : _values[i];
    }

    public bool Equals(SqlStruct? other)
    {
        if (other is null || !Type.Equals(other.Type))
        {
            return false;
        }

        for (var i = 0; i < _values.Length; i++)
        {
            if (!SqlValueComparer.Instance.Equals(_values[i], other._values[i]))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => obj is SqlStruct s && Equals(s);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var v in _values)
        {
            hash.Add(SqlValueComparer.Instance.GetHashCode(v!));
        }

        return hash.ToHashCode();
    }

    public override string ToString() =>
        "{" + string.Join(", ", Type.Fields.Select((f, i) => $"{f.Name}={SqlValueComparer.Format(_values[i])}")) + "}";
}
