using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using Rhei.Connect.Config;

namespace Rhei.Connect.Jdbc;

/// <summary>Which database a connection URL names.</summary>
public enum JdbcDatabase
{
    PostgreSql,
    Sqlite,
}

/// <summary>
/// A <c>connection.url</c> resolved to a database and a native connection string. Accepted forms:
/// JDBC URLs (<c>jdbc:postgresql://host:port/db?user=u&amp;password=p</c>, <c>jdbc:sqlite:/path/file.db</c>,
/// <c>jdbc:sqlite::memory:</c>), URIs (<c>postgresql://u:p@host:port/db</c>), and native connection strings
/// (<c>Host=...;Database=...</c> for PostgreSQL, <c>Data Source=file.db</c> for SQLite).
/// <c>connection.user</c>/<c>connection.password</c> override the URL's. <see cref="Display"/> hides the password.
/// </summary>
public sealed record JdbcUrl(JdbcDatabase Database, string ConnectionString, string Display)
{
    /// <exception cref="ConnectorConfigException">The URL is not one of the accepted forms.</exception>
    public static JdbcUrl Parse(string url, string? user = null, string? password = null)
    {
        var text = url.Trim();
        try
        {
            if (text.StartsWith("jdbc:sqlite:", StringComparison.OrdinalIgnoreCase))
            {
                var path = text["jdbc:sqlite:".Length..];
                var query = "";
                var q = path.IndexOf('?', StringComparison.Ordinal);
                if (q >= 0)
                {
                    query = path[(q + 1)..];
                    path = path[..q];
                }

                if (path.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
                {
                    path = path["file:".Length..];
                }

                var builder = new SqliteConnectionStringBuilder { DataSource = path == ":memory:" ? ":memory:" : path };
                foreach (var (k, v) in QueryParameters(query))
                {
                    builder[k] = v;
                }

                return new JdbcUrl(JdbcDatabase.Sqlite, builder.ConnectionString, $"jdbc:sqlite:{path}");
            }

            if (text.StartsWith("jdbc:postgresql:", StringComparison.OrdinalIgnoreCase)
                || text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
                || text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase))
            {
                return ParsePostgresUri(text, user, password);
            }

            if (text.StartsWith("jdbc:", StringComparison.OrdinalIgnoreCase))
            {
                var scheme = text[5..].Split(':')[0];
                throw Invalid(url, $"the database '{scheme}' is not supported; Rhei's JDBC connectors support jdbc:postgresql:// and jdbc:sqlite:");
            }

            var keys = new DbConnectionStringBuilder { ConnectionString = text };
            if (keys.ContainsKey("host") || keys.ContainsKey("server"))
            {
                var pg = new NpgsqlConnectionStringBuilder(text);
                ApplyCredentials(pg, user, password);
                return new JdbcUrl(JdbcDatabase.PostgreSql, pg.ConnectionString, $"jdbc:postgresql://{pg.Host}:{pg.Port}/{pg.Database}");
            }

            if (keys.ContainsKey("data source") || keys.ContainsKey("datasource") || keys.ContainsKey("filename"))
            {
                var sqlite = new SqliteConnectionStringBuilder(text);
                return new JdbcUrl(JdbcDatabase.Sqlite, sqlite.ConnectionString, $"jdbc:sqlite:{sqlite.DataSource}");
            }
        }
        catch (ArgumentException e)
        {
            throw Invalid(url, e.Message);
        }

        throw Invalid(url, "expected jdbc:postgresql://host:port/database, jdbc:sqlite:/path/to/file.db, or a native connection string (Host=...;Database=... or Data Source=...)");
    }

    private static JdbcUrl ParsePostgresUri(string text, string? user, string? password)
    {
        var rest = text.StartsWith("jdbc:", StringComparison.OrdinalIgnoreCase) ? text[5..] : text;
        rest = rest[(rest.IndexOf(':', StringComparison.Ordinal) + 1)..];
        if (!rest.StartsWith("//", StringComparison.Ordinal))
        {
            throw Invalid(text, "expected jdbc:postgresql://host[:port]/database");
        }

        rest = rest[2..];
        var query = "";
        var q = rest.IndexOf('?', StringComparison.Ordinal);
        if (q >= 0)
        {
            query = rest[(q + 1)..];
            rest = rest[..q];
        }

        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var authority = slash >= 0 ? rest[..slash] : rest;
        var database = slash >= 0 ? Uri.UnescapeDataString(rest[(slash + 1)..]) : "";
        var builder = new NpgsqlConnectionStringBuilder();
        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            var credentials = authority[..at];
            authority = authority[(at + 1)..];
            var colon = credentials.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon >= 0 ? credentials[..colon] : credentials);
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(credentials[(colon + 1)..]);
            }
        }

        var hosts = authority.Split(',');
        var first = hosts[0];
        var portSep = first.LastIndexOf(':');
        if (first.StartsWith('[') && first.Contains(']', StringComparison.Ordinal))
        {
            portSep = first.IndexOf("]:", StringComparison.Ordinal) is var b and >= 0 ? b + 1 : -1;
        }

        builder.Host = string.Join(",", hosts.Select(h => h.Trim('[', ']')));
        if (portSep > 0 && hosts.Length == 1)
        {
            builder.Host = first[..portSep].Trim('[', ']');
            builder.Port = int.Parse(first[(portSep + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        }

        if (database.Length > 0)
        {
            builder.Database = database;
        }

        foreach (var (k, v) in QueryParameters(query))
        {
            switch (k.ToLowerInvariant())
            {
                case "user":
                    builder.Username = v;
                    break;
                case "password":
                    builder.Password = v;
                    break;
                case "ssl" or "sslmode":
                    builder.SslMode = v is "true" or "require" ? SslMode.Require : v is "disable" or "false" ? SslMode.Disable : SslMode.Prefer;
                    break;
                case "connecttimeout":
                    builder.Timeout = int.Parse(v, System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case "applicationname":
                    builder.ApplicationName = v;
                    break;
                case "currentschema":
                    builder.SearchPath = v;
                    break;
                default:
                    builder[k] = v;
                    break;
            }
        }

        ApplyCredentials(builder, user, password);
        return new JdbcUrl(JdbcDatabase.PostgreSql, builder.ConnectionString, $"jdbc:postgresql://{builder.Host}:{builder.Port}/{builder.Database}");
    }

    private static void ApplyCredentials(NpgsqlConnectionStringBuilder builder, string? user, string? password)
    {
        if (!string.IsNullOrEmpty(user))
        {
            builder.Username = user;
        }

        if (!string.IsNullOrEmpty(password))
        {
            builder.Password = password;
        }
    }

    private static IEnumerable<(string, string)> QueryParameters(string query) =>
        query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Select(p => (Uri.UnescapeDataString(p[0]), p.Length > 1 ? Uri.UnescapeDataString(p[1]) : ""));

    private static ConnectorConfigException Invalid(string url, string reason)
    {
        var shown = url.Contains("password", StringComparison.OrdinalIgnoreCase) ? "[hidden]" : url;
        return new ConnectorConfigException("connection.url", $"Invalid value {shown} for configuration connection.url: {reason}");
    }
}
