using System.Globalization;
using System.Text.Json;

namespace Rhei.Cli.Demo;

/// <summary>Prints a pull query's rows as a small table; window bounds (epoch milliseconds) read as local times.</summary>
internal static class PullAnswer
{
    public static IEnumerable<string> Format(IReadOnlyList<string> columns, IReadOnlyList<JsonElement> rows)
    {
        var cells = rows
            .Where(r => r.ValueKind == JsonValueKind.Array)
            .Select(r => r.EnumerateArray().Select((v, i) => Cell(i < columns.Count ? columns[i] : "", v)).ToArray())
            .ToList();
        var widths = columns.Select((c, i) => Math.Max(c.Length, cells.Select(r => i < r.Length ? r[i].Length : 0).DefaultIfEmpty(0).Max())).ToArray();
        yield return string.Join(" | ", columns.Select((c, i) => c.PadRight(widths[i])));
        yield return string.Join("-+-", widths.Select(w => new string('-', w)));
        foreach (var row in cells)
        {
            yield return string.Join(" | ", row.Select((c, i) => i < widths.Length ? c.PadRight(widths[i]) : c));
        }

        foreach (var error in rows.Where(r => r.ValueKind == JsonValueKind.Object))
        {
            yield return "error: " + (error.TryGetProperty("message", out var m) ? m.GetString() : error.GetRawText());
        }
    }

    private static string Cell(string column, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Number && column is "WINDOWSTART" or "WINDOWEND" && value.TryGetInt64(out var ms))
        {
            return DateTimeOffset.FromUnixTimeMilliseconds(ms).ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString() ?? "",
            JsonValueKind.Null => "null",
            _ => value.GetRawText(),
        };
    }
}
