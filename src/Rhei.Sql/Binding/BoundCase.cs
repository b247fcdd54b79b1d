using Rhei.Formats.Types;
using Rhei.Sql.Ast;

namespace Rhei.Sql.Binding;

/// <summary>One <c>WHEN operand THEN result</c>: a BOOLEAN condition (searched CASE) or a value compared with the
/// CASE operand (simple CASE).</summary>
public sealed record BoundWhen(BoundExpression Operand, BoundExpression Result);

/// <summary>
/// <c>CASE WHEN c1 THEN r1 ... [ELSE d] END</c> (<see cref="Operand"/> null), or the simple form
/// <c>CASE x WHEN v1 THEN r1 ... END</c> whose WHEN values share the operand's type and match by equality.
/// Results have been converted to the common type <see cref="Type"/>; without ELSE the result is NULL.
/// </summary>
public sealed record BoundCase(BoundExpression? Operand, EquatableArray<BoundWhen> Whens, BoundExpression? Default, SqlType Type) : BoundExpression
{
    public override SqlType? Type { get; } = Type;

    public override IReadOnlyList<BoundExpression> Children
    {
        get
        {
            var list = new List<BoundExpression>(Whens.Count * 2 + 2);
            if (Operand is not null)
            {
                list.Add(Operand);
            }

            foreach (var w in Whens)
            {
                list.Add(w.Operand);
                list.Add(w.Result);
            }

            if (Default is not null)
            {
                list.Add(Default);
            }

            return list;
        }
    }

    public override BoundExpression WithChildren(IReadOnlyList<BoundExpression> children)
    {
        var i = 0;
        var operand = Operand is null ? null : children[i++];
        var whens = new BoundWhen[Whens.Count];
        for (var w = 0; w < whens.Length; w++)
        {
            whens[w] = new BoundWhen(children[i], children[i + 1]);
            i += 2;
        }

        var @default = Default is null ? null : children[i];
        return this with { Operand = operand, Whens = [.. whens], Default = @default };
    }

    internal override void WriteTo(SqlWriter writer)
    {
        writer.Append("(CASE ");
        if (Operand is not null)
        {
            Operand.WriteTo(writer);
            writer.Append(' ');
        }

        for (var i = 0; i < Whens.Count; i++)
        {
            if (i > 0)
            {
                writer.Append(' ');
            }

            writer.Append("WHEN ");
            Whens[i].Operand.WriteTo(writer);
            writer.Append(" THEN ");
            Whens[i].Result.WriteTo(writer);
        }

        if (Default is not null)
        {
            writer.Append(" ELSE ");
            Default.WriteTo(writer);
        }

        writer.Append(" END)");
    }
}
