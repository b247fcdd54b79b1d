using System.Globalization;

namespace Rhei.Sql.Ast;

/// <summary>A constant written in the SQL text.</summary>
public abstract record Literal : Expression
{
    /// <summary>The value as a CLR object: null, bool, string, int, long, decimal (or string for DECIMAL
    /// literals beyond <see cref="decimal"/>'s range), double.</summary>
    public abstract object? Value { get; }
}

/// <summary><c>NULL</c>.</summary>
public sealed record NullLiteral : Literal
{
    public override object? Value => null;

    internal override void WriteTo(SqlWriter writer) => writer.Append("null");
}

/// <summary><c>TRUE</c> or <c>FALSE</c>.</summary>
public sealed record BooleanLiteral(bool BooleanValue) : Literal
{
    public override object? Value => BooleanValue;

    internal override void WriteTo(SqlWriter writer) => writer.Append(BooleanValue ? "true" : "false");
}

/// <summary>A string constant <c>'...'</c>; <see cref="Text"/> has the quotes removed and <c>''</c> unescaped.</summary>
public sealed record StringLiteral(string Text) : Literal
{
    public override object? Value => Text;

    internal override void WriteTo(SqlWriter writer) => writer.StringLiteral(Text);
}

/// <summary>An integer constant that fits in an INT (ksqlDB types such literals as INTEGER).</summary>
public sealed record IntegerLiteral(int IntValue) : Literal
{
    public override object? Value => IntValue;

    internal override void WriteTo(SqlWriter writer) => writer.Append(IntValue);
}

/// <summary>An integer constant outside INT's range but within BIGINT's (typed BIGINT).</summary>
public sealed record BigIntLiteral(long LongValue) : Literal
{
    public override object? Value => LongValue;

    internal override void WriteTo(SqlWriter writer) => writer.Append(LongValue);
}

/// <summary>
/// A constant with a decimal point and no exponent (<c>1.50</c>, <c>.5</c>, <c>1.</c>), typed DECIMAL as in
/// ksqlDB. <see cref="Text"/> is the canonical text: an optional <c>-</c>, at least one digit before the point
/// (leading zeros dropped), the point, and the fraction digits as written — so the scale is kept.
/// </summary>
public sealed record DecimalLiteral(string Text) : Literal
{
    public override object? Value => TryGetDecimal(out var d) ? d : Text;

    /// <summary>Digits after the point (BigDecimal's scale).</summary>
    public int Scale => Text.Length - Text.IndexOf('.', StringComparison.Ordinal) - 1;

    /// <summary>Significant digits of the unscaled value (BigDecimal's precision: <c>0.05</c> has precision 1, scale 2).</summary>
    public int Precision
    {
        get
        {
            var digits = Text.Replace("-", "", StringComparison.Ordinal).Replace(".", "", StringComparison.Ordinal).TrimStart('0');
            return Math.Max(1, digits.Length);
        }
    }

    public bool TryGetDecimal(out decimal value) =>
        decimal.TryParse(Text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value);

    internal override void WriteTo(SqlWriter writer) => writer.Append(Text);
}

/// <summary>A constant with an exponent (<c>1e3</c>, <c>1.5E-2</c>), typed DOUBLE.</summary>
public sealed record DoubleLiteral(double DoubleValue) : Literal
{
    public override object? Value => DoubleValue;

    /// <summary>Prints the shortest text that reads back as the same double, always with an exponent so that it
    /// reads back as a DOUBLE and not a DECIMAL.</summary>
    internal override void WriteTo(SqlWriter writer)
    {
        var text = DoubleValue.ToString("R", CultureInfo.InvariantCulture);
        writer.Append(text);
        if (!text.Contains('E', StringComparison.Ordinal))
        {
            writer.Append("E0");
        }
    }
}
