using System.CommandLine;
using Rhei.Configuration;

namespace Rhei.Cli;

/// <summary>The <c>--config FILE</c> and <c>--set name=value</c> options, shared by every command that loads a configuration.</summary>
internal sealed class ConfigOptions
{
    public Option<string?> ConfigFile { get; } = new("--config", "-c")
    {
        Description = "A properties file (Kafka/ksqlDB syntax) with settings; see 'rhei config docs'.",
        HelpName = "FILE",
    };

    public Option<string[]> Set { get; } = new("--set")
    {
        Description = "Sets one setting, overriding the file and RHEI_* environment variables. Repeatable.",
        HelpName = "NAME=VALUE",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(ConfigFile);
        command.Options.Add(Set);
    }

    /// <summary>
    /// Loads the configuration for a parsed command line. On a configuration problem writes every error to
    /// standard error and returns <c>null</c>.
    /// </summary>
    public RheiConfig? Load(ParseResult parseResult, CliContext context)
    {
        try
        {
            return RheiConfig.Load(
                parseResult.GetValue(ConfigFile),
                parseResult.GetValue(Set) ?? [],
                context.Environment);
        }
        catch (ConfigException e)
        {
            context.Error.WriteLine("rhei: " + e.Message);
            return null;
        }
    }
}
