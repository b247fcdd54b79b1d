using System.Collections.Immutable;
using Rhei.Formats.Types;

namespace Rhei.Sql.Functions;

/// <summary>
/// The declared type of a function parameter: a concrete base type (<c>INTEGER</c>; <c>DECIMAL</c> and
/// <c>STRUCT</c> accept any precision/scale or fields), a generic (<c>T</c>), a collection of those
/// (<c>ARRAY&lt;T&gt;</c>, <c>MAP&lt;K, V&gt;</c>), a lambda (<c>(T) =&gt; U</c>) or the interval-unit keyword.
/// Each pattern also fixes the CLR type the implementing method takes for it.
/// </summary>
public abstract record ParamType
{
    public static readonly ParamType Boolean = new PrimitiveParam(SqlBaseType.Boolean);
    public static readonly ParamType Integer = new PrimitiveParam(SqlBaseType.Integer);
    public static readonly ParamType BigInt = new PrimitiveParam(SqlBaseType.BigInt);
    public static readonly ParamType Double = new PrimitiveParam(SqlBaseType.Double);
    public static readonly ParamType Decimal = new PrimitiveParam(SqlBaseType.Decimal);
    public static readonly ParamType String = new PrimitiveParam(SqlBaseType.String);
    public static readonly ParamType Bytes = new PrimitiveParam(SqlBaseType.Bytes);
    public static readonly ParamType Date = new PrimitiveParam(SqlBaseType.Date);
    public static readonly ParamType Time = new PrimitiveParam(SqlBaseType.Time);
    public static readonly ParamType Timestamp = new PrimitiveParam(SqlBaseType.Timestamp);
    public static readonly ParamType Struct = new PrimitiveParam(SqlBaseType.Struct);
    public static readonly ParamType T = new GenericParam("T");
    public static readonly ParamType U = new GenericParam("U");
    public static readonly ParamType K = new GenericParam("K");
    public static readonly ParamType V = new GenericParam("V");
    public static readonly ParamType Unit = new IntervalUnitParam();

    /// <summary>Any type, without binding a generic (TOPK's extra columns).</summary>
    public static readonly ParamType Any = new AnyParam();

    public static ParamType Of(SqlBaseType baseType) => baseType switch
    {
        SqlBaseType.Array or SqlBaseType.Map => throw new ArgumentException("Use Array()/Map() for collection parameters.", nameof(baseType)),
        _ => new PrimitiveParam(baseType),
    };

    public static ParamType Generic(string name) => new GenericParam(name);

    public static ParamType Array(ParamType element) => new ArrayParam(element);

    public static ParamType Map(ParamType key, ParamType value) => new MapParam(key, value);

    public static ParamType Lambda(ParamType output, params ParamType[] inputs) => new LambdaParam([.. inputs], output);

    /// <summary>The CLR type of the implementing method's parameter for this pattern.</summary>
    public abstract Type ClrType { get; }

    /// <summary>True when the pattern mentions a generic anywhere.</summary>
    public abstract bool IsGeneric { get; }

    public abstract override string ToString();

    /// <summary>The CLR type that carries a (nullable) value of a base type in implementations.</summary>
    public static Type ClrTypeOf(SqlBaseType baseType) => baseType switch
    {
        SqlBaseType.Boolean => typeof(bool?),
        SqlBaseType.Integer => typeof(int?),
        SqlBaseType.BigInt => typeof(long?),
        SqlBaseType.Double => typeof(double?),
        SqlBaseType.Decimal => typeof(decimal?),
        SqlBaseType.String => typeof(string),
        SqlBaseType.Bytes => typeof(byte[]),
        SqlBaseType.Date => typeof(DateOnly?),
        SqlBaseType.Time => typeof(TimeOnly?),
        SqlBaseType.Timestamp => typeof(DateTime?),
        SqlBaseType.Array => typeof(List<object?>),
        SqlBaseType.Map => typeof(Dictionary<object, object?>),
        SqlBaseType.Struct => typeof(SqlStruct),
        _ => throw new ArgumentOutOfRangeException(nameof(baseType)),
    };

    /// <summary>The type name ksqlDB prints for a base type in signatures.</summary>
    public static string NameOf(SqlBaseType baseType) => baseType switch
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
        _ => baseType.ToString().ToUpperInvariant(),
    };
}

/// <summary>A concrete base type; DECIMAL and STRUCT match any precision/scale and any fields.</summary>
public sealed record PrimitiveParam(SqlBaseType BaseType) : ParamType
{
    public override Type ClrType => ClrTypeOf(BaseType);

    public override bool IsGeneric => false;

    public override string ToString() => NameOf(BaseType);
}

/// <summary>A type variable: every occurrence binds to one SQL type.</summary>
public sealed record GenericParam(string Name) : ParamType
{
    public override Type ClrType => typeof(object);

    public override bool IsGeneric => true;

    public override string ToString() => Name;
}

public sealed record ArrayParam(ParamType Element) : ParamType
{
    public override Type ClrType => typeof(List<object?>);

    public override bool IsGeneric => Element.IsGeneric;

    public override string ToString() => $"ARRAY<{Element}>";
}

public sealed record MapParam(ParamType Key, ParamType Value) : ParamType
{
    public override Type ClrType => typeof(Dictionary<object, object?>);

    public override bool IsGeneric => Key.IsGeneric || Value.IsGeneric;

    public override string ToString() => $"MAP<{Key}, {Value}>";
}

/// <summary>
/// A lambda argument (<c>x =&gt; x + 1</c>). The implementation receives it as a
/// <c>Func&lt;object?, ..., object?&gt;</c> with one <c>object?</c> per lambda parameter.
/// </summary>
public sealed record LambdaParam(ImmutableArray<ParamType> Inputs, ParamType Output) : ParamType
{
    public override Type ClrType => Inputs.Length switch
    {
        1 => typeof(Func<object?, object?>),
        2 => typeof(Func<object?, object?, object?>),
        3 => typeof(Func<object?, object?, object?, object?>),
        _ => throw new NotSupportedException("Lambdas take one to three parameters."),
    };

    public override bool IsGeneric => true;

    public bool Equals(LambdaParam? other) => other is not null && Output == other.Output && Inputs.SequenceEqual(other.Inputs);

    public override int GetHashCode() => HashCode.Combine(Output, Inputs.Length);

    public override string ToString() => $"LAMBDA ({string.Join(", ", Inputs)}) => {Output}";
}

/// <summary>A parameter of any SQL type that binds no generic; the implementation takes it as <c>object?</c>.</summary>
public sealed record AnyParam : ParamType
{
    public override Type ClrType => typeof(object);

    public override bool IsGeneric => true;

    public override string ToString() => "ANY";
}

/// <summary>The time-unit keyword of DATEADD and friends; the implementation takes an <see cref="IntervalUnit"/>.</summary>
public sealed record IntervalUnitParam : ParamType
{
    public override Type ClrType => typeof(IntervalUnit);

    public override bool IsGeneric => false;

    public override string ToString() => "INTERVALUNIT";
}
