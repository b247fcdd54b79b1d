namespace Rhei.Cli.Tests;

/// <summary>Pull and push queries through the CLI (they stream from the server's <c>/query-stream</c>).</summary>
public sealed class QueryTests : IAsyncLifetime
{
    private const string CreateStream =
        "CREATE STREAM ORDERS (ID INT KEY, ITEM STRING, AMOUNT DOUBLE) WITH (KAFKA_TOPIC='orders', VALUE_FORMAT='JSON', PARTITIONS=1);\n";

    private const string Inserts =
        "INSERT INTO ORDERS (ID, ITEM, AMOUNT) VALUES (1, 'apple', 1.5);\n" +
        "INSERT INTO ORDERS (ID, ITEM, AMOUNT) VALUES (2, 'pear', 2.5);\n" +
        "INSERT INTO ORDERS (ID, ITEM, AMOUNT) VALUES (1, 'plum', 3.0);\n";

    private CliTestServer _server = null!;

    public async Task InitializeAsync() => _server = await CliTestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_push_query_with_limit_prints_its_rows_as_they_come_and_ends()
    {
        var (exit, output, error) = await Rhei.RunAsync("sql", _server.Url, "-e", CreateStream + Inserts +
            "SET 'auto.offset.reset' = 'earliest';\nSELECT ITEM, ID FROM ORDERS EMIT CHANGES LIMIT 2;");
        Assert.True(exit == 0, output + error);
        Assert.Matches(@"\|ITEM\s*\|ID\s*\|", output);
        Assert.Matches(@"\|apple\s*\|1\s*\|", output);
        Assert.Matches(@"\|pear\s*\|2\s*\|", output);
        Assert.DoesNotContain("plum", output, StringComparison.Ordinal);
        Assert.Contains("Query terminated", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_push_query_in_json_prints_the_header_and_rows()
    {
        var (exit, output, error) = await Rhei.RunAsync("sql", _server.Url, "--output", "json", "-e", CreateStream + Inserts +
            "SET 'auto.offset.reset' = 'earliest';\nSELECT ID, AMOUNT FROM ORDERS EMIT CHANGES LIMIT 3;");
        Assert.True(exit == 0, output + error);
        Assert.Contains("\"columnNames\":[\"ID\",\"AMOUNT\"]", output, StringComparison.Ordinal);
        Assert.Contains("[2,2.5]", output, StringComparison.Ordinal);
        Assert.Contains("[1,3.0]", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pull_query_on_a_table_prints_a_table_of_its_rows()
    {
        var (exit, output, error) = await Rhei.RunAsync("sql", _server.Url, "-e", CreateStream +
            "CREATE TABLE TOTALS AS SELECT ID, COUNT(*) AS N, SUM(AMOUNT) AS TOTAL FROM ORDERS GROUP BY ID;\n" + Inserts);
        Assert.True(exit == 0, output + error);

        // The persistent query fills the table asynchronously: ask until the answer is complete.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            (exit, output, error) = await Rhei.RunAsync("sql", _server.Url, "-e", "SELECT * FROM TOTALS WHERE ID = 1;");
            Assert.True(exit == 0, output + error);
            if (System.Text.RegularExpressions.Regex.IsMatch(output, @"\|\s*1\s*\|\s*2\s*\|\s*4\.5\s*\|") || DateTime.UtcNow > deadline)
            {
                break;
            }

            await Task.Delay(200);
        }

        Assert.Matches(@"\|\s*ID\s*\|\s*N\s*\|\s*TOTAL\s*\|", output);
        Assert.Matches(@"\|\s*1\s*\|\s*2\s*\|\s*4\.5\s*\|", output);
        Assert.Contains("Query terminated", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_waits_on_a_push_query_for_the_duration_then_closes_it()
    {
        var directory = TempDir.Create("rhei-cli-run-push-");
        try
        {
            var script = Path.Combine(directory, "push.sql");
            await File.WriteAllTextAsync(script, CreateStream + Inserts +
                "SET 'auto.offset.reset' = 'earliest';\nSELECT ITEM FROM ORDERS EMIT CHANGES;\nSHOW STREAMS;\n");
            var (exit, output, error) = await Rhei.RunAsync("run", script, "--server", _server.Url, "--duration", "3s");
            Assert.True(exit == 0, output + error);
            Assert.Matches(@"\|plum\s*\|", output);
            Assert.Contains("Query terminated", output, StringComparison.Ordinal);

            // The statement after the push query ran: the query was closed and the run went on.
            Assert.Matches(@"\|\s*ORDERS\s*\|\s*orders\s*\|", output);
        }
        finally
        {
            TempDir.Delete(directory);
        }
    }

    [Fact]
    public async Task A_query_error_is_printed_readably()
    {
        var (exit, output, _) = await Rhei.RunAsync("sql", _server.Url, "-e", "SELECT * FROM NOWHERE EMIT CHANGES;");
        Assert.Equal(1, exit);
        Assert.Contains("NOWHERE", output, StringComparison.Ordinal);
        Assert.DoesNotContain("\"error_code\"", output, StringComparison.Ordinal);
    }
}
