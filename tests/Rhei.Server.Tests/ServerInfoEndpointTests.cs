using System.Net;
using System.Text.Json;

namespace Rhei.Server.Tests;

/// <summary>/info, /healthcheck, /clusterStatus, /is_valid_property, /status and the errors of the router.</summary>
public sealed class ServerInfoEndpointTests
{
    public static IEnumerable<object[]> Versions => TestServer.Versions;

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task Info_reports_version_cluster_and_service_id(Version version)
    {
        await using var server = await TestServer.StartAsync();
        var (status, body, response) = await Http.GetAsync(server.Client(version), "/info");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        var info = body.GetProperty("KsqlServerInfo");
        Assert.Equal("test-cluster", info.GetProperty("kafkaClusterId").GetString());
        Assert.Equal("test_", info.GetProperty("ksqlServiceId").GetString());
        Assert.Equal("RUNNING", info.GetProperty("serverStatus").GetString());
        Assert.False(string.IsNullOrEmpty(info.GetProperty("version").GetString()));
    }

    [Fact]
    public async Task Info_answers_in_the_versioned_media_type_when_asked()
    {
        await using var server = await TestServer.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/info");
        request.Headers.Accept.ParseAdd("application/vnd.ksql.v1+json; q=0.9, application/json; q=0.5");
        using var response = await server.Client(HttpVersion.Version11).SendAsync(request);
        Assert.Equal("application/vnd.ksql.v1+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task Healthcheck_is_healthy_with_details(Version version)
    {
        await using var server = await TestServer.StartAsync();
        var (status, body, _) = await Http.GetAsync(server.Client(version), "/healthcheck");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(body.GetProperty("isHealthy").GetBoolean());
        Assert.True(body.GetProperty("details").GetProperty("metastore").GetProperty("isHealthy").GetBoolean());
        Assert.True(body.GetProperty("details").GetProperty("kafka").GetProperty("isHealthy").GetBoolean());
    }

    [Fact]
    public async Task ClusterStatus_lists_this_node_alive()
    {
        await using var server = await TestServer.StartAsync();
        var (status, body, _) = await Http.GetAsync(server.Client(HttpVersion.Version11), "/clusterStatus");
        Assert.Equal(HttpStatusCode.OK, status);
        var node = Assert.Single(body.GetProperty("clusterStatus").EnumerateObject());
        Assert.Equal($"127.0.0.1:{server.BaseAddress.Port}", node.Name);
        Assert.True(node.Value.GetProperty("hostAlive").GetBoolean());
        Assert.Equal(JsonValueKind.Object, node.Value.GetProperty("activeStandbyPerQuery").ValueKind);
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task Is_valid_property_is_true_for_overridable_properties_and_an_error_for_prohibited_ones(Version version)
    {
        await using var server = await TestServer.StartAsync();
        var client = server.Client(version);
        var (status, body, _) = await Http.GetAsync(client, "/is_valid_property/auto.offset.reset");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(body.GetBoolean());

        (status, body, _) = await Http.GetAsync(client, "/is_valid_property/ksql.service.id");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("generic_error", body.GetProperty("@type").GetString());
        Assert.Equal(40000, body.GetProperty("error_code").GetInt32());
        Assert.Equal(
            "One or more properties overrides set locally are prohibited by the KSQL server (use UNSET to reset their default value): [ksql.service.id]",
            body.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Status_of_a_command_run_through_ksql()
    {
        await using var server = await TestServer.StartAsync();
        var client = server.Client(HttpVersion.Version11);
        var entities = await Http.KsqlAsync(client, "CREATE STREAM s (id INT KEY, name STRING) WITH (kafka_topic='s', value_format='JSON', partitions=1);");
        var commandId = entities[0].GetProperty("commandId").GetString()!;

        var (status, body, _) = await Http.GetAsync(client, "/status/" + string.Join('/', commandId.Split('/').Select(Uri.EscapeDataString)));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("SUCCESS", body.GetProperty("status").GetString());

        (status, body, _) = await Http.GetAsync(client, "/status");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("SUCCESS", body.GetProperty("commandStatuses").GetProperty(commandId).GetString());

        (status, body, _) = await Http.GetAsync(client, "/status/stream/NOPE/create");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal(40400, body.GetProperty("error_code").GetInt32());
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task Unknown_paths_wrong_methods_and_unacceptable_types_get_ksql_errors(Version version)
    {
        await using var server = await TestServer.StartAsync();
        var client = server.Client(version);
        var (status, body, _) = await Http.GetAsync(client, "/nope");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("generic_error", body.GetProperty("@type").GetString());
        Assert.Equal(40400, body.GetProperty("error_code").GetInt32());
        Assert.Contains("/ksql", body.GetProperty("message").GetString(), StringComparison.Ordinal);

        (status, body, var response) = await Http.GetAsync(client, "/ksql");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, status);
        Assert.Equal(40500, body.GetProperty("error_code").GetInt32());
        Assert.Contains("POST", response.Content.Headers.Allow);

        (status, body, _) = await Http.PostAsync(client, "/ksql", new { ksql = "SHOW STREAMS;" }, accept: "text/html");
        Assert.Equal(HttpStatusCode.NotAcceptable, status);
        Assert.Equal(40600, body.GetProperty("error_code").GetInt32());
    }
}
