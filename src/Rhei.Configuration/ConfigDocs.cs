using System.Text;

namespace Rhei.Configuration;

/// <summary>
/// Renders a settings table as Markdown: <c>docs/configuration.md</c> is this output for Rhei's table
/// (<c>rhei config docs</c>). Lines end with <c>\n</c> on every platform.
/// </summary>
public static class ConfigDocs
{
    private static readonly RheiLayer[] s_layerOrder =
    [
        RheiLayer.Server, RheiLayer.Storage, RheiLayer.Broker, RheiLayer.Client, RheiLayer.Formats,
        RheiLayer.Streams, RheiLayer.Sql, RheiLayer.Connect, RheiLayer.Engine, RheiLayer.Cli,
    ];

    /// <summary>The full page for Rhei's table.</summary>
    public static string RenderMarkdown() => RenderMarkdown(RheiSettings.Definition);

    public static string RenderMarkdown(ConfigDef definition)
    {
        var sb = new StringBuilder();
        sb.Append(ReadIntro().TrimEnd()).Append("\n\n");

        sb.Append("## Pass-through prefixes\n\n");
        sb.Append("Names that are not in the table but start with one of these prefixes are accepted without ")
            .Append("validation and kept as text for the layer named. Any other unknown name is an error.\n\n");
        sb.Append("| prefix | used by | what for |\n|---|---|---|\n");
        foreach (var prefix in definition.PassThroughPrefixes)
        {
            sb.Append($"| `{prefix.Prefix}*` | {LayerName(prefix.UsedBy)} | {Cell(prefix.Documentation)} |\n");
        }

        sb.Append("\n## All settings\n\n");
        sb.Append("| name | type | default | importance | used by |\n|---|---|---|---|---|\n");
        foreach (var key in Ordered(definition))
        {
            sb.Append($"| `{key.Name}` | {ValueParser.TypeName(key.Type)} | {DefaultCell(key)} | ")
                .Append($"{key.Importance.ToString().ToLowerInvariant()} | {LayerName(key.UsedBy)} |\n");
        }

        foreach (var group in Ordered(definition).GroupBy(k => k.UsedBy))
        {
            sb.Append($"\n## {LayerName(group.Key)}\n");
            foreach (var key in group)
            {
                AppendKey(sb, key);
            }
        }
        return sb.ToString();
    }

    private static void AppendKey(StringBuilder sb, ConfigKey key)
    {
        sb.Append($"\n### `{key.Name}`\n\n");
        sb.Append(key.Documentation).Append("\n\n");
        sb.Append($"- Type: {ValueParser.TypeName(key.Type)}\n");
        sb.Append($"- Default: {DefaultCell(key)}\n");
        sb.Append($"- Accepted: {key.Accepted}\n");
        sb.Append($"- Importance: {key.Importance.ToString().ToLowerInvariant()}\n");
        sb.Append($"- Environment variable: `{EnvironmentVariables.ToVariable(key.Name)}`\n");
        if (key.Aliases.Count > 0)
        {
            sb.Append($"- Also accepted as: {string.Join(", ", key.Aliases.Select(a => $"`{a}`"))}\n");
        }
        if (key.PerQuery)
        {
            sb.Append("- Per query: yes (a session may override it with `SET`)\n");
        }
    }

    private static IEnumerable<ConfigKey> Ordered(ConfigDef definition) =>
        definition.Keys.OrderBy(k => Array.IndexOf(s_layerOrder, k.UsedBy));

    private static string LayerName(RheiLayer layer) => $"Rhei.{layer}";

    private static string DefaultCell(ConfigKey key) => key.DefaultText switch
    {
        null => "not set",
        "" => "empty",
        var text => $"`{text}`",
    };

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);

    private static string ReadIntro()
    {
        var assembly = typeof(ConfigDocs).Assembly;
        var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith("configuration-intro.md", StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Resource {name} is missing.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd().ReplaceLineEndings("\n");
    }
}
