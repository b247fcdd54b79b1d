using System.CommandLine;
using Rhei.Configuration;

namespace Rhei.Cli;

/// <summary><c>rhei server [--config FILE] [--set name=value]...</c>: loads the configuration and runs the server.</summary>
internal static class ServerCommand
{
    public static Command Create(CliContext context)
    {
        var options = new ConfigOptions();
        var command = new Command("server",
            "Runs Rhei: the Kafka-protocol broker, the SQL engine, the REST API and the web console, until Ctrl+C or SIGTERM.");
        options.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var config = options.Load(parseResult, context);
            if (config is null)
            {
                return 1;
            }
            context.Output.WriteLine(Summary(config));
            return await ServerHost.RunAsync(config, context.Output, cancellationToken);
        });
        return command;
    }

    /// <summary>One line: who this node is, where its data is, what it listens on, and where its settings came from.</summary>
    internal static string Summary(RheiConfig config)
    {
        var sources = config.Values.Select(v => v.Source).Concat(config.PassThrough.Select(p => p.Source))
            .Where(s => s.Kind != ConfigSourceKind.Default)
            .GroupBy(s => s.Kind)
            .OrderBy(g => g.Key)
            .Select(g => $"{Describe(g.Key)} {g.Count()}");
        var mode = config.IsEmbeddedBroker
            ? "embedded broker"
            : $"on Kafka at {string.Join(",", config.GetList(RheiSettings.BootstrapServers))}";
        var settings = string.Join(", ", sources.DefaultIfEmpty("all defaults"));
        return $"rhei server: node {config.NodeId}, service id '{config.ServiceId}', {mode}, " +
            $"data {string.Join(",", config.LogDirs)}, listeners {string.Join(",", config.Listeners)} " +
            $"(settings: {settings})";
    }

    private static string Describe(ConfigSourceKind kind) => kind switch
    {
        ConfigSourceKind.File => "file",
        ConfigSourceKind.Environment => "environment",
        ConfigSourceKind.CommandLine => "--set",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
