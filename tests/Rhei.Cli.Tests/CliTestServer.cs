using Rhei.Client.Embedded;
using Rhei.Configuration;
using Rhei.Engine;
using Rhei.Server;
using Rhei.Storage;

namespace Rhei.Cli.Tests;

/// <summary>
/// A real REST server (Kestrel on a free loopback port) over an engine that runs on real storage in a temporary
/// directory through the embedded clients, so that persistent and transient queries run.
/// </summary>
internal sealed class CliTestServer : IAsyncDisposable
{
    private readonly LogManager _storage;
    private readonly string _directory;

    private CliTestServer(RheiEngine engine, RestServer server, LogManager storage, string directory)
    {
        Engine = engine;
        Server = server;
        _storage = storage;
        _directory = directory;
    }

    public RheiEngine Engine { get; }

    public RestServer Server { get; }

    /// <summary><c>http://127.0.0.1:PORT</c> (no trailing slash), as a user types it.</summary>
    public string Url => Server.Addresses[0].ToString().TrimEnd('/');

    public static async Task<CliTestServer> StartAsync()
    {
        var directory = TempDir.Create("rhei-cli-tests-");
        var storage = await LogManager.OpenAsync(new StorageOptions { LogDirs = [Path.Combine(directory, "data")], NumPartitions = 1 });
        var engine = new RheiEngine(new RheiEngineOptions
        {
            ServiceId = "cli_tests_",
            ClientFactory = new EmbeddedClientFactory(storage),
            StateDirectory = Path.Combine(directory, "state"),
            Properties = new Dictionary<string, string> { ["ksql.streams.commit.interval.ms"] = "100" },
        });
        var server = await RestServer.StartAsync(engine, new RestServerOptions
        {
            Listeners = [new ListenerEndpoint("HTTP", ListenerProtocol.Http, "127.0.0.1", 0)],
            KafkaClusterId = "cli-tests",
            ServiceId = "cli_tests_",
        });
        return new CliTestServer(engine, server, storage, directory);
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Engine.DisposeAsync();
        await _storage.DisposeAsync();
        TempDir.Delete(_directory);
    }
}

/// <summary>Temporary directories for the tests.</summary>
internal static class TempDir
{
    public static string Create(string prefix)
    {
        var path = Path.Combine(Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(path);
        return path;
    }

    public static void Delete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>Runs <c>rhei</c> commands in-process with captured output.</summary>
internal static class Rhei
{
    public static async Task<(int Exit, string Output, string Error)> RunAsync(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var context = new CliContext(output, error, environment ?? new Dictionary<string, string>(), HandleTermination: false);
        var exit = await RheiCli.RunAsync(args, context);
        return (exit, output.ToString(), error.ToString());
    }

    public static Task<(int Exit, string Output, string Error)> RunAsync(params string[] args) => RunAsync(null, args);
}
