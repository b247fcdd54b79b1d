using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Rhei.Sql.Functions.Scalar;

/// <summary>
/// URL functions. URLs are parsed as Java's <c>java.net.URI</c> parses them (RFC 2396/3986): an invalid
/// URI gives NULL. Extracted components are percent-decoded; parameters use form encoding
/// (<c>application/x-www-form-urlencoded</c>: '+' is a space).
/// </summary>
public static partial class UrlFunctions
{
    [GeneratedRegex(@"^(?:(?<scheme>[^:/?#]+):)?(?://(?<authority>[^/?#]*))?(?<path>[^?#]*)(?:\?(?<query>[^#]*))?(?:#(?<fragment>.*))?$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex UriPattern();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9+.\-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex SchemePattern();

    public static string? UrlEncodeParam(string? input)
    {
        if (input is null)
        {
            return null;
        }

        var sb = new StringBuilder(input.Length);
        foreach (var b in Encoding.UTF8.GetBytes(input))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '*' or '_')
            {
                sb.Append(c);
            }
            else if (c == ' ')
            {
                sb.Append('+');
            }
            else
            {
                sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }

    public static string? UrlDecodeParam(string? input) => input is null ? null : Decode(input, plusIsSpace: true);

    public static string? UrlExtractFragment(string? url) => Parse(url) is { } u && u.Fragment is { } f ? Decode(f, false) : null;

    public static string? UrlExtractHost(string? url) => Parse(url)?.Host;

    /// <summary>The decoded value of the first query parameter with that (decoded) name; NULL when absent or valueless.</summary>
    public static string? UrlExtractParameter(string? url, string? parameterName)
    {
        if (parameterName is null || Parse(url) is not { Query: { } query })
        {
            return null;
        }

        foreach (var pair in query.Split('&'))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Decode(eq < 0 ? pair : pair[..eq], plusIsSpace: true);
            if (key == parameterName)
            {
                return eq < 0 ? null : Decode(pair[(eq + 1)..], plusIsSpace: true);
            }
        }

        return null;
    }

    public static string? UrlExtractPath(string? url) => Parse(url) is { } u && u.Path is { } p ? Decode(p, false) : null;

    public static int? UrlExtractPort(string? url) => Parse(url)?.Port;

    public static string? UrlExtractProtocol(string? url) => Parse(url)?.Scheme;

    public static string? UrlExtractQuery(string? url) => Parse(url) is { } u && u.Query is { } q ? Decode(q, false) : null;

    private sealed record ParsedUri(string? Scheme, string? Host, int? Port, string? Path, string? Query, string? Fragment);

    private static ParsedUri? Parse(string? url)
    {
        if (url is null || !IsValidText(url))
        {
            return null;
        }

        var m = UriPattern().Match(url);
        if (!m.Success)
        {
            return null;
        }

        string? scheme = m.Groups["scheme"].Success ? m.Groups["scheme"].Value : null;
        if (scheme is not null && !SchemePattern().IsMatch(scheme))
        {
            return null;
        }

        var fragment = m.Groups["fragment"].Success ? m.Groups["fragment"].Value : null;
        var hasAuthority = m.Groups["authority"].Success;
        var path = m.Groups["path"].Value;
        if (scheme is not null && !hasAuthority && !path.StartsWith('/'))
        {
            // Opaque URI (mailto:x@y): no host, path or query.
            return path.Length == 0 && !m.Groups["query"].Success ? null : new ParsedUri(scheme, null, null, null, null, fragment);
        }

        string? host = null;
        int? port = null;
        if (hasAuthority)
        {
            var authority = m.Groups["authority"].Value;
            var at = authority.LastIndexOf('@');
            var hostPort = at >= 0 ? authority[(at + 1)..] : authority;
            var colon = hostPort.StartsWith('[') ? hostPort.IndexOf(':', hostPort.IndexOf(']', StringComparison.Ordinal) + 1) : hostPort.LastIndexOf(':');
            if (colon >= 0)
            {
                var portText = hostPort[(colon + 1)..];
                if (portText.Length > 0)
                {
                    if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var p))
                    {
                        return null;
                    }

                    port = p;
                }

                hostPort = hostPort[..colon];
            }

            host = hostPort.Length == 0 ? null : hostPort;
        }

        return new ParsedUri(scheme, host, port, path, m.Groups["query"].Success ? m.Groups["query"].Value : null, fragment);
    }

    /// <summary>Rejects what Java's URI parser rejects: spaces, controls, <c>"&lt;&gt;\^`{|}</c> and malformed escapes.</summary>
    private static bool IsValidText(string url)
    {
        for (var i = 0; i < url.Length; i++)
        {
            var c = url[i];
            if (c <= ' ' || c == 0x7F || c is '"' or '<' or '>' or '\\' or '^' or '`' or '{' or '|' or '}')
            {
                return false;
            }

            if (c == '%' && (i + 2 >= url.Length || !char.IsAsciiHexDigit(url[i + 1]) || !char.IsAsciiHexDigit(url[i + 2])))
            {
                return false;
            }
        }

        return url.Length > 0;
    }

    /// <summary>Percent-decoding as UTF-8 (and '+' as space for form encoding); throws for a malformed escape.</summary>
    private static string Decode(string s, bool plusIsSpace)
    {
        if (s.IndexOf('%', StringComparison.Ordinal) < 0 && !(plusIsSpace && s.Contains('+', StringComparison.Ordinal)))
        {
            return s;
        }

        var bytes = new List<byte>(s.Length);
        var sb = new StringBuilder(s.Length);

        void Flush()
        {
            if (bytes.Count > 0)
            {
                sb.Append(Encoding.UTF8.GetString(bytes.ToArray()));
                bytes.Clear();
            }
        }

        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '%')
            {
                if (i + 2 >= s.Length || !byte.TryParse(s.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b))
                {
                    throw new SqlFunctionException($"Malformed percent-encoding in '{s}' at position {i}.");
                }

                bytes.Add(b);
                i += 2;
                continue;
            }

            Flush();
            sb.Append(plusIsSpace && c == '+' ? ' ' : c);
        }

        Flush();
        return sb.ToString();
    }
}
