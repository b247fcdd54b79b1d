using System.Text;
using Microsoft.Data.Sqlite;
using Rhei.Client;
using Rhei.Client.Embedded;
using Rhei.Connect.Runtime;
using Rhei.Engine.Entities;
using Rhei.Storage;

namespace Rhei.Engine.Tests.Connect;

/// <summary>
/// An engine with a connector runtime over an embedded log in a temporary directory, a SQLite file next to it, and
/// <see cref="RestartAsync"/> to stop the engine and start a new one on the same log (a server restart).
/// </summary>
internal sealed class ConnectEngine : IAsyncDisposable
{
    private readonly string _dir;
    private readonly LogManager _log;

    private ConnectEngine(string dir, LogManager log)
    {
        _dir = dir;
        _log = log;
        Clients = new EmbeddedClientFactory(log, new EmbeddedClientOptions { AutoCreateTopics = false });
        Engine = NewEngine();
    }

    public EmbeddedClientFactory Clients { get; }

    public RheiEngine Engine { get; private set; }

    public string DbPath => Path.Combine(_dir, "shop.db");

    public string JdbcUrl => "jdbc:sqlite:" + DbPath;

    public static async Task<ConnectEngine> StartAsync()
    {
        var dir = Path.Combine(Path.GetTempPath(), "rhei-engine-connect-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var log = await LogManager.OpenAsync(new StorageOptions { LogDirs = [Path.Combine(dir, "log")], RunBackgroundTasks = false });
        return new ConnectEngine(dir, log);
    }

    /// <summary>Stops the engine (and its connectors) and starts a fresh one on the same log.</summary>
    public async Task RestartAsync()
    {
        await Engine.DisposeAsync();
        Engine = NewEngine();
    }

    public async Task<StatementResult> ExecuteAsync(string sql, IReadOnlyDictionary<string, string>? properties = null) =>
        Assert.Single(await Engine.ExecuteAsync(sql, properties));

    public async Task SqliteAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        await connection.OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>Waits until DESCRIBE CONNECTOR satisfies <paramref name="condition"/> (the limit is generous: not a timing assertion).</summary>
    public async Task<ConnectorDescriptionEntity> DescribeUntilAsync(string name, Func<ConnectorStatus, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var d = Assert.IsType<ConnectorDescriptionEntity>(await ExecuteAsync($"DESCRIBE CONNECTOR {name};"));
            if (condition(d.Status))
            {
                return d;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Gave up waiting for {what}; last: {d.Status} tasks: {string.Join("; ", d.Status.Tasks)}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Reads a topic from the beginning until <paramref name="count"/> records have arrived, or 30 s pass.</summary>
    public async Task<List<(string? Key, string? Value)>> ReadAsync(string topic, int count)
    {
        await using var consumer = Clients.CreateConsumer(new ConsumerOptions { GroupId = "reader-" + Guid.NewGuid().ToString("N"), AutoOffsetReset = AutoOffsetReset.Earliest });
        consumer.Subscribe([topic]);
        var result = new List<(string?, string?)>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (result.Count < count && !cts.IsCancellationRequested)
        {
            try
            {
                foreach (var r in await consumer.PollAsync(TimeSpan.FromMilliseconds(200), cts.Token))
                {
                    result.Add((r.Key is { } k ? Encoding.UTF8.GetString(k.Span) : null, r.Value is { } v ? Encoding.UTF8.GetString(v.Span) : null));
                }
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return result;
    }

    private RheiEngine NewEngine() => new(new RheiEngineOptions
    {
        ServiceId = "test_",
        ClientFactory = Clients,
        StateDirectory = Path.Combine(_dir, "state"),
        ConnectorOptions = new ConnectorRuntimeOptions
        {
            RetryBackoffInitial = TimeSpan.FromMilliseconds(100),
            RetryBackoffMax = TimeSpan.FromMilliseconds(300),
            SinkPollTimeout = TimeSpan.FromMilliseconds(100),
        },
    });

    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync();
        await _log.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
