using System.CommandLine;

namespace Rhei.Cli.Sql;

/// <summary>
/// A command that handles Ctrl+C itself (the shell stops the running query on Ctrl+C rather than exiting), so
/// <see cref="RheiCli"/> does not turn Ctrl+C into cancellation of the whole command for it.
/// </summary>
internal sealed class InteractiveCommand(string name, string description) : Command(name, description);
