using Microsoft.Data.Sqlite;

namespace Rhei.Connect.Tests.Support;

/// <summary>What the SQLite connector tests share: running SQL on a database file, and a JDBC source's config for it.</summary>
internal static class SqliteTestDb
{
    /// <summary>Runs <paramref name="sql"/> on the file at <paramref name="path"/> (created when missing), without pooling.</summary>
    public static async Task ExecAsync(string path, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>A JDBC source on the file at <paramref name="path"/> in <paramref name="mode"/>, polling every 100 ms, with <paramref name="extra"/> on top.</summary>
    public static Dictionary<string, string> SourceConfig(string path, string mode, params (string Key, string Value)[] extra)
    {
        var config = new Dictionary<string, string>
        {
            ["connector.class"] = "JdbcSource",
            ["connection.url"] = $"jdbc:sqlite:{path}",
            ["mode"] = mode,
            ["poll.interval.ms"] = "100",
        };
        foreach (var (key, value) in extra)
        {
            config[key] = value;
        }

        return config;
    }
}
