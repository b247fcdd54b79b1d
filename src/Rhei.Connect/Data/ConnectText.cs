using System.Collections;
using System.Globalization;
using System.Text;
using Rhei.Formats.Conversion;
using Rhei.Formats.Types;

namespace Rhei.Connect.Data;

/// <summary>Values as text, the way Kafka Connect's StringConverter and FileStreamSink print them.</summary>
public static class ConnectText
{
    public static string Format(object? value) => value switch
    {
        null => "null",
        string s => s,
        bool b => b ? "true" : "false",
        double d => JavaDouble.ToString(d),
        float f => JavaDouble.ToString(f),
        decimal m => DecimalValues.ToPlainString(m),
        DateTime dt => TemporalValues.ToEpochMillis(dt).ToString(CultureInfo.InvariantCulture),
        DateOnly d => TemporalValues.ToEpochDays(d).ToString(CultureInfo.InvariantCulture),
        TimeOnly t => TemporalValues.ToMillisOfDay(t).ToString(CultureInfo.InvariantCulture),
        byte[] bytes => Convert.ToBase64String(bytes),
        SqlStruct s => FormatStruct(s),
        IDictionary map => "{" + string.Join(", ", map.Keys.Cast<object>().Select(k => $"{Format(k)}={Format(map[k])}")) + "}",
        IEnumerable list => "[" + string.Join(", ", list.Cast<object?>().Select(Format)) + "]",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string FormatStruct(SqlStruct s)
    {
        var sb = new StringBuilder("Struct{");
        var first = true;
        for (var i = 0; i < s.Type.Fields.Length; i++)
        {
            if (s[i] is null)
            {
                continue;
            }

            if (!first)
            {
                sb.Append(',');
            }

            first = false;
            var value = s[i] is decimal m && s.Type.Fields[i].Type is SqlDecimalType d ? DecimalValues.SetScale(m, d.Scale) : s[i];
            sb.Append(s.Type.Fields[i].Name).Append('=').Append(Format(value));
        }

        return sb.Append('}').ToString();
    }
}
