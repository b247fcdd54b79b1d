using System.Collections.Immutable;
using System.Text;

namespace Rhei.Formats.Types;

/// <summary>ksqlDB's SQL base types.</summary>
public enum SqlBaseType
{
    Boolean,
    Integer,
    BigInt,
    Double,
    Decimal,
    String,
    Bytes,
    Date,
    Time,
    Timestamp,
    Array,
    Map,
    Struct,
}

/// <summary>
/// A SQL type as ksqlDB has them. Values of each type are represented at run time by one CLR type
/// (<see cref="ClrType"/>), and a row is an <c>object?[]</c> of such values (null is SQL NULL):
/// BOOLEAN bool · INT int · BIGINT long · DOUBLE double · DECIMAL decimal · STRING string · BYTES byte[] ·
/// DATE <see cref="DateOnly"/> · TIME <see cref="TimeOnly"/> · TIMESTAMP <see cref="DateTime"/> (UTC, ms) ·
/// ARRAY <see cref="List{T}"/> of object? · MAP <see cref="Dictionary{TKey,TValue}"/> object→object? ·
/// STRUCT <see cref="SqlStruct"/>.
/// </summary>
public abstract record SqlType
{
    public abstract SqlBaseType BaseType { get; }

    /// <summary>The CLR type that carries values of this SQL type.</summary>
    public abstract Type ClrType { get; }

    /// <summary>True for INT, BIGINT, DOUBLE and DECIMAL.</summary>
    public bool IsNumeric => BaseType is SqlBaseType.Integer or SqlBaseType.BigInt or SqlBaseType.Double or SqlBaseType.Decimal;

    /// <summary>True for everything but ARRAY, MAP and STRUCT.</summary>
    public bool IsPrimitive => BaseType is not (SqlBaseType.Array or SqlBaseType.Map or SqlBaseType.Struct);

    /// <summary>The type in SQL, as ksqlDB prints it (<c>ARRAY&lt;STRING&gt;</c>, <c>DECIMAL(10, 2)</c>, <c>STRUCT&lt;`A` INTEGER&gt;</c>).</summary>
    public abstract override string ToString();
}

/// <summary>A type without parameters.</summary>
public sealed record SqlPrimitiveType : SqlType
{
    private readonly SqlBaseType _baseType;
    private readonly Type _clrType;
    private readonly string _name;

    internal SqlPrimitiveType(SqlBaseType baseType, Type clrType, string name)
    {
        _baseType = baseType;
        _clrType = clrType;
        _name = name;
    }

    public override SqlBaseType BaseType => _baseType;

    public override Type ClrType => _clrType;

    public override string ToString() => _name;

    public bool Equals(SqlPrimitiveType? other) => other is not null && other._baseType == _baseType;

    public override int GetHashCode() => (int)_baseType;
}

/// <summary>DECIMAL(precision, scale). Values are <see cref="decimal"/> (so precision is at most 28 at run time).</summary>
public sealed record SqlDecimalType(int Precision, int Scale) : SqlType
{
    public override SqlBaseType BaseType => SqlBaseType.Decimal;

    public override Type ClrType => typeof(decimal);

    public override string ToString() => $"DECIMAL({Precision}, {Scale})";
}

public sealed record SqlArrayType(SqlType ElementType) : SqlType
{
    public override SqlBaseType BaseType => SqlBaseType.Array;

    public override Type ClrType => typeof(List<object?>);

    public override string ToString() => $"ARRAY<{ElementType}>";
}

public sealed record SqlMapType(SqlType KeyType, SqlType ValueType) : SqlType
{
    public override SqlBaseType BaseType => SqlBaseType.Map;

    public override Type ClrType => typeof(Dictionary<object, object?>);

    public override string ToString() => $"MAP<{KeyType}, {ValueType}>";
}

/// <summary>A named, typed field of a STRUCT.</summary>
public sealed record SqlField(string Name, SqlType Type)
{
    public override string ToString() => $"`{Name}` {Type}";
}

/// <summary>STRUCT&lt;name type, ...&gt;. Field names are case-sensitive as stored (ksqlDB upper-cases unquoted ones).</summary>
public sealed record SqlStructType(ImmutableArray<SqlField> Fields) : SqlType
{
    public override SqlBaseType BaseType => SqlBaseType.Struct;

    public override Type ClrType => typeof(SqlStruct);

    /// <summary>The index of a field by exact name, or -1.</summary>
    public int IndexOf(string name)
    {
        for (var i = 0; i < Fields.Length; i++)
        {
            if (Fields[i].Name == name)
            {
                return i;
            }
        }

        return -1;
    }

    public SqlField? Field(string name)
    {
        var i = IndexOf(name);
        return i < 0 ? null : Fields[i];
    }

    public bool Equals(SqlStructType? other) => other is not null && Fields.SequenceEqual(other.Fields);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var f in Fields)
        {
            hash.Add(f);
        }

        return hash.ToHashCode();
    }

    public override string ToString()
    {
        var sb = new StringBuilder("STRUCT<");
        for (var i = 0; i < Fields.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(", ");
            }

            sb.Append(Fields[i]);
        }

        return sb.Append('>').ToString();
    }
}

/// <summary>The primitive types, one instance each.</summary>
public static class SqlTypes
{
    public static readonly SqlPrimitiveType Boolean = new(SqlBaseType.Boolean, typeof(bool), "BOOLEAN");
    public static readonly SqlPrimitiveType Integer = new(SqlBaseType.Integer, typeof(int), "INTEGER");
    public static readonly SqlPrimitiveType BigInt = new(SqlBaseType.BigInt, typeof(long), "BIGINT");
    public static readonly SqlPrimitiveType Double = new(SqlBaseType.Double, typeof(double), "DOUBLE");
    public static readonly SqlPrimitiveType String = new(SqlBaseType.String, typeof(string), "STRING");
    public static readonly SqlPrimitiveType Bytes = new(SqlBaseType.Bytes, typeof(byte[]), "BYTES");
    public static readonly SqlPrimitiveType Date = new(SqlBaseType.Date, typeof(DateOnly), "DATE");
    public static readonly SqlPrimitiveType Time = new(SqlBaseType.Time, typeof(TimeOnly), "TIME");
    public static readonly SqlPrimitiveType Timestamp = new(SqlBaseType.Timestamp, typeof(DateTime), "TIMESTAMP");

    public static SqlDecimalType Decimal(int precision, int scale) => new(precision, scale);

    public static SqlArrayType Array(SqlType element) => new(element);

    public static SqlMapType Map(SqlType key, SqlType value) => new(key, value);

    public static SqlStructType Struct(params SqlField[] fields) => new([.. fields]);
}
