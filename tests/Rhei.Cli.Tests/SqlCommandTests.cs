namespace Rhei.Cli.Tests;

/// <summary><c>rhei sql -e</c> / <c>-f</c> and <c>rhei run</c> against a real server over HTTP.</summary>
public sealed class SqlCommandTests : IAsyncLifetime
{
    private CliTestServer _server = null!;

    public async Task InitializeAsync() => _server = await CliTestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Execute_runs_several_statements_and_prints_tables()
    {
        var (exit, output, error) = await Rhei.RunAsync("sql", _server.Url, "-e",
            "CREATE STREAM PAGEVIEWS (USER_ID STRING KEY, PAGE STRING) WITH (KAFKA_TOPIC='pageviews', VALUE_FORMAT='JSON', PARTITIONS=1);\n" +
            "SHOW STREAMS;");
        Assert.True(exit == 0, output + error);
        Assert.Contains("Stream created", output, StringComparison.Ordinal);
        Assert.Matches(@"\|\s*Stream Name\s*\|\s*Kafka Topic\s*\|", output);
        Assert.Matches(@"\|\s*PAGEVIEWS\s*\|\s*pageviews\s*\|\s*KAFKA\s*\|\s*JSON\s*\|\s*false\s*\|", output);
    }

    [Fact]
    public async Task Json_output_prints_the_servers_entities()
    {
        var (exit, output, error) = await Rhei.RunAsync("sql", _server.Url, "--output", "json", "-e", "SHOW STREAMS;");
        Assert.True(exit == 0, output + error);
        using var document = System.Text.Json.JsonDocument.Parse(output);
        Assert.Equal("streams", document.RootElement[0].GetProperty("@type").GetString());
    }

    [Fact]
    public async Task A_failing_statement_prints_the_servers_message_and_the_statement_then_stops()
    {
        var (exit, output, _) = await Rhei.RunAsync("sql", _server.Url, "-e",
            "CREATE STREAM OK1 (A INT) WITH (KAFKA_TOPIC='ok1', VALUE_FORMAT='JSON', PARTITIONS=1);\n" +
            "DESCRIBE NO_SUCH_STREAM;\n" +
            "CREATE STREAM NEVER (A INT) WITH (KAFKA_TOPIC='never', VALUE_FORMAT='JSON', PARTITIONS=1);");
        Assert.Equal(1, exit);
        Assert.Contains("Stream created", output, StringComparison.Ordinal);
        Assert.Contains("NO_SUCH_STREAM", output, StringComparison.Ordinal);
        Assert.Contains("Could not find STREAM/TABLE 'NO_SUCH_STREAM'", output, StringComparison.Ordinal);
        Assert.Contains("Statement: DESCRIBE NO_SUCH_STREAM;", output, StringComparison.Ordinal);

        var (_, streams, _) = await Rhei.RunAsync("sql", _server.Url, "-e", "SHOW STREAMS;");
        Assert.Contains("OK1", streams, StringComparison.Ordinal);
        Assert.DoesNotContain("NEVER", streams, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_syntax_error_names_its_line_and_column()
    {
        var (exit, output, _) = await Rhei.RunAsync("sql", _server.Url, "-e", "CREATE STREAM BROKEN (A INT WITH (KAFKA_TOPIC='b');");
        Assert.Equal(1, exit);
        Assert.Matches(@"line 1:\d+", output);
        Assert.Contains("Statement: CREATE STREAM BROKEN", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task File_runs_a_script_with_variables_from_define()
    {
        var directory = TempDir.Create("rhei-cli-script-");
        try
        {
            var script = Path.Combine(directory, "setup.sql");
            var nested = Path.Combine(directory, "nested.sql");
            await File.WriteAllTextAsync(nested, "CREATE STREAM ${name}_COPY AS SELECT * FROM ${name};\n");
            await File.WriteAllTextAsync(script,
                "-- a comment; with a semicolon\n" +
                "DEFINE topic = 'orders_topic';\n" +
                "CREATE STREAM ${name} (\n  ID INT KEY,\n  AMOUNT DOUBLE\n) WITH (KAFKA_TOPIC='${topic}', VALUE_FORMAT='JSON', PARTITIONS=1);\n" +
                $"RUN SCRIPT '{nested}';\n" +
                "SHOW STREAMS;\n");
            var (exit, output, error) = await Rhei.RunAsync("sql", _server.Url, "--define", "name=ORDERS", "-f", script);
            Assert.True(exit == 0, output + error);
            Assert.Matches(@"\|\s*ORDERS\s*\|\s*orders_topic\s*\|", output);
            Assert.Matches(@"\|\s*ORDERS_COPY\s*\|", output);
        }
        finally
        {
            TempDir.Delete(directory);
        }
    }

    [Fact]
    public async Task Set_and_unset_are_local_to_the_cli()
    {
        var (exit, output, error) = await Rhei.RunAsync("sql", _server.Url, "-e",
            "SET 'auto.offset.reset' = 'earliest';\nSET 'auto.offset.reset' = 'latest';\nUNSET 'auto.offset.reset';\nSHOW VARIABLES;");
        Assert.True(exit == 0, output + error);
        Assert.Contains("Successfully changed local property 'auto.offset.reset' to 'earliest'.", output, StringComparison.Ordinal);
        Assert.Contains("from 'earliest' to 'latest'", output, StringComparison.Ordinal);
        Assert.Contains("Successfully unset local property 'auto.offset.reset'", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_arguments_are_explained()
    {
        var (exit, _, error) = await Rhei.RunAsync("sql", _server.Url, "-e", "SHOW STREAMS;", "-f", "x.sql");
        Assert.Equal(1, exit);
        Assert.Contains("either -e or -f", error, StringComparison.Ordinal);

        (exit, _, error) = await Rhei.RunAsync("sql", _server.Url, "--define", "novalue", "-e", "SHOW STREAMS;");
        Assert.Equal(1, exit);
        Assert.Contains("is not NAME=VALUE", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_server_is_reported()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var (exit, output, _) = await Rhei.RunAsync("sql", $"http://127.0.0.1:{port}", "-e", "SHOW STREAMS;");
        Assert.Equal(1, exit);
        Assert.Contains("Could not reach the server", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_on_a_server_prints_each_statement_and_its_result()
    {
        var directory = TempDir.Create("rhei-cli-run-");
        try
        {
            var script = Path.Combine(directory, "run.sql");
            await File.WriteAllTextAsync(script,
                "CREATE STREAM CLICKS (ID INT KEY, URL STRING) WITH (KAFKA_TOPIC='clicks', VALUE_FORMAT='JSON', PARTITIONS=1);\n" +
                "SHOW STREAMS;\n");
            var (exit, output, error) = await Rhei.RunAsync("run", script, "--server", _server.Url);
            Assert.True(exit == 0, output + error);
            Assert.Contains("ksql> CREATE STREAM CLICKS", output, StringComparison.Ordinal);
            Assert.Contains("ksql> SHOW STREAMS;", output, StringComparison.Ordinal);
            Assert.Matches(@"\|\s*CLICKS\s*\|\s*clicks\s*\|", output);
        }
        finally
        {
            TempDir.Delete(directory);
        }
    }
}
