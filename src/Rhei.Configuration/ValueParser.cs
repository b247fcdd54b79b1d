using System.Globalization;

namespace Rhei.Configuration;

/// <summary>Turns a setting's text into its typed value (<see cref="ConfigType"/>).</summary>
public static class ValueParser
{
    /// <summary>
    /// Parses <paramref name="text"/> as <paramref name="type"/>. Returns <c>false</c> with a statement of
    /// the problem when it does not parse. Surrounding white space is ignored.
    /// </summary>
    public static bool TryParse(ConfigType type, string text, out object? value, out string? error)
    {
        var trimmed = text.Trim();
        value = null;
        error = null;
        switch (type)
        {
            case ConfigType.Boolean:
                if (trimmed.Equals("true", StringComparison.OrdinalIgnoreCase))
                {
                    value = true;
                }
                else if (trimmed.Equals("false", StringComparison.OrdinalIgnoreCase))
                {
                    value = false;
                }
                else
                {
                    error = "not true or false";
                }
                break;
            case ConfigType.Int:
                if (int.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i))
                {
                    value = i;
                }
                else
                {
                    error = "not a 32-bit integer";
                }
                break;
            case ConfigType.Long:
                if (long.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
                {
                    value = l;
                }
                else
                {
                    error = "not a 64-bit integer";
                }
                break;
            case ConfigType.Double:
                if (double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
                {
                    value = d;
                }
                else
                {
                    error = "not a number";
                }
                break;
            case ConfigType.String:
                value = trimmed;
                break;
            case ConfigType.List:
                value = trimmed.Length == 0
                    ? Array.Empty<string>()
                    : trimmed.Split(',', StringSplitOptions.TrimEntries);
                break;
            case ConfigType.Listeners:
                if (ListenerParser.TryParse(trimmed, out var listeners, out var listenerError))
                {
                    value = listeners;
                }
                else
                {
                    error = listenerError;
                }
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown configuration type.");
        }
        return error is null;
    }

    /// <summary>What a value of <paramref name="type"/> looks like, for errors and docs.</summary>
    public static string Describe(ConfigType type) => type switch
    {
        ConfigType.Boolean => "true or false",
        ConfigType.Int => "a 32-bit integer",
        ConfigType.Long => "a 64-bit integer",
        ConfigType.Double => "a number",
        ConfigType.String => "any text",
        ConfigType.List => "a comma-separated list",
        ConfigType.Listeners => ListenerParser.Accepted,
        _ => type.ToString(),
    };

    /// <summary>The lower-case type name used in docs (Kafka's: boolean, int, long, double, string, list).</summary>
    public static string TypeName(ConfigType type) => type switch
    {
        ConfigType.Listeners => "listeners",
        _ => type.ToString().ToLowerInvariant(),
    };

    /// <summary>Writes a typed value back as text a user could type.</summary>
    public static string Format(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        string s => s,
        IReadOnlyList<ListenerEndpoint> listeners => string.Join(",", listeners),
        IReadOnlyList<string> items => string.Join(",", items),
        _ => value.ToString() ?? "",
    };
}
