using System.CommandLine;
using Rhei.Configuration;

namespace Rhei.Cli;

/// <summary><c>rhei config docs</c> and <c>rhei config show</c>.</summary>
internal static class ConfigCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("config", "Documents the settings, or shows the effective configuration.");

        var docs = new Command("docs", "Prints every setting as Markdown (the source of docs/configuration.md).");
        docs.SetAction(_ => context.Output.Write(ConfigDocs.RenderMarkdown()));
        command.Subcommands.Add(docs);

        var options = new ConfigOptions();
        var changed = new Option<bool>("--changed") { Description = "Only settings that are not at their default." };
        var show = new Command("show", "Prints the effective value of every setting and where it came from.");
        options.AddTo(show);
        show.Options.Add(changed);
        show.SetAction(parseResult =>
        {
            var config = options.Load(parseResult, context);
            if (config is null)
            {
                return 1;
            }
            WriteTable(context.Output, config, parseResult.GetValue(changed));
            return 0;
        });
        command.Subcommands.Add(show);
        return command;
    }

    private static void WriteTable(TextWriter output, RheiConfig config, bool changedOnly)
    {
        var rows = config.Values
            .Where(v => !changedOnly || !v.IsDefault)
            .Select(v => (v.Key.Name, Value: v.Value is null ? "(not set)" : v.Text, Source: v.Source.ToString()))
            .Concat(config.PassThrough.Select(p => (p.Name, p.Value, Source: $"{p.Source} (pass-through)")))
            .ToList();
        var nameWidth = rows.Select(r => r.Name.Length).DefaultIfEmpty(4).Max();
        var valueWidth = Math.Min(60, rows.Select(r => r.Value.Length).DefaultIfEmpty(5).Max());
        output.WriteLine($"{"NAME".PadRight(nameWidth)}  {"VALUE".PadRight(valueWidth)}  SOURCE");
        foreach (var (name, value, source) in rows)
        {
            output.WriteLine($"{name.PadRight(nameWidth)}  {value.PadRight(valueWidth)}  {source}");
        }
    }
}
