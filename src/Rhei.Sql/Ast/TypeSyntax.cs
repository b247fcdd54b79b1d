using Rhei.Formats.Types;

namespace Rhei.Sql.Ast;

/// <summary>
/// A type as written in SQL (column definitions, CAST, CREATE TYPE). Custom type names stay names here; the
/// binder resolves them with <see cref="ToSqlType"/>.
/// </summary>
public abstract record TypeSyntax : SqlNode
{
    /// <summary>
    /// The <see cref="SqlType"/> this syntax denotes. <paramref name="resolveCustomType"/> maps a custom type name
    /// (as registered by CREATE TYPE, upper case unless quoted) to its type, or returns null when unknown.
    /// </summary>
    /// <exception cref="KeyNotFoundException">A custom type name is unknown.</exception>
    public abstract SqlType ToSqlType(Func<string, SqlType?>? resolveCustomType = null);
}

/// <summary>BOOLEAN, INT/INTEGER, BIGINT, DOUBLE, STRING/VARCHAR, BYTES, DATE, TIME, TIMESTAMP.</summary>
public sealed record PrimitiveTypeSyntax : TypeSyntax
{
    public PrimitiveTypeSyntax(SqlBaseType baseType)
    {
        if (baseType is SqlBaseType.Decimal or SqlBaseType.Array or SqlBaseType.Map or SqlBaseType.Struct)
        {
            throw new ArgumentException($"{baseType} is not a primitive type without parameters.", nameof(baseType));
        }

        BaseType = baseType;
    }

    public SqlBaseType BaseType { get; }

    public SqlPrimitiveType SqlType => BaseType switch
    {
        SqlBaseType.Boolean => SqlTypes.Boolean,
        SqlBaseType.Integer => SqlTypes.Integer,
        SqlBaseType.BigInt => SqlTypes.BigInt,
        SqlBaseType.Double => SqlTypes.Double,
        SqlBaseType.String => SqlTypes.String,
        SqlBaseType.Bytes => SqlTypes.Bytes,
        SqlBaseType.Date => SqlTypes.Date,
        SqlBaseType.Time => SqlTypes.Time,
        _ => SqlTypes.Timestamp,
    };

    public override SqlType ToSqlType(Func<string, SqlType?>? resolveCustomType = null) => SqlType;

    internal override void WriteTo(SqlWriter writer) => writer.Append(SqlType.ToString());
}

/// <summary><c>DECIMAL(precision, scale)</c> (validated by the binder, not the parser).</summary>
public sealed record DecimalTypeSyntax(int Precision, int Scale) : TypeSyntax
{
    public override SqlType ToSqlType(Func<string, SqlType?>? resolveCustomType = null) => SqlTypes.Decimal(Precision, Scale);

    internal override void WriteTo(SqlWriter writer) =>
        writer.Append("DECIMAL(").Append(Precision).Append(", ").Append(Scale).Append(')');
}

/// <summary><c>ARRAY&lt;element&gt;</c>.</summary>
public sealed record ArrayTypeSyntax(TypeSyntax ElementType) : TypeSyntax
{
    public override IEnumerable<SqlNode> Children => [ElementType];

    public override SqlType ToSqlType(Func<string, SqlType?>? resolveCustomType = null) =>
        SqlTypes.Array(ElementType.ToSqlType(resolveCustomType));

    internal override void WriteTo(SqlWriter writer) => writer.Append("ARRAY<").Node(ElementType).Append('>');
}

/// <summary><c>MAP&lt;key, value&gt;</c>.</summary>
public sealed record MapTypeSyntax(TypeSyntax KeyType, TypeSyntax ValueType) : TypeSyntax
{
    public override IEnumerable<SqlNode> Children => [KeyType, ValueType];

    public override SqlType ToSqlType(Func<string, SqlType?>? resolveCustomType = null) =>
        SqlTypes.Map(KeyType.ToSqlType(resolveCustomType), ValueType.ToSqlType(resolveCustomType));

    internal override void WriteTo(SqlWriter writer) =>
        writer.Append("MAP<").Node(KeyType).Append(", ").Node(ValueType).Append('>');
}

/// <summary>One <c>NAME type</c> of a STRUCT type.</summary>
public sealed record StructFieldSyntax(string Name, TypeSyntax Type) : SqlNode
{
    public override IEnumerable<SqlNode> Children => [Type];

    internal override void WriteTo(SqlWriter writer) =>
        writer.Append(Parsing.SqlIdentifiers.Backquote(Name)).Append(' ').Node(Type);
}

/// <summary><c>STRUCT&lt;NAME type, ...&gt;</c> (field names print back-quoted, as ksqlDB prints struct types).</summary>
public sealed record StructTypeSyntax(EquatableArray<StructFieldSyntax> Fields) : TypeSyntax
{
    public override IEnumerable<SqlNode> Children => [.. Fields];

    public override SqlType ToSqlType(Func<string, SqlType?>? resolveCustomType = null) =>
        new SqlStructType([.. Fields.Select(f => new SqlField(f.Name, f.Type.ToSqlType(resolveCustomType)))]);

    internal override void WriteTo(SqlWriter writer) => writer.Append("STRUCT<").Nodes(Fields).Append('>');
}

/// <summary>A type registered with <c>CREATE TYPE</c>, referenced by name.</summary>
public sealed record CustomTypeSyntax(string Name) : TypeSyntax
{
    public override SqlType ToSqlType(Func<string, SqlType?>? resolveCustomType = null) =>
        resolveCustomType?.Invoke(Name)
        ?? throw new KeyNotFoundException(
            $"Unknown type '{Name}': it is neither a built-in type nor one registered with CREATE TYPE {Name} AS <type>.");

    internal override void WriteTo(SqlWriter writer)
    {
        // ARRAY, MAP and STRUCT unquoted start the built-in compound types.
        if (Name is "ARRAY" or "MAP" or "STRUCT")
        {
            writer.Append(Parsing.SqlIdentifiers.Backquote(Name));
        }
        else
        {
            writer.Identifier(Name);
        }
    }
}
