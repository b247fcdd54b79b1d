using System.Globalization;
using System.Net;

namespace Rhei.Configuration;

/// <summary>
/// Checks a parsed value. <see cref="Check"/> returns <c>null</c> when the value is accepted, otherwise a
/// short statement of what is wrong; <see cref="Accepted"/> says what is accepted (shown in errors and docs).
/// </summary>
public sealed record ConfigValidator(string Accepted, Func<object, string?> Check)
{
    /// <summary>A number no smaller than <paramref name="min"/>.</summary>
    public static ConfigValidator AtLeast(long min) =>
        new($"at least {min}", v => ToDouble(v) >= min ? null : $"less than {min}");

    /// <summary>A number between <paramref name="min"/> and <paramref name="max"/>, both included.</summary>
    public static ConfigValidator Between(double min, double max) =>
        new($"between {Format(min)} and {Format(max)}", v =>
        {
            var d = ToDouble(v);
            return d >= min && d <= max ? null : $"not between {Format(min)} and {Format(max)}";
        });

    /// <summary>One of the given strings, compared exactly (Kafka's <c>ValidString</c>).</summary>
    public static ConfigValidator OneOf(params string[] allowed) =>
        new($"one of {string.Join(", ", allowed)}", v =>
            allowed.Contains((string)v, StringComparer.Ordinal) ? null : "not one of the accepted values");

    /// <summary>One of the given strings in any letter case.</summary>
    public static ConfigValidator OneOfIgnoreCase(params string[] allowed) =>
        new($"one of {string.Join(", ", allowed)} (any case)", v =>
            allowed.Contains((string)v, StringComparer.OrdinalIgnoreCase) ? null : "not one of the accepted values");

    /// <summary>A list whose items are all among <paramref name="allowed"/> (Kafka's <c>ValidList</c>).</summary>
    public static ConfigValidator ListOf(params string[] allowed) =>
        new($"a comma-separated list of {string.Join(", ", allowed)}", v =>
        {
            var items = (IReadOnlyList<string>)v;
            if (items.Count == 0)
            {
                return "empty";
            }
            var bad = items.FirstOrDefault(i => !allowed.Contains(i, StringComparer.Ordinal));
            return bad is null ? null : $"'{bad}' is not one of them";
        });

    /// <summary>A list with at least one item, no item empty.</summary>
    public static ConfigValidator NonEmptyList { get; } =
        new("a non-empty comma-separated list", v =>
        {
            var items = (IReadOnlyList<string>)v;
            return items.Count == 0 ? "empty"
                : items.Any(string.IsNullOrEmpty) ? "an item is empty" : null;
        });

    /// <summary>Characters legal in a Kafka topic name, at least one.</summary>
    public static ConfigValidator TopicNameChars { get; } =
        new("letters, digits, '.', '_' and '-' (at least one)", v =>
        {
            var s = (string)v;
            return s.Length > 0 && s.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')
                ? null
                : "empty, or has a character other than letters, digits, '.', '_' and '-'";
        });

    /// <summary>Comma-separated <c>host:port</c> pairs (IPv6 hosts in brackets); an empty list is accepted.</summary>
    public static ConfigValidator HostPortList { get; } =
        new("a comma-separated list of host:port pairs, or empty", v =>
        {
            foreach (var item in (IReadOnlyList<string>)v)
            {
                if (!TrySplitHostPort(item, out _, out _))
                {
                    return $"'{item}' is not host:port (port 1-65535; IPv6 addresses in brackets)";
                }
            }
            return null;
        });

    /// <summary>Empty, or comma-separated absolute <c>http://</c> or <c>https://</c> URLs.</summary>
    public static ConfigValidator HttpUrlsOrEmpty { get; } =
        new("empty, or comma-separated http:// or https:// URLs", v =>
        {
            var text = (string)v;
            if (text.Length == 0)
            {
                return null;
            }
            foreach (var item in text.Split(',', StringSplitOptions.TrimEntries))
            {
                if (!IsHttpUrl(item))
                {
                    return $"'{item}' is not an http:// or https:// URL";
                }
            }
            return null;
        });

    /// <summary>An absolute <c>http://</c> or <c>https://</c> URL.</summary>
    public static ConfigValidator HttpUrl { get; } =
        new("an http:// or https:// URL", v => IsHttpUrl((string)v) ? null : "not an http:// or https:// URL");

    /// <summary>Splits <c>host:port</c> or <c>[ipv6]:port</c>; the port must be 1-65535.</summary>
    public static bool TrySplitHostPort(string text, out string host, out int port)
    {
        host = "";
        port = 0;
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1)
        {
            return false;
        }
        var hostPart = text[..colon];
        if (hostPart.StartsWith('['))
        {
            if (!hostPart.EndsWith(']') || !IPAddress.TryParse(hostPart[1..^1], out _))
            {
                return false;
            }
            hostPart = hostPart[1..^1];
        }
        else if (hostPart.Contains(':') || !IsHostName(hostPart))
        {
            return false;
        }
        if (!int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
        {
            return false;
        }
        host = hostPart;
        return true;
    }

    /// <summary>A DNS name or dotted IPv4 address: letters, digits, '-', '_' and '.'.</summary>
    public static bool IsHostName(string host) =>
        host.Length > 0 && host.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_');

    private static bool IsHttpUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && uri.Host.Length > 0;

    private static double ToDouble(object value) => value switch
    {
        int i => i,
        long l => l,
        double d => d,
        _ => throw new ArgumentException($"A numeric validator was applied to a {value.GetType().Name}.", nameof(value)),
    };

    private static string Format(double d) => d.ToString(CultureInfo.InvariantCulture);
}
