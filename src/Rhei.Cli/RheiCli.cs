using System.CommandLine;
using Rhei.Cli.Demo;
using Rhei.Cli.Run;
using Rhei.Cli.Sql;

namespace Rhei.Cli;

/// <summary>The <c>rhei</c> command: its subcommands and how it runs.</summary>
public static class RheiCli
{
    /// <summary>Time a command gets to stop after Ctrl+C or SIGTERM before the process is ended.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Parses <paramref name="args"/>, runs the command and returns the process exit code.</summary>
    public static Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken = default)
    {
        var parseResult = BuildRootCommand(context).Parse(args);
        var invocation = new InvocationConfiguration
        {
            Output = context.Output,
            Error = context.Error,
            // Interactive commands (rhei sql) handle Ctrl+C themselves: it stops a query, not the shell.
            ProcessTerminationTimeout = context.HandleTermination && parseResult.CommandResult.Command is not InteractiveCommand
                ? ShutdownTimeout
                : null,
        };
        return parseResult.InvokeAsync(invocation, cancellationToken);
    }

    public static RootCommand BuildRootCommand(CliContext context)
    {
        var root = new RootCommand(
            "Rhei: an event-streaming database. A Kafka-compatible broker, stream processing and ksqlDB's SQL in one process.");
        foreach (var command in Commands(context))
        {
            root.Subcommands.Add(command);
        }
        return root;
    }

    private static IEnumerable<Command> Commands(CliContext context)
    {
        yield return ServerCommand.Create(context);
        yield return ConfigCommand.Create(context);
        yield return VersionCommand.Create(context);
        yield return SqlCommand.Create(context);
        yield return RunCommand.Create(context);
        yield return DemoCommand.Create(context);
        // Commands still to come register here, one line each, built the same way (a static Create(context)
        // in <Name>Command.cs that returns a System.CommandLine Command with its action set):
        // yield return TopicCommand.Create(context);    rhei topic list|create|describe|delete
        // yield return ProduceCommand.Create(context);  rhei produce TOPIC: records from standard input
        // yield return ConsumeCommand.Create(context);  rhei consume TOPIC: records to standard output
    }
}
