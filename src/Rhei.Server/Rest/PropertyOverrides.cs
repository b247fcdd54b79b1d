using System.Globalization;
using System.Text.Json;

namespace Rhei.Server.Rest;

/// <summary>Property and variable maps of requests: JSON scalars to their text, and the prohibited-override check.</summary>
internal static class PropertyOverrides
{
    /// <summary>The values as text: strings as they are, numbers and booleans as written, null as empty.</summary>
    public static Dictionary<string, string> ToStrings(Dictionary<string, JsonElement>? values)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (values is null)
        {
            return result;
        }

        foreach (var (name, value) in values)
        {
            result[name] = value.ValueKind switch
            {
                JsonValueKind.String => value.GetString()!,
                JsonValueKind.Null or JsonValueKind.Undefined => "",
                JsonValueKind.Number => value.GetRawText(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => value.GetRawText(),
            };
        }

        return result;
    }

    /// <summary>The names in <paramref name="overrides"/> that a request may not set, in order.</summary>
    public static List<string> Prohibited(IReadOnlyDictionary<string, string> overrides, IReadOnlySet<string> prohibited) =>
        [.. overrides.Keys.Where(prohibited.Contains).Order(StringComparer.Ordinal)];

    public static string ProhibitedMessage(IEnumerable<string> names) =>
        "One or more properties overrides set locally are prohibited by the KSQL server (use UNSET to reset their " +
        $"default value): [{string.Join(", ", names)}]";

    public static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);
}
