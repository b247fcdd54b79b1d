using Rhei.Formats.Types;

namespace Rhei.Sql.Execution;

/// <summary>
/// The key of a record inside a query: the values of its key columns, in order (none for a key-less stream). Equal
/// and hashed by content, as SQL values compare (<see cref="SqlValueComparer"/>), so it can key stores and joins.
/// </summary>
public sealed class GenericKey : IEquatable<GenericKey>
{
    public static readonly GenericKey Empty = new([]);

    private readonly object?[] _values;
    private int _hash;

    public GenericKey(object?[] values)
    {
        _values = values;
    }

    public static GenericKey Of(object? value) => new([value]);

    public IReadOnlyList<object?> Values => _values;

    public int Count => _values.Length;

    public object? this[int index] => _values[index];

    /// <summary>True when there are no key columns or every key value is NULL.</summary>
    public bool IsNull => _values.All(v => v is null);

    /// <summary>The values as a new array (a row of the key schema).</summary>
    public object?[] ToArray() => (object?[])_values.Clone();

    public bool Equals(GenericKey? other)
    {
        if (other is null || other._values.Length != _values.Length)
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

    public override bool Equals(object? obj) => obj is GenericKey k && Equals(k);

    public override int GetHashCode()
    {
        if (_hash == 0)
        {
            var hash = new HashCode();
            foreach (var v in _values)
            {
                hash.Add(v is null ? 0 : SqlValueComparer.Instance.GetHashCode(v));
            }

            _hash = hash.ToHashCode() | 1;
        }

        return _hash;
    }

    public override string ToString() => "[" + string.Join(", ", _values.Select(SqlValueComparer.Format)) + "]";
}
