using System.CommandLine;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Rhei.Cli;

/// <summary><c>rhei version</c>: the version of Rhei and of the .NET runtime it runs on.</summary>
internal static class VersionCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("version", "Prints Rhei's version and the .NET runtime's.");
        command.SetAction(_ => context.Output.WriteLine($"rhei {Version} ({RuntimeInformation.FrameworkDescription})"));
        return command;
    }

    public static string Version =>
        typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(VersionCommand).Assembly.GetName().Version?.ToString()
        ?? "unknown";
}
