using System.Text.Json;
using Microsoft.Extensions.Logging;
using Rhei.Cli.Sql;
using Rhei.Configuration;
using Rhei.Server.Rest.Entities;

namespace Rhei.Cli.Demo;

/// <summary>
/// The flow of <c>rhei demo</c>: make the shop database and start feeding it, start an embedded server (broker, engine,
/// REST API, console), send the statements of app.sql to it through the REST API one by one, show the pull query's
/// answer a few times as it changes, then say where the console is and how to connect the CLI, and run until stopped.
/// </summary>
internal sealed class DemoRunner(CliContext context, DemoOptions options)
{
    private const int SampleCustomers = 30;
    private const int SamplePurchases = 150;
    private const int Seed = 2021;

    private TextWriter Out => context.Output;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var databasePath = Path.Combine(options.DataDirectory, "shop.db");
        var serverData = Path.Combine(options.DataDirectory, "rhei");
        ShopFeeder feeder;
        try
        {
            Directory.CreateDirectory(options.DataDirectory);
            StartFresh(databasePath, serverData);
            feeder = await ShopFeeder.CreateAsync(databasePath, SampleCustomers, SamplePurchases, Seed, TimeProvider.System, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            context.Error.WriteLine($"rhei demo: could not create the shop database in {options.DataDirectory}: {e.Message}");
            return 1;
        }
        catch (OperationCanceledException)
        {
            return 0;
        }

        Out.WriteLine($"rhei demo: shop database {Display(databasePath)}: {SampleCustomers} customers, {SamplePurchases} purchases from the " +
            $"last 15 minutes, and a new purchase every {options.FeedInterval.TotalSeconds:0.#} s from now on");

        using var feeding = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var feederTask = feeder.RunAsync(options.FeedInterval, feeding.Token);
        try
        {
            return options.FeedOnly
                ? await FeedOnlyAsync(databasePath, cancellationToken)
                : await RunAppAsync(databasePath, serverData, cancellationToken);
        }
        finally
        {
            await feeding.CancelAsync();
            await feederTask;
            Out.WriteLine($"rhei demo: stopped ({feeder.PurchasesWritten} purchases in {Display(databasePath)})");
        }
    }

    private async Task<int> FeedOnlyAsync(string databasePath, CancellationToken cancellationToken)
    {
        var defaultPath = Path.GetFullPath(Path.Combine(DemoCommand.DefaultDataDirectory, "shop.db"));
        Out.WriteLine("rhei demo: feeding only. In another terminal, in this directory:");
        Out.WriteLine("    dotnet run --project src/Rhei.Cli -- server                                   # a server on 127.0.0.1:8088");
        Out.WriteLine("    dotnet run --project src/Rhei.Cli -- run --server http://127.0.0.1:8088 examples/four-statements/app.sql");
        if (!string.Equals(databasePath, defaultPath, StringComparison.Ordinal))
        {
            Out.WriteLine($"  app.sql reads {AppScript.SqliteUrl}; change its connection.url to jdbc:sqlite:{databasePath}.");
        }

        Out.WriteLine("Stop with Ctrl+C.");
        await WaitAsync(cancellationToken);
        return 0;
    }

    private async Task<int> RunAppAsync(string databasePath, string serverData, CancellationToken cancellationToken)
    {
        var app = AppScript.Load(databasePath);
        using var loggerFactory = CreateLoggerFactory();
        var components = await StartServerAsync(serverData, loggerFactory, cancellationToken);
        if (components is null)
        {
            return cancellationToken.IsCancellationRequested ? 0 : 1;
        }

        await using (components)
        {
            var rest = components.RestServer!.Addresses[0];
            var kafka = components.Broker?.BoundListeners.FirstOrDefault();
            Out.WriteLine($"rhei demo: embedded server up: Kafka at {kafka?.ToString() ?? "(no listener)"}, REST API and web console at {rest}");
            Out.WriteLine();

            using var client = new KsqlRestClient(rest);
            string? pullQuery = null;
            foreach (var statement in app.Statements)
            {
                if (AppScript.IsQuery(statement))
                {
                    pullQuery = statement;
                    continue;
                }

                var ok = await ExecuteAsync(client, statement, databasePath, cancellationToken);
                if (cancellationToken.IsCancellationRequested)
                {
                    return 0;
                }

                if (!ok)
                {
                    return 1;
                }
            }

            if (pullQuery is not null && options.Refreshes > 0)
            {
                Out.WriteLine(AppScript.Describe(pullQuery));
                Out.WriteLine(Indent(pullQuery));
                if (!await ShowPullAnswersAsync(client, pullQuery, cancellationToken) && !cancellationToken.IsCancellationRequested)
                {
                    return 1;
                }
            }

            if (!cancellationToken.IsCancellationRequested)
            {
                Out.WriteLine();
                Out.WriteLine("The app keeps running: new purchases flow from the database through the stream into the view.");
                Out.WriteLine($"  web console:  {rest}   (topics, queries, consumer groups, a SQL editor)");
                Out.WriteLine($"  SQL shell:    dotnet run --project src/Rhei.Cli -- sql {rest}");
                Out.WriteLine("                then: SELECT * FROM orders_by_country WHERE country = 'germany';");
                Out.WriteLine("                      SELECT * FROM purchases EMIT CHANGES;");
                Out.WriteLine($"  Kafka:        any client at {kafka?.ToString() ?? "(no listener)"}, topics shop_purchases, PURCHASES, ORDERS_BY_COUNTRY");
                Out.WriteLine(options.Duration is { } d ? $"The demo stops {d.TotalSeconds:0} s after it started (--duration); Ctrl+C stops it earlier." : "Stop with Ctrl+C.");
                await WaitAsync(cancellationToken);
            }

            Out.WriteLine("rhei demo: stopping the server");
        }

        return 0;
    }

    /// <summary>Starts broker, engine and REST API; on the default ports if free, else on free ones.</summary>
    private async Task<ServerComponents?> StartServerAsync(string serverData, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var config = LoadConfig(serverData, freePorts: false);
        if (config is null)
        {
            return null;
        }

        var retryOnFreePorts = config.GetValue(RheiSettings.Listeners).IsDefault;
        while (true)
        {
            try
            {
                // The server's own start-up lines would crowd the demo's; the demo says what matters below.
                return await ServerHost.StartAsync(config, loggerFactory, TextWriter.Null, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return null;
            }
            catch (Exception e) when (retryOnFreePorts && e is IOException or System.Net.Sockets.SocketException)
            {
                Out.WriteLine($"rhei demo: the default ports are taken ({e.Message}); using free ports instead");
                retryOnFreePorts = false;
                config = LoadConfig(serverData, freePorts: true);
                if (config is null)
                {
                    return null;
                }
            }
            catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException or NotSupportedException or InvalidDataException or System.Net.Sockets.SocketException)
            {
                context.Error.WriteLine($"rhei demo: could not start the embedded server: {e.Message}");
                return null;
            }
        }
    }

    private RheiConfig? LoadConfig(string serverData, bool freePorts)
    {
        List<string> settings = [.. options.Settings];
        try
        {
            var config = RheiConfig.Load(options.ConfigFile, settings, context.Environment);
            if (config.GetValue(RheiSettings.LogDirs).IsDefault)
            {
                settings.Add($"{RheiSettings.LogDirs}={serverData}");
            }

            if (freePorts)
            {
                settings.Add($"{RheiSettings.Listeners}=PLAINTEXT://127.0.0.1:0,HTTP://127.0.0.1:0");
            }

            config = RheiConfig.Load(options.ConfigFile, settings, context.Environment);
            if (!config.IsEmbeddedBroker)
            {
                context.Error.WriteLine("rhei demo: bootstrap.servers is set; the demo runs on its embedded broker, so leave it unset.");
                return null;
            }

            if (!config.Listeners.Any(l => l.Protocol == ListenerProtocol.Http))
            {
                context.Error.WriteLine("rhei demo: the demo needs an HTTP listener for the REST API; add one to `listeners` (e.g. HTTP://127.0.0.1:8088).");
                return null;
            }

            return config;
        }
        catch (ConfigException e)
        {
            context.Error.WriteLine("rhei demo: " + e.Message);
            return null;
        }
    }

    /// <summary>Sends one statement to /ksql and prints what it did; false (after saying why) when it failed.</summary>
    private async Task<bool> ExecuteAsync(KsqlRestClient client, string statement, string databasePath, CancellationToken cancellationToken)
    {
        Out.WriteLine(AppScript.Describe(statement));
        Out.WriteLine(Indent(statement));
        RestResult<IReadOnlyList<KsqlEntity>> result;
        try
        {
            result = await client.ExecuteAsync(statement, new Dictionary<string, string>(), new Dictionary<string, string>(), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        catch (HttpRequestException e)
        {
            context.Error.WriteLine($"rhei demo: the server could not be reached: {e.Message}");
            return false;
        }

        if (result.Error is { } error)
        {
            // The server's message quotes the statement again; its first line says what is wrong.
            context.Error.WriteLine($"  failed: {error.Message.Split('\n')[0]}");
            context.Error.WriteLine("rhei demo: the statement above failed, so the demo stops here.");

            return false;
        }

        var message = result.Value!.OfType<CommandStatusEntity>().FirstOrDefault()?.CommandStatus.Message
            ?? (result.Value!.OfType<CreateConnectorEntity>().FirstOrDefault()?.Info?.Name is { } connector ? $"Created connector {connector}" : null);
        Out.WriteLine("  -> " + (string.IsNullOrEmpty(message) ? "done" : message));
        Out.WriteLine();
        return true;
    }

    /// <summary>Runs the pull query every few seconds and prints its answer; false when queries are not served.</summary>
    private async Task<bool> ShowPullAnswersAsync(KsqlRestClient client, string query, CancellationToken cancellationToken)
    {
        // The view needs a moment to read the first captured rows.
        if (!await WaitAsync(cancellationToken, TimeSpan.FromSeconds(3)))
        {
            return true;
        }

        for (var i = 0; i < options.Refreshes; i++)
        {
            RestResult<StreamedQuery> started;
            try
            {
                started = await client.StreamQueryAsync(query, new Dictionary<string, string>(), new Dictionary<string, string>(), cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return true;
            }

            if (started.Error is { } error)
            {
                if (error.ErrorCode / 100 == 404)
                {
                    context.Error.WriteLine(
                        "rhei demo: this build of Rhei does not serve queries yet (POST /query-stream answered 404), so the pull query " +
                        "cannot be shown. The view is maintained all the same: 'SHOW QUERIES;' in 'rhei sql' lists its query, and the topic " +
                        "ORDERS_BY_COUNTRY in the web console holds its changes.");
                }
                else
                {
                    context.Error.WriteLine($"  failed: {error.Message}");
                }

                return false;
            }

            await using (var answer = started.Value!)
            {
                var rows = new List<JsonElement>();
                await foreach (var row in answer.ReadRowsAsync(cancellationToken))
                {
                    rows.Add(row);
                }

                Out.WriteLine($"  [{DateTime.Now:HH:mm:ss}] {rows.Count} row(s)");
                foreach (var line in PullAnswer.Format(answer.ColumnNames, rows))
                {
                    Out.WriteLine("    " + line);
                }
            }

            if (i + 1 < options.Refreshes && !await WaitAsync(cancellationToken, options.RefreshInterval))
            {
                return true;
            }
        }

        return true;
    }

    /// <summary>Warnings and errors only: the demo's own lines say what starts and where.</summary>
    private static ILoggerFactory CreateLoggerFactory() =>
        LoggerFactory.Create(logging =>
        {
            logging.SetMinimumLevel(LogLevel.Warning);
            logging.AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "HH:mm:ss.fff ";
            });
        });

    /// <summary>Waits for <paramref name="delay"/> (forever when null); false when cancelled first.</summary>
    private static async Task<bool> WaitAsync(CancellationToken cancellationToken, TimeSpan? delay = null)
    {
        try
        {
            await Task.Delay(delay ?? Timeout.InfiniteTimeSpan, cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Removes what an earlier demo left in the data directory (only the files the demo makes).</summary>
    private static void StartFresh(string databasePath, string serverData)
    {
        foreach (var file in new[] { databasePath, databasePath + "-wal", databasePath + "-shm", databasePath + "-journal" })
        {
            File.Delete(file);
        }

        if (Directory.Exists(serverData))
        {
            Directory.Delete(serverData, recursive: true);
        }
    }

    private static string Indent(string statement) =>
        string.Join(Environment.NewLine, statement.Split('\n').Select(l => "    " + l.TrimEnd('\r')));

    private static string Display(string path)
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
    }
}
