using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;

namespace Rhei.Server.Tests;

/// <summary>POST /ksql: statements, entities, and every kind of bad request.</summary>
public sealed class KsqlEndpointTests
{
    public static IEnumerable<object[]> Versions => TestServer.Versions;

    private const string CreateS = "CREATE STREAM s (id INT KEY, name STRING) WITH (kafka_topic='s', value_format='JSON', partitions=1);";

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task Create_show_and_describe_return_ksql_entities(Version version)
    {
        await using var server = await TestServer.StartAsync();
        var client = server.Client(version);
        var entities = await Http.KsqlAsync(client, CreateS + " SHOW STREAMS; DESCRIBE s;");
        Assert.Equal(3, entities.GetArrayLength());

        var created = entities[0];
        Assert.Equal("currentStatus", created.GetProperty("@type").GetString());
        Assert.Equal(CreateS, created.GetProperty("statementText").GetString());
        Assert.Equal("SUCCESS", created.GetProperty("commandStatus").GetProperty("status").GetString());
        Assert.True(created.GetProperty("commandSequenceNumber").GetInt64() >= 0);
        Assert.Equal(JsonValueKind.Array, created.GetProperty("warnings").ValueKind);

        var streams = entities[1];
        Assert.Equal("streams", streams.GetProperty("@type").GetString());
        var s = Assert.Single(streams.GetProperty("streams").EnumerateArray());
        Assert.Equal("S", s.GetProperty("name").GetString());
        Assert.Equal("s", s.GetProperty("topic").GetString());
        Assert.Equal("STREAM", s.GetProperty("type").GetString());
        Assert.Equal("JSON", s.GetProperty("valueFormat").GetString());
        Assert.False(s.GetProperty("isWindowed").GetBoolean());

        var description = entities[2];
        Assert.Equal("sourceDescription", description.GetProperty("@type").GetString());
        var fields = description.GetProperty("sourceDescription").GetProperty("fields");
        Assert.Equal("ID", fields[0].GetProperty("name").GetString());
        Assert.Equal("INTEGER", fields[0].GetProperty("schema").GetProperty("type").GetString());
        Assert.Equal("KEY", fields[0].GetProperty("type").GetString());
        Assert.Equal("NAME", fields[1].GetProperty("name").GetString());
        Assert.Equal("STRING", fields[1].GetProperty("schema").GetProperty("type").GetString());
        Assert.False(fields[1].TryGetProperty("type", out _));
    }

    [Fact]
    public async Task Versioned_media_type_is_accepted_and_returned()
    {
        await using var server = await TestServer.StartAsync();
        var (status, _, response) = await Http.PostAsync(server.Client(HttpVersion.Version11), "/ksql",
            new { ksql = "SHOW STREAMS;" }, accept: "application/vnd.ksql.v1+json");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("application/vnd.ksql.v1+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Nested_types_are_described_as_schema_objects()
    {
        await using var server = await TestServer.StartAsync();
        var entities = await Http.KsqlAsync(server.Client(HttpVersion.Version11),
            "CREATE STREAM n (a ARRAY<STRUCT<x INT>>, m MAP<STRING, DECIMAL(4, 2)>) WITH (kafka_topic='n', value_format='JSON', partitions=1); DESCRIBE n;");
        var fields = entities[1].GetProperty("sourceDescription").GetProperty("fields");
        var a = fields[0].GetProperty("schema");
        Assert.Equal("ARRAY", a.GetProperty("type").GetString());
        Assert.Equal("STRUCT", a.GetProperty("memberSchema").GetProperty("type").GetString());
        Assert.Equal("X", a.GetProperty("memberSchema").GetProperty("fields")[0].GetProperty("name").GetString());
        var m = fields[1].GetProperty("schema");
        Assert.Equal("MAP", m.GetProperty("type").GetString());
        Assert.Equal("DECIMAL", m.GetProperty("memberSchema").GetProperty("type").GetString());
        Assert.Equal(4, m.GetProperty("memberSchema").GetProperty("parameters").GetProperty("precision").GetInt32());
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task Malformed_json_is_a_400_generic_error(Version version)
    {
        await using var server = await TestServer.StartAsync();
        using var response = await server.Client(version).PostAsync("/ksql", Http.Json("{\"ksql\": \"SHOW STREAMS;\""));
        var body = Http.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("generic_error", body.GetProperty("@type").GetString());
        Assert.Equal(40000, body.GetProperty("error_code").GetInt32());
        Assert.StartsWith("Invalid JSON in request: ", body.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Array, body.GetProperty("stackTrace").ValueKind);
    }

    [Fact]
    public async Task A_request_without_ksql_is_a_400()
    {
        await using var server = await TestServer.StartAsync();
        var (status, body, _) = await Http.PostAsync(server.Client(HttpVersion.Version11), "/ksql", new { streamsProperties = new { } });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("\"ksql\"", body.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task Malformed_sql_is_a_statement_error_with_line_and_column(Version version)
    {
        await using var server = await TestServer.StartAsync();
        var (status, body, _) = await Http.PostAsync(server.Client(version), "/ksql", new { ksql = "SHOW STREAMS;\nCREATE STREAM x (id INT KEY) WITH (;" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("statement_error", body.GetProperty("@type").GetString());
        Assert.Equal(40001, body.GetProperty("error_code").GetInt32());
        Assert.StartsWith("line 2:", body.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("CREATE STREAM x (id INT KEY) WITH (;", body.GetProperty("statementText").GetString());
        // Nothing ran: the script is parsed whole before any statement executes.
        Assert.Equal(0, body.GetProperty("entities").GetArrayLength());
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task A_query_sent_to_ksql_is_told_to_use_the_query_endpoint(Version version)
    {
        await using var server = await TestServer.StartAsync();
        var client = server.Client(version);
        await Http.KsqlAsync(client, CreateS);
        var (status, body, _) = await Http.PostAsync(client, "/ksql", new { ksql = "SELECT * FROM s EMIT CHANGES;" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("statement_error", body.GetProperty("@type").GetString());
        Assert.Equal(40002, body.GetProperty("error_code").GetInt32());
        Assert.Contains("'/query'", body.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("SELECT * FROM s EMIT CHANGES;", body.GetProperty("statementText").GetString());
    }

    [Fact]
    public async Task An_unknown_source_is_a_statement_error_with_the_earlier_entities()
    {
        await using var server = await TestServer.StartAsync();
        var (status, body, _) = await Http.PostAsync(server.Client(HttpVersion.Version11), "/ksql",
            new { ksql = CreateS + " DESCRIBE nope; SHOW STREAMS;" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("statement_error", body.GetProperty("@type").GetString());
        Assert.Equal(40001, body.GetProperty("error_code").GetInt32());
        Assert.Contains("NOPE", body.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("DESCRIBE nope;", body.GetProperty("statementText").GetString());
        var ran = Assert.Single(body.GetProperty("entities").EnumerateArray());
        Assert.Equal("currentStatus", ran.GetProperty("@type").GetString());
    }

    [Fact]
    public async Task Prohibited_property_overrides_are_refused()
    {
        await using var server = await TestServer.StartAsync();
        var (status, body, _) = await Http.PostAsync(server.Client(HttpVersion.Version11), "/ksql",
            new { ksql = "SHOW STREAMS;", streamsProperties = new Dictionary<string, object> { ["ksql.service.id"] = "other" } });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("[ksql.service.id]", body.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Session_variables_are_substituted_and_set_applies_only_to_the_request()
    {
        await using var server = await TestServer.StartAsync();
        var client = server.Client(HttpVersion.Version11);
        var (status, body, _) = await Http.PostAsync(client, "/ksql", new
        {
            ksql = "CREATE STREAM ${name} (id INT KEY) WITH (kafka_topic='${topic}', value_format='JSON', partitions=1); DEFINE other = 'T2'; " +
                "CREATE STREAM ${other} (id INT KEY) WITH (kafka_topic='t2', value_format='JSON', partitions=1); SHOW VARIABLES;",
            sessionVariables = new Dictionary<string, object> { ["name"] = "v1", ["topic"] = "t1" },
        });
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        var streams = (await Http.KsqlAsync(client, "SHOW STREAMS;"))[0].GetProperty("streams").EnumerateArray()
            .Select(s => (s.GetProperty("name").GetString(), s.GetProperty("topic").GetString())).ToList();
        Assert.Contains(("V1", "t1"), streams);
        Assert.Contains(("T2", "t2"), streams);
        var variables = body[3].GetProperty("variables").EnumerateArray().Select(v => v.GetProperty("name").GetString()).ToList();
        Assert.Contains("other", variables, StringComparer.OrdinalIgnoreCase);

        var properties = await Http.KsqlAsync(client, "SET 'auto.offset.reset' = 'earliest'; SHOW PROPERTIES;");
        Assert.Contains("auto.offset.reset", properties[1].GetProperty("overwrittenProperties").EnumerateArray().Select(p => p.GetString()));
        var later = await Http.KsqlAsync(client, "SHOW PROPERTIES;");
        Assert.DoesNotContain("auto.offset.reset", later[0].GetProperty("overwrittenProperties").EnumerateArray().Select(p => p.GetString()));
    }

    [Fact]
    public async Task Command_sequence_number_waits_for_earlier_commands_and_times_out_on_future_ones()
    {
        await using var server = await TestServer.StartAsync(configure: o => o with { CommandQueueCatchupTimeout = TimeSpan.FromMilliseconds(200) });
        var client = server.Client(HttpVersion.Version11);
        var created = await Http.KsqlAsync(client, CreateS);
        var sequence = created[0].GetProperty("commandSequenceNumber").GetInt64();

        var (status, _, _) = await Http.PostAsync(client, "/ksql", new { ksql = "SHOW STREAMS;", commandSequenceNumber = sequence });
        Assert.Equal(HttpStatusCode.OK, status);

        (status, var body, _) = await Http.PostAsync(client, "/ksql", new { ksql = "SHOW STREAMS;", commandSequenceNumber = sequence + 100 });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal(50301, body.GetProperty("error_code").GetInt32());
    }

    [Fact]
    public void Command_response_timeout_comes_from_ksql_server_command_response_timeout_ms()
    {
        var defaults = RestServerOptions.FromConfig(Rhei.Configuration.RheiConfig.Load(null, [], new Dictionary<string, string>()), "c", NullLoggerFactory.Instance);
        Assert.Equal(TimeSpan.FromSeconds(5), defaults.CommandQueueCatchupTimeout);

        var set = RestServerOptions.FromConfig(
            Rhei.Configuration.RheiConfig.Load(null, ["ksql.server.command.response.timeout.ms=1250"], new Dictionary<string, string>()), "c", NullLoggerFactory.Instance);
        Assert.Equal(TimeSpan.FromMilliseconds(1250), set.CommandQueueCatchupTimeout);
    }

    [Fact]
    public async Task Terminate_cluster_drops_every_source()
    {
        await using var server = await TestServer.StartAsync();
        var client = server.Client(HttpVersion.Version11);
        await Http.KsqlAsync(client, CreateS);
        var (status, body, _) = await Http.PostAsync(client, "/ksql/terminate", new { deleteTopicList = new[] { "s.*" } });
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        Assert.Equal("TERMINATE CLUSTER;", body[0].GetProperty("statementText").GetString());
        var streams = await Http.KsqlAsync(client, "SHOW STREAMS;");
        Assert.Equal(0, streams[0].GetProperty("streams").GetArrayLength());
    }
}
