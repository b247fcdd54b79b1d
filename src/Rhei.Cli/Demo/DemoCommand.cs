using System.CommandLine;
using Rhei.Cli.Run;

namespace Rhei.Cli.Demo;

/// <summary>
/// <c>rhei demo [--data-dir DIR] [--duration D] [--feed-only]</c>: the four-statement app of
/// <c>examples/four-statements</c> on an embedded server, with a shop database that keeps receiving rows.
/// </summary>
internal static class DemoCommand
{
    public const string DefaultDataDirectory = "demo-data";

    public static Command Create(CliContext context)
    {
        var dataDir = new Option<string>("--data-dir")
        {
            Description = "Where the shop database (shop.db) and the server's data (rhei/) go; both are made fresh on each run.",
            DefaultValueFactory = _ => DefaultDataDirectory,
            HelpName = "DIR",
        };
        var duration = new Option<string?>("--duration")
        {
            Description = "Stops the demo after this long (30s, 5m, 1h). Default: until Ctrl+C.",
            HelpName = "D",
        };
        var refreshes = new Option<int>("--refreshes")
        {
            Description = "How many times the pull query's answer is shown, 5 seconds apart, before the demo goes quiet.",
            DefaultValueFactory = _ => 6,
        };
        var feedOnly = new Option<bool>("--feed-only")
        {
            Description = "Only creates the shop database and keeps adding rows (for 'rhei run examples/four-statements/app.sql' in another terminal).",
        };
        var configOptions = new ConfigOptions();

        var command = new Command("demo",
            "Runs the four-statement streaming app (capture, transform, materialize, serve) on an embedded server, " +
            "over a SQLite shop database that keeps receiving purchases, until Ctrl+C.");
        command.Options.Add(dataDir);
        command.Options.Add(duration);
        command.Options.Add(refreshes);
        command.Options.Add(feedOnly);
        configOptions.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            TimeSpan? limit = null;
            if (parseResult.GetValue(duration) is { } text)
            {
                if (!RunCommand.TryParseDuration(text, out var parsed))
                {
                    context.Error.WriteLine($"rhei demo: --duration '{text}' is not a duration; write it like 30s, 5m or 1h.");
                    return 1;
                }

                limit = parsed;
            }

            var options = new DemoOptions
            {
                DataDirectory = Path.GetFullPath(parseResult.GetValue(dataDir)!),
                Duration = limit,
                Refreshes = Math.Max(0, parseResult.GetValue(refreshes)),
                FeedOnly = parseResult.GetValue(feedOnly),
                ConfigFile = parseResult.GetValue(configOptions.ConfigFile),
                Settings = parseResult.GetValue(configOptions.Set) ?? [],
            };
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (limit is { } d)
            {
                stop.CancelAfter(d);
            }

            return await new DemoRunner(context, options).RunAsync(stop.Token);
        });
        return command;
    }
}

/// <summary>What <c>rhei demo</c> was asked to do.</summary>
internal sealed record DemoOptions
{
    /// <summary>The absolute directory for shop.db and the server's data.</summary>
    public required string DataDirectory { get; init; }

    public TimeSpan? Duration { get; init; }

    public int Refreshes { get; init; } = 6;

    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan FeedInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    public bool FeedOnly { get; init; }

    public string? ConfigFile { get; init; }

    public IReadOnlyList<string> Settings { get; init; } = [];
}
