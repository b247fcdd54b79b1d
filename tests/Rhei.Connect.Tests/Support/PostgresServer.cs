using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Rhei.Connect.Tests.Support;

/// <summary>
/// A PostgreSQL server of its own for tests: Debian's binaries (<c>/usr/lib/postgresql/N/bin</c>), <c>initdb</c> into a
/// temporary directory and <c>pg_ctl start</c> on a free loopback port, run as the <c>postgres</c> user when the tests
/// run as root (the data directory is owned by it). <see cref="KillAsync"/> stops it the hard way
/// (<c>pg_ctl stop -m immediate</c>) and <see cref="StartAsync"/> brings it back on the same port. Disposing stops it
/// and deletes the directory.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _root;
    private readonly string _data;
    private readonly string? _runAs;

    private PostgresServer(string bin, string root, int port, string? runAs)
    {
        _bin = bin;
        _root = root;
        _data = Path.Combine(root, "data");
        Port = port;
        _runAs = runAs;
    }

    public int Port { get; }

    public bool IsRunning { get; private set; }

    /// <summary>Creates a cluster in a temporary directory and starts it.</summary>
    public static async Task<PostgresServer> CreateAsync()
    {
        var bin = FindBinaries();
        var root = Path.Combine(Path.GetTempPath(), "rhei-pg-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(root);
        string? runAs = null;
        if (Environment.UserName == "root" || Environment.GetEnvironmentVariable("USER") == "root" || GetUid() == 0)
        {
            runAs = "postgres";
            await RunAsync("chown", ["-R", runAs, root], null);
            File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var server = new PostgresServer(bin, root, FreePort(), runAs);
        await server.RunPgAsync("initdb", ["-D", server._data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "--locale=C"]);
        await server.StartAsync();
        return server;
    }

    /// <summary>Starts the server (again) on its port.</summary>
    public async Task StartAsync()
    {
        var options = $"-p {Port} -k {_root} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off";
        await RunPgAsync("pg_ctl", ["start", "-D", _data, "-w", "-t", "60", "-l", Path.Combine(_root, "server.log"), "-o", options]);
        IsRunning = true;
    }

    /// <summary>Stops the server at once, as a crash would (<c>pg_ctl stop -m immediate</c>).</summary>
    public async Task KillAsync()
    {
        await RunPgAsync("pg_ctl", ["stop", "-D", _data, "-m", "immediate", "-w"]);
        IsRunning = false;
    }

    public string ConnectionString(string database = "postgres") =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Database = database, Username = "postgres", Pooling = false, Timeout = 5 }.ConnectionString;

    /// <summary>The JDBC URL users would write.</summary>
    public string JdbcUrl(string database) => $"jdbc:postgresql://127.0.0.1:{Port}/{database}?user=postgres";

    /// <summary>Creates a fresh database and returns its name.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "db_" + Guid.NewGuid().ToString("N")[..10];
        await ExecuteAsync("postgres", $"CREATE DATABASE {name}");
        return name;
    }

    public async Task ExecuteAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database));
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        await cmd.ExecuteNonQueryAsync();
    }

    public async Task<List<object?[]>> QueryAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database));
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary>The rows, or none while the table does not exist yet.</summary>
    public List<object?[]> Rows(string database, string sql)
    {
        try
        {
            return QueryAsync(database, sql).GetAwaiter().GetResult();
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return [];
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (IsRunning)
        {
            try
            {
                await KillAsync();
            }
            catch (InvalidOperationException)
            {
            }
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static string FindBinaries()
    {
        var versions = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(b => File.Exists(Path.Combine(b, "initdb")) && File.Exists(Path.Combine(b, "pg_ctl")))
                .OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out var v) ? v : 0)
                .ToList()
            : [];
        return versions.Count > 0
            ? versions[0]
            : throw new InvalidOperationException(
                "PostgreSQL's server binaries (initdb, pg_ctl) were not found under /usr/lib/postgresql/*/bin. " +
                "Install Debian's package: apt-get install -y postgresql (scripts/test.sh installs it).");
    }

    private Task RunPgAsync(string tool, IReadOnlyList<string> args) =>
        _runAs is null
            ? RunAsync(Path.Combine(_bin, tool), args, _root)
            : RunAsync("runuser", ["-u", _runAs, "--", Path.Combine(_bin, tool), .. args], _root);

    private static async Task RunAsync(string file, IReadOnlyList<string> args, string? workingDirectory)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {await stderr}{await stdout}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static int GetUid()
    {
        try
        {
            var status = File.ReadAllLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal));
            return status is null ? -1 : int.Parse(status.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return -1;
        }
    }
}

/// <summary>One PostgreSQL server shared by the tests of a collection; each test makes its own database.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private PostgresServer? _server;

    public PostgresServer Server => _server ?? throw new InvalidOperationException("The server did not start.");

    public async Task InitializeAsync() => _server = await PostgresServer.CreateAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "PostgreSQL";
}
