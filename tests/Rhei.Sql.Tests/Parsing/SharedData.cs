namespace Rhei.Sql.Tests.Parsing;

/// <summary>
/// Finds the shared reference data: <c>$RHEI_SHARED_DIR</c> if set, else <c>&lt;repo root&gt;/../shared</c>, where
/// the repository root is the nearest parent of the test binaries holding <c>Rhei.slnx</c>.
/// </summary>
internal static class SharedData
{
    public static string Directory { get; } = Locate();

    /// <summary>ksqlDB's query-validation test files (<c>conformance/ksql/qtt</c> and <c>rqtt</c>).</summary>
    public static IEnumerable<string> KsqlCaseFiles()
    {
        var root = Path.Combine(Directory, "conformance", "ksql");
        return new[] { "qtt", "rqtt" }
            .Select(d => Path.Combine(root, d))
            .Where(System.IO.Directory.Exists)
            .SelectMany(d => System.IO.Directory.EnumerateFiles(d, "*.json"))
            .Order(StringComparer.Ordinal);
    }

    private static string Locate()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("RHEI_SHARED_DIR");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return Path.GetFullPath(fromEnvironment);
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Rhei.slnx")))
            {
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared"));
            }
        }

        throw new DirectoryNotFoundException(
            "Cannot find the shared reference data: set RHEI_SHARED_DIR or run the tests from inside the repository.");
    }
}
