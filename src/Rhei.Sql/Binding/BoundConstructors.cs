using Rhei.Formats.Types;
using Rhei.Sql.Ast;

namespace Rhei.Sql.Binding;

/// <summary><c>ARRAY[e1, e2, ...]</c>; elements converted to the element type.</summary>
public sealed record BoundCreateArray(EquatableArray<BoundExpression> Elements, SqlType Type) : BoundExpression
{
    public override SqlType? Type { get; } = Type;

    public override IReadOnlyList<BoundExpression> Children => Elements;

    public override BoundExpression WithChildren(IReadOnlyList<BoundExpression> children) => this with { Elements = [.. children] };

    internal override void WriteTo(SqlWriter writer)
    {
        writer.Append("ARRAY[");
        WriteList(writer, Elements);
        writer.Append(']');
    }
}

/// <summary><c>MAP(k1 := v1, ...)</c>; keys and values converted to the map's key and value types. Later entries
/// replace earlier ones with the same key.</summary>
public sealed record BoundCreateMap(EquatableArray<BoundExpression> Keys, EquatableArray<BoundExpression> Values, SqlType Type) : BoundExpression
{
    public override SqlType? Type { get; } = Type;

    public override IReadOnlyList<BoundExpression> Children => [.. Keys, .. Values];

    public override BoundExpression WithChildren(IReadOnlyList<BoundExpression> children) =>
        this with { Keys = [.. children.Take(Keys.Count)], Values = [.. children.Skip(Keys.Count)] };

    internal override void WriteTo(SqlWriter writer)
    {
        writer.Append("MAP(");
        for (var i = 0; i < Keys.Count; i++)
        {
            if (i > 0)
            {
                writer.Append(", ");
            }

            Keys[i].WriteTo(writer);
            writer.Append(":=");
            Values[i].WriteTo(writer);
        }

        writer.Append(')');
    }
}

/// <summary><c>STRUCT(F1 := v1, ...)</c>; one value per field of <see cref="Type"/>, in field order.</summary>
public sealed record BoundCreateStruct(EquatableArray<BoundExpression> Values, SqlType Type) : BoundExpression
{
    public override SqlType? Type { get; } = Type;

    public override IReadOnlyList<BoundExpression> Children => Values;

    public override BoundExpression WithChildren(IReadOnlyList<BoundExpression> children) => this with { Values = [.. children] };

    internal override void WriteTo(SqlWriter writer)
    {
        writer.Append("STRUCT(");
        var type = (SqlStructType)Type!;
        for (var i = 0; i < Values.Count; i++)
        {
            if (i > 0)
            {
                writer.Append(", ");
            }

            writer.Identifier(type.Fields[i].Name).Append(":=");
            Values[i].WriteTo(writer);
        }

        writer.Append(')');
    }
}
