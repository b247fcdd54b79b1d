using System.Globalization;
using Rhei.Formats.Conversion;
using Rhei.Formats.Types;
using Rhei.Sql.Ast;
using Rhei.Sql.Parsing;

namespace Rhei.Sql.Binding;

/// <summary>
/// A constant: a literal as written, or one the binder coerced (<c>'2020-01-01'</c> compared with a TIMESTAMP
/// becomes a TIMESTAMP value; <c>1</c> added to a BIGINT becomes <c>1L</c>). <see cref="Value"/> is the run-time
/// representation of <see cref="Type"/> (see <see cref="SqlType"/>); null with a null type is the untyped NULL.
/// </summary>
public sealed record BoundLiteral(object? Value, SqlType? Type) : BoundExpression
{
    public static readonly BoundLiteral Null = new(null, null);

    /// <summary>The literal's text as written, printed instead of the value (kept when a literal is coerced).</summary>
    public string? Text { get; init; }

    public override SqlType? Type { get; } = Type;

    public override BoundExpression WithChildren(IReadOnlyList<BoundExpression> children) => this;

    internal override void WriteTo(SqlWriter writer)
    {
        if (Text is not null)
        {
            writer.Append(Text);
            return;
        }

        writer.Append(Format(Value));
    }

    /// <summary>A value as a SQL literal in ksqlDB's printing style.</summary>
    public static string Format(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        string s => SqlIdentifiers.QuoteString(s),
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        decimal m => DecimalValues.ToPlainString(m),
        double d => FormatDouble(d),
        DateTime ts => SqlIdentifiers.QuoteString(TemporalValues.FormatTimestamp(ts)),
        DateOnly date => SqlIdentifiers.QuoteString(TemporalValues.FormatDate(date)),
        TimeOnly time => SqlIdentifiers.QuoteString(TemporalValues.FormatTime(time)),
        _ => SqlIdentifiers.QuoteString(SqlValueText.ToJavaString(value)),
    };

    private static string FormatDouble(double d)
    {
        var text = d.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('E', StringComparison.Ordinal) || !double.IsFinite(d) ? text : text + "E0";
    }
}
