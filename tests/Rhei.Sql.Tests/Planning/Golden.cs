namespace Rhei.Sql.Tests.Planning;

/// <summary>
/// Golden files: the expected text lives in <c>tests/Rhei.Sql.Tests/Planning/Golden/&lt;name&gt;.txt</c>. With
/// <c>UPDATE_GOLDEN=1</c> the actual text is written there instead of compared (review the diff, then commit).
/// </summary>
internal static class Golden
{
    public static void Verify(string name, string actual)
    {
        var path = Path.Combine(Directory(), name + ".txt");
        actual = actual.Replace("\r\n", "\n", StringComparison.Ordinal);
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, actual);
            return;
        }

        Assert.True(File.Exists(path), $"No golden file {path}: run the tests with UPDATE_GOLDEN=1 to create it.");
        var expected = File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal);
        Assert.Equal(expected, actual);
    }

    private static string Directory()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Rhei.slnx")))
        {
            dir = dir.Parent;
        }

        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("The repository root (Rhei.slnx) was not found."), "tests", "Rhei.Sql.Tests", "Planning", "Golden");
    }
}
