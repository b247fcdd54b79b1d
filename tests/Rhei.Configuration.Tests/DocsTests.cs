namespace Rhei.Configuration.Tests;

public class DocsTests
{
    [Fact]
    public void Committed_configuration_docs_match_the_table()
    {
        var path = Path.Combine(TestSupport.RepositoryRoot(), "docs", "configuration.md");
        Assert.True(File.Exists(path), $"{path} is missing; generate it with: dotnet run --project src/Rhei.Cli -- config docs > docs/configuration.md");
        var committed = File.ReadAllText(path).ReplaceLineEndings("\n");
        var rendered = ConfigDocs.RenderMarkdown();
        Assert.True(committed == rendered,
            "docs/configuration.md differs from the settings table. Regenerate it with: " +
            "dotnet run --project src/Rhei.Cli -- config docs > docs/configuration.md");
    }

    [Fact]
    public void Docs_cover_every_key_alias_prefix_and_variable()
    {
        var docs = ConfigDocs.RenderMarkdown();
        foreach (var key in RheiSettings.Definition.Keys)
        {
            Assert.Contains($"### `{key.Name}`", docs, StringComparison.Ordinal);
            Assert.Contains(EnvironmentVariables.ToVariable(key.Name), docs, StringComparison.Ordinal);
            foreach (var alias in key.Aliases)
            {
                Assert.Contains($"`{alias}`", docs, StringComparison.Ordinal);
            }
        }
        foreach (var prefix in RheiSettings.Definition.PassThroughPrefixes)
        {
            Assert.Contains($"`{prefix.Prefix}*`", docs, StringComparison.Ordinal);
        }
        foreach (var variable in EnvironmentVariables.NotSettings)
        {
            Assert.Contains(variable, docs, StringComparison.Ordinal);
        }
    }
}
