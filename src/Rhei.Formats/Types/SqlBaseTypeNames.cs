namespace Rhei.Formats.Types;

/// <summary>The names ksqlDB uses for base types in messages (<c>INTEGER</c>, not <c>INT</c>).</summary>
public static class SqlBaseTypeNames
{
    public static string SqlName(this SqlBaseType baseType) => baseType switch
    {
        SqlBaseType.Boolean => "BOOLEAN",
        SqlBaseType.Integer => "INTEGER",
        SqlBaseType.BigInt => "BIGINT",
        SqlBaseType.Double => "DOUBLE",
        SqlBaseType.Decimal => "DECIMAL",
        SqlBaseType.String => "STRING",
        SqlBaseType.Bytes => "BYTES",
        SqlBaseType.Date => "DATE",
        SqlBaseType.Time => "TIME",
        SqlBaseType.Timestamp => "TIMESTAMP",
        SqlBaseType.Array => "ARRAY",
        SqlBaseType.Map => "MAP",
        SqlBaseType.Struct => "STRUCT",
        _ => throw new ArgumentOutOfRangeException(nameof(baseType), baseType, null),
    };

    /// <summary>
    /// The CLR type an expression of this SQL type has when it may be null: <c>int?</c>, <c>decimal?</c>,
    /// <c>DateTime?</c>, ... for value types; the reference type itself otherwise.
    /// </summary>
    public static Type NullableClrType(this SqlType type) =>
        type.ClrType.IsValueType ? typeof(Nullable<>).MakeGenericType(type.ClrType) : type.ClrType;
}
