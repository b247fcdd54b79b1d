namespace Rhei.Configuration.Tests;

internal static class TestSupport
{
    public static readonly IReadOnlyDictionary<string, string> NoEnvironment = new Dictionary<string, string>();

    public static Dictionary<string, string> Env(params (string Name, string Value)[] vars) =>
        vars.ToDictionary(v => v.Name, v => v.Value);

    /// <summary>Builds and expects failure; returns the errors.</summary>
    public static IReadOnlyList<ConfigError> Errors(RheiConfigBuilder builder) =>
        Assert.Throws<ConfigException>(() => builder.Build()).Errors;

    public static ConfigError SingleError(RheiConfigBuilder builder) => Assert.Single(Errors(builder));

    /// <summary>The repository root: the first ancestor of the test binaries that holds Rhei.slnx.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Rhei.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Rhei.slnx not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>A temporary directory, deleted on dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = Directory.CreateTempSubdirectory("rhei-config-tests-").FullName;
    }

    public string Path { get; }

    public string Write(string name, string content)
    {
        var file = System.IO.Path.Combine(Path, name);
        File.WriteAllText(file, content);
        return file;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
