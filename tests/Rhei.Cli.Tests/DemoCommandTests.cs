namespace Rhei.Cli.Tests;

/// <summary><c>rhei demo</c>: the README's first command runs the four statements on an embedded server and serves the view.</summary>
public sealed class DemoCommandTests
{
    [Fact]
    public async Task Demo_runs_the_four_statements_and_answers_the_pull_query()
    {
        var directory = TempDir.Create("rhei-cli-demo-");
        try
        {
            var environment = new Dictionary<string, string> { ["HOME"] = directory };
            var (exit, output, error) = await Rhei.RunAsync(environment,
                "demo", "--data-dir", Path.Combine(directory, "demo-data"), "--duration", "20s", "--refreshes", "2",
                "--set", "listeners=PLAINTEXT://127.0.0.1:0,HTTP://127.0.0.1:0");
            Assert.True(exit == 0, output + error);
            Assert.Contains("-> Created connector SHOP_DB", output, StringComparison.Ordinal);
            Assert.Contains("-> Created query with ID CSAS_PURCHASES_0", output, StringComparison.Ordinal);
            Assert.Contains("-> Created query with ID CTAS_ORDERS_BY_COUNTRY_1", output, StringComparison.Ordinal);
            Assert.Contains("SELECT * FROM orders_by_country WHERE country = 'usa';", output, StringComparison.Ordinal);
            Assert.Matches(@"COUNTRY\s*\|\s*WINDOWSTART\s*\|\s*WINDOWEND\s*\|\s*ORDER_COUNT\s*\|\s*ORDER_TOTAL", output);
            Assert.Contains("rhei demo: stopped", output, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(directory, "demo-data", "shop.db")));
        }
        finally
        {
            TempDir.Delete(directory);
        }
    }
}
