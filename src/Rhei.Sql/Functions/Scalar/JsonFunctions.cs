using System.Globalization;
using System.Text;
using System.Text.Json;
using Rhei.Sql.Functions.Runtime;

namespace Rhei.Sql.Functions.Scalar;

/// <summary>
/// JSON functions over STRING values. Invalid JSON gives NULL (or false for the predicates) rather
/// than an error; text after the first JSON value is ignored, as Jackson does.
/// </summary>
public static class JsonFunctions
{
    /// <summary>
    /// The value at a JSONPath (<c>$.a.b[0]</c>): a string unquoted, anything else as compact JSON; NULL when
    /// the path selects nothing, the value is JSON null, or the text is not JSON.
    /// </summary>
    public static string? ExtractJsonField(string? json, string? path)
    {
        if (json is null || path is null)
        {
            return null;
        }

        var compiled = JsonPath.Parse(path);
        if (!JsonText.TryParse(json, out var root) || !compiled.TryEvaluate(root, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return JsonText.TextOf(value);
    }

    /// <summary>True when the text holds a JSON value (false for NULL).</summary>
    public static bool? IsJsonString(string? json) => json is not null && JsonText.TryParse(json, out _);

    /// <summary>The length of a top-level JSON array; NULL for anything else.</summary>
    public static int? JsonArrayLength(string? json) =>
        JsonText.TryParse(json, out var e) && e.ValueKind == JsonValueKind.Array ? e.GetArrayLength() : null;

    /// <summary>The top-level keys of a JSON object; NULL for anything else.</summary>
    public static List<object?>? JsonKeys(string? json) =>
        JsonText.TryParse(json, out var e) && e.ValueKind == JsonValueKind.Object
            ? [.. e.EnumerateObject().Select(p => (object?)p.Name)]
            : null;

    /// <summary>The top-level entries of a JSON object: string values unquoted, others as compact JSON.</summary>
    public static Dictionary<object, object?>? JsonRecords(string? json)
    {
        if (!JsonText.TryParse(json, out var e) || e.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var map = new Dictionary<object, object?>();
        foreach (var p in e.EnumerateObject())
        {
            map[p.Name] = JsonText.TextOf(p.Value);
        }

        return map;
    }

    /// <summary>The elements of a top-level JSON array, each as compact JSON text.</summary>
    public static List<object?>? JsonItems(string? json) =>
        JsonText.TryParse(json, out var e) && e.ValueKind == JsonValueKind.Array
            ? [.. e.EnumerateArray().Select(i => (object?)JsonText.Compact(i))]
            : null;

    /// <summary>
    /// JSON_CONCAT: objects merge (later keys win); otherwise everything is concatenated as array elements
    /// (non-array values wrapped). NULL when any input is NULL or not JSON.
    /// </summary>
    public static string? JsonConcat(string?[] inputs)
    {
        if (inputs.Length == 0)
        {
            return null;
        }

        var values = new List<JsonElement>(inputs.Length);
        foreach (var s in inputs)
        {
            if (s is null || !JsonText.TryParse(s, out var e))
            {
                return null;
            }

            values.Add(e);
        }

        var sb = new StringBuilder();
        if (values.All(v => v.ValueKind == JsonValueKind.Object))
        {
            var merged = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            var order = new List<string>();
            foreach (var v in values)
            {
                foreach (var p in v.EnumerateObject())
                {
                    if (!merged.ContainsKey(p.Name))
                    {
                        order.Add(p.Name);
                    }

                    merged[p.Name] = p.Value;
                }
            }

            sb.Append('{');
            for (var i = 0; i < order.Count; i++)
            {
                if (i > 0)
                {
                    sb.Append(',');
                }

                JsonText.WriteString(sb, order[i]);
                sb.Append(':');
                JsonText.Write(sb, merged[order[i]]);
            }

            return sb.Append('}').ToString();
        }

        sb.Append('[');
        var first = true;
        foreach (var v in values)
        {
            var items = v.ValueKind == JsonValueKind.Array ? v.EnumerateArray().ToList() : [v];
            foreach (var item in items)
            {
                if (!first)
                {
                    sb.Append(',');
                }

                first = false;
                JsonText.Write(sb, item);
            }
        }

        return sb.Append(']').ToString();
    }

    /// <summary>Any SQL value as JSON text (NULL becomes the text <c>null</c>).</summary>
    public static string? ToJsonString(object? value)
    {
        var sb = new StringBuilder();
        JsonText.WriteValue(sb, value);
        return sb.ToString();
    }

    /// <summary>
    /// True when a top-level JSON array has an element equal to the value: INT and BIGINT match integral
    /// numbers, DOUBLE and DECIMAL numbers with a fraction or exponent, strings match strings, booleans
    /// match booleans, NULL matches null. False for anything that is not a JSON array.
    /// </summary>
    public static bool? JsonArrayContains(string? json, object? value)
    {
        if (!JsonText.TryParse(json, out var e) || e.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        foreach (var item in e.EnumerateArray())
        {
            var match = value switch
            {
                null => item.ValueKind == JsonValueKind.Null,
                bool b => item.ValueKind == (b ? JsonValueKind.True : JsonValueKind.False),
                int or long => item.ValueKind == JsonValueKind.Number && IsIntegral(item) && item.TryGetInt64(out var l) && l == Convert.ToInt64(value, CultureInfo.InvariantCulture),
                double d => item.ValueKind == JsonValueKind.Number && !IsIntegral(item) && item.GetDouble() == d,
                decimal m => item.ValueKind == JsonValueKind.Number && !IsIntegral(item) && item.TryGetDecimal(out var dm) && dm == m,
                string s => item.ValueKind == JsonValueKind.String && item.GetString() == s,
                _ => false,
            };
            if (match)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsIntegral(JsonElement number) => number.GetRawText().AsSpan().IndexOfAny(".eE") < 0;
}
