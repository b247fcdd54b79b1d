using System.Collections;
using System.Globalization;
using System.Text;
using Rhei.Formats.Types;

namespace Rhei.Formats.Conversion;

/// <summary>
/// The text of SQL values: <see cref="ToSqlString"/> is <c>CAST(x AS STRING)</c>; <see cref="ToJavaString"/>
/// renders values nested in collections the way ksqlDB's Java objects print (<c>[1, 3]</c>, <c>{a=1}</c>,
/// <c>Struct{F0=1,f1=3}</c>).
/// </summary>
public static class SqlValueText
{
    /// <summary>CAST(value AS STRING) for a value of any castable type (not BYTES); null stays null.</summary>
    public static string? ToSqlString(object? value) => value switch
    {
        null => null,
        string s => s,
        bool b => b ? "true" : "false",
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => JavaDouble.ToString(d),
        decimal m => DecimalValues.ToPlainString(m),
        DateOnly date => TemporalValues.FormatDate(date),
        TimeOnly time => TemporalValues.FormatTime(time),
        DateTime ts => TemporalValues.FormatTimestamp(ts),
        _ => ToJavaString(value),
    };

    /// <summary>The Java <c>toString()</c> of a value as ksqlDB holds it (used inside ARRAY, MAP and STRUCT text).</summary>
    public static string ToJavaString(object? value)
    {
        var sb = new StringBuilder();
        AppendJava(sb, value);
        return sb.ToString();
    }

    private static void AppendJava(StringBuilder sb, object? value)
    {
        switch (value)
        {
            case null:
                sb.Append("null");
                break;
            case string s:
                sb.Append(s);
                break;
            case bool b:
                sb.Append(b ? "true" : "false");
                break;
            case int i:
                sb.Append(i.ToString(CultureInfo.InvariantCulture));
                break;
            case long l:
                sb.Append(l.ToString(CultureInfo.InvariantCulture));
                break;
            case double d:
                sb.Append(JavaDouble.ToString(d));
                break;
            case decimal m:
                sb.Append(DecimalValues.ToJavaString(m));
                break;
            case DateOnly date:
                sb.Append(TemporalValues.FormatDate(date));
                break;
            case TimeOnly time:
                sb.Append(time.ToString("HH:mm:ss", CultureInfo.InvariantCulture));
                break;
            case DateTime ts:
                AppendJavaTimestamp(sb, ts);
                break;
            case byte[] bytes:
                sb.Append(Convert.ToBase64String(bytes));
                break;
            case SqlStruct st:
                sb.Append("Struct{");
                var first = true;
                for (var i = 0; i < st.Type.Fields.Length; i++)
                {
                    if (st[i] is null)
                    {
                        continue;
                    }

                    if (!first)
                    {
                        sb.Append(',');
                    }

                    first = false;
                    sb.Append(st.Type.Fields[i].Name).Append('=');
                    AppendJava(sb, st[i]);
                }

                sb.Append('}');
                break;
            case IDictionary map:
                {
                    sb.Append('{');
                    var firstEntry = true;
                    foreach (DictionaryEntry e in map)
                    {
                        if (!firstEntry)
                        {
                            sb.Append(", ");
                        }

                        firstEntry = false;
                        AppendJava(sb, e.Key);
                        sb.Append('=');
                        AppendJava(sb, e.Value);
                    }

                    sb.Append('}');
                    break;
                }

            case IList list:
                {
                    sb.Append('[');
                    for (var i = 0; i < list.Count; i++)
                    {
                        if (i > 0)
                        {
                            sb.Append(", ");
                        }

                        AppendJava(sb, list[i]);
                    }

                    sb.Append(']');
                    break;
                }

            default:
                sb.Append(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    /// <summary><c>java.sql.Timestamp.toString()</c> in UTC: <c>yyyy-MM-dd HH:mm:ss.f</c> (fraction without trailing zeros, at least one digit).</summary>
    private static void AppendJavaTimestamp(StringBuilder sb, DateTime ts)
    {
        sb.Append(ts.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)).Append('.');
        var nanos = (ts.Ticks % TimeSpan.TicksPerSecond) * 100;
        if (nanos == 0)
        {
            sb.Append('0');
            return;
        }

        var digits = nanos.ToString("D9", CultureInfo.InvariantCulture).TrimEnd('0');
        sb.Append(digits);
    }
}
