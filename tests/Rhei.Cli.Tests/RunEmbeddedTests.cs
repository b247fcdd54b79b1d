namespace Rhei.Cli.Tests;

/// <summary><c>rhei run FILE</c> without <c>--server</c>: an embedded server (broker, engine, REST) for the file.</summary>
public sealed class RunEmbeddedTests
{
    [Fact]
    public async Task Run_starts_an_embedded_server_runs_the_file_and_stops()
    {
        var directory = TempDir.Create("rhei-cli-embedded-");
        try
        {
            var script = Path.Combine(directory, "demo.sql");
            await File.WriteAllTextAsync(script,
                "CREATE STREAM READINGS (SENSOR STRING KEY, TEMP DOUBLE) WITH (KAFKA_TOPIC='readings', VALUE_FORMAT='JSON', PARTITIONS=1);\n" +
                "INSERT INTO READINGS (SENSOR, TEMP) VALUES ('s1', 21.5);\n" +
                "SHOW STREAMS;\n");
            var environment = new Dictionary<string, string> { ["HOME"] = directory };
            var (exit, output, error) = await Rhei.RunAsync(environment, "run", script, "--set", $"log.dirs={Path.Combine(directory, "data")}");
            Assert.True(exit == 0, output + error);
            Assert.Contains("ksql> CREATE STREAM READINGS", output, StringComparison.Ordinal);
            Assert.Contains("Stream created", output, StringComparison.Ordinal);
            Assert.Matches(@"\|\s*READINGS\s*\|\s*readings\s*\|", output);
        }
        finally
        {
            TempDir.Delete(directory);
        }
    }

    [Fact]
    public async Task Run_waits_on_a_push_query_of_the_embedded_server_for_the_duration()
    {
        var directory = TempDir.Create("rhei-cli-embedded-push-");
        try
        {
            var script = Path.Combine(directory, "push.sql");
            await File.WriteAllTextAsync(script,
                "CREATE STREAM READINGS (SENSOR STRING KEY, TEMP DOUBLE) WITH (KAFKA_TOPIC='readings', VALUE_FORMAT='JSON', PARTITIONS=1);\n" +
                "INSERT INTO READINGS (SENSOR, TEMP) VALUES ('s1', 21.5);\n" +
                "INSERT INTO READINGS (SENSOR, TEMP) VALUES ('s2', 19.0);\n" +
                "SET 'auto.offset.reset' = 'earliest';\n" +
                "SELECT SENSOR, TEMP FROM READINGS WHERE TEMP > 20 EMIT CHANGES;\n");
            var environment = new Dictionary<string, string> { ["HOME"] = directory };
            var (exit, output, error) = await Rhei.RunAsync(environment, "run", script, "--duration", "3s", "--set", $"log.dirs={Path.Combine(directory, "data")}");
            Assert.True(exit == 0, output + error);
            Assert.Matches(@"\|s1\s*\|21\.5\s*\|", output);
            Assert.DoesNotContain("s2", output.Split("EMIT CHANGES;")[^1], StringComparison.Ordinal);
            Assert.Contains("Query terminated", output, StringComparison.Ordinal);
        }
        finally
        {
            TempDir.Delete(directory);
        }
    }
}
