using System.Globalization;
using System.Net;

namespace Rhei.Configuration;

/// <summary>Parses the <c>listeners</c> syntax: <c>NAME://host:port</c> entries separated by commas.</summary>
public static class ListenerParser
{
    /// <summary>The listener names Rhei accepts, and the protocol each stands for.</summary>
    public static IReadOnlyDictionary<string, ListenerProtocol> Names { get; } = new Dictionary<string, ListenerProtocol>
    {
        ["PLAINTEXT"] = ListenerProtocol.Plaintext,
        ["SASL_PLAINTEXT"] = ListenerProtocol.SaslPlaintext,
        ["HTTP"] = ListenerProtocol.Http,
    };

    /// <summary>What the syntax accepts, for error messages and documentation.</summary>
    public const string Accepted =
        "comma-separated NAME://host:port entries; NAME is PLAINTEXT, SASL_PLAINTEXT or HTTP (any case), " +
        "host is a name, an IPv4 address, an IPv6 address in brackets, or empty for every interface, port is 0-65535 (0 = any free port); " +
        "each name and each non-zero port at most once";

    /// <summary>Parses <paramref name="text"/>; on failure returns <c>false</c> and says what is wrong in <paramref name="error"/>.</summary>
    public static bool TryParse(string text, out IReadOnlyList<ListenerEndpoint> listeners, out string? error)
    {
        var result = new List<ListenerEndpoint>();
        listeners = result;
        error = null;
        if (text.Trim().Length == 0)
        {
            return true;
        }
        foreach (var raw in text.Split(','))
        {
            var entry = raw.Trim();
            if (!TryParseOne(entry, out var listener, out error))
            {
                return false;
            }
            if (result.Any(l => l.Name == listener.Name))
            {
                error = $"listener name {listener.Name} appears more than once";
                return false;
            }
            if (listener.Port != 0 && result.Any(l => l.Port == listener.Port))
            {
                error = $"port {listener.Port} is used by more than one listener";
                return false;
            }
            result.Add(listener);
        }
        return true;
    }

    private static bool TryParseOne(string entry, out ListenerEndpoint listener, out string? error)
    {
        listener = null!;
        var sep = entry.IndexOf("://", StringComparison.Ordinal);
        if (sep <= 0)
        {
            error = $"'{entry}' is not NAME://host:port";
            return false;
        }
        var name = entry[..sep].ToUpperInvariant();
        if (!Names.TryGetValue(name, out var protocol))
        {
            error = $"listener name '{entry[..sep]}' is not supported (accepted: {string.Join(", ", Names.Keys)})";
            return false;
        }
        var hostPort = entry[(sep + 3)..];
        var colon = hostPort.LastIndexOf(':');
        if (colon < 0)
        {
            error = $"'{entry}' has no port (write NAME://host:port)";
            return false;
        }
        var host = hostPort[..colon];
        if (host.StartsWith('['))
        {
            if (!host.EndsWith(']') || !IPAddress.TryParse(host[1..^1], out _))
            {
                error = $"'{entry}' has a malformed IPv6 address (write it in brackets, e.g. [::1])";
                return false;
            }
            host = host[1..^1];
        }
        else if (host.Length > 0 && (host.Contains(':') || !ConfigValidator.IsHostName(host)))
        {
            error = $"'{entry}' has an invalid host '{host}'";
            return false;
        }
        var portText = hostPort[(colon + 1)..];
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            error = $"'{entry}' has an invalid port '{portText}' (0-65535)";
            return false;
        }
        listener = new ListenerEndpoint(name, protocol, host, port);
        error = null;
        return true;
    }
}
