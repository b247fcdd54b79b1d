using Rhei.Connect.Plugins;
using Rhei.Connect.Runtime;
using Rhei.Connect.Tests.Support;

namespace Rhei.Connect.Tests.Runtime;

public sealed class RuntimeTests
{
    private static Dictionary<string, string> Datagen(string topic, string quickstart = "pageviews", long iterations = -1) => new()
    {
        ["connector.class"] = "io.confluent.kafka.connect.datagen.DatagenConnector",
        ["quickstart"] = quickstart,
        ["kafka.topic"] = topic,
        ["max.interval"] = "5",
        ["iterations"] = iterations.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["random.seed"] = "7",
    };

    [Fact]
    public async Task Create_list_describe_and_delete()
    {
        await using var cluster = await Cluster.StartAsync();
        var runtime = cluster.Runtime;
        var info = await runtime.CreateAsync("pv", Datagen("pageviews"));
        Assert.Equal(ConnectorKind.Source, info.Kind);
        Assert.Equal("io.confluent.kafka.connect.datagen.DatagenConnector", info.ClassName);
        await runtime.CreateAsync("sink", new Dictionary<string, string> { ["connector.class"] = "FileStreamSink", ["file"] = Path.GetTempFileName(), ["topics"] = "pageviews" });

        Assert.Equal(["pv", "sink"], runtime.List().Select(c => c.Name));
        Assert.Equal(["pv"], runtime.List(ConnectorKind.Source).Select(c => c.Name));
        Assert.Equal(["sink"], runtime.List(ConnectorKind.Sink).Select(c => c.Name));

        var status = await Eventually.StateAsync(runtime, "pv", ConnectorState.Running);
        Assert.Equal("RUNNING (1/1 tasks RUNNING)", status.Summary);
        Assert.Equal(["pageviews"], status.Topics);
        Assert.Equal(runtime.Options.WorkerId, status.WorkerId);
        Assert.Equal("pageviews", status.Config["quickstart"]);

        await Assert.ThrowsAsync<ConnectorAlreadyExistsException>(() => runtime.CreateAsync("pv", Datagen("other")));
        var existing = await runtime.CreateAsync("pv", Datagen("other"), ifNotExists: true);
        Assert.Equal("pv", existing.Name);

        Assert.True(await runtime.DeleteAsync("pv"));
        Assert.False(await runtime.DeleteAsync("pv", ifExists: true));
        await Assert.ThrowsAsync<ConnectorNotFoundException>(() => runtime.DeleteAsync("pv"));
        Assert.Throws<ConnectorNotFoundException>(() => runtime.Describe("pv"));
        Assert.Equal(["sink"], runtime.List().Select(c => c.Name));
    }

    [Fact]
    public async Task Pause_holds_the_tasks_and_resume_continues()
    {
        await using var cluster = await Cluster.StartAsync();
        var runtime = cluster.Runtime;
        await runtime.CreateAsync("pv", Datagen("pageviews"));
        await cluster.ReadAsync("pageviews", 3);
        runtime.Pause("pv");
        var paused = await Eventually.StateAsync(runtime, "pv", ConnectorState.Paused);
        Assert.Equal("PAUSED (0/1 tasks RUNNING)", paused.Summary);
        // Let the poll in flight finish, then nothing more is written.
        await Task.Delay(200);
        var count = (await cluster.ReadAsync("pageviews", 0)).Count;
        await Task.Delay(300);
        Assert.Equal(count, (await cluster.ReadAsync("pageviews", 0)).Count);

        runtime.Resume("pv");
        await Eventually.StateAsync(runtime, "pv", ConnectorState.Running);
        Assert.True((await cluster.ReadAsync("pageviews", count + 3)).Count >= count + 3);
    }

    [Fact]
    public async Task Plugins_list_the_built_in_connectors_and_aliases_resolve()
    {
        await using var cluster = await Cluster.StartAsync();
        var plugins = cluster.Runtime.Plugins;
        Assert.Contains(plugins, p => p.ClassName == "io.confluent.connect.jdbc.JdbcSourceConnector" && p.Kind == ConnectorKind.Source);
        Assert.Contains(plugins, p => p.ClassName == "io.confluent.connect.jdbc.JdbcSinkConnector" && p.Kind == ConnectorKind.Sink);
        Assert.Contains(plugins, p => p.ClassName == "io.confluent.kafka.connect.datagen.DatagenConnector");
        Assert.Contains(plugins, p => p.ClassName == "org.apache.kafka.connect.file.FileStreamSourceConnector");
        Assert.Equal("io.confluent.connect.jdbc.JdbcSourceConnector", cluster.Runtime.FindPlugin("JdbcSource")!.ClassName);
        Assert.Equal("io.confluent.connect.jdbc.JdbcSinkConnector", cluster.Runtime.FindPlugin("jdbcsink")!.ClassName);
        Assert.Equal("io.confluent.kafka.connect.datagen.DatagenConnector", cluster.Runtime.FindPlugin("DatagenSource")!.ClassName);
        Assert.Null(cluster.Runtime.FindPlugin("Debezium"));
    }

    [Fact]
    public async Task Configs_round_trip_through_json_and_recreate_the_connector()
    {
        await using var cluster = await Cluster.StartAsync();
        await cluster.Runtime.CreateAsync("pv", Datagen("pageviews", iterations: 20));
        var json = cluster.Runtime.GetConfig("pv").ToJson();
        var config = ConnectorConfig.FromJson(json);
        Assert.Equal(cluster.Runtime.GetConfig("pv"), config);
        Assert.Equal(20, (await cluster.ReadAsync("pageviews", 20)).Count);

        // A new runtime (a restarted server) recreates it from the persisted config and resumes from the stored offset.
        await cluster.RestartRuntimeAsync();
        await cluster.Runtime.CreateAsync(config);
        await Eventually.StateAsync(cluster.Runtime, "pv", ConnectorState.Running);
        await Task.Delay(300);
        Assert.Equal(20, (await cluster.ReadAsync("pageviews", 20)).Count);
    }

    [Fact]
    public async Task Stop_all_stops_every_connector()
    {
        await using var cluster = await Cluster.StartAsync();
        await cluster.Runtime.CreateAsync("a", Datagen("a"));
        await cluster.Runtime.CreateAsync("b", Datagen("b", "users"));
        await cluster.Runtime.StopAllAsync();
        Assert.Empty(cluster.Runtime.List());
    }

    [Fact]
    public async Task A_bad_record_fails_the_task_unless_errors_are_tolerated()
    {
        await using var cluster = await Cluster.StartAsync();
        await cluster.ProduceAsync("in", null, "not json");
        await cluster.ProduceAsync("in", null, "\"fine\"");
        using var dir = new TempDir();
        var strict = new Dictionary<string, string> { ["connector.class"] = "FileStreamSink", ["file"] = dir.File("strict.txt"), ["topics"] = "in" };
        await cluster.Runtime.CreateAsync("strict", strict);
        var failed = await Eventually.StateAsync(cluster.Runtime, "strict", ConnectorState.Failed);
        Assert.Contains("Converting byte[] to Kafka Connect data failed", failed.Error);

        var tolerant = new Dictionary<string, string>(strict) { ["file"] = dir.File("tolerant.txt"), ["errors.tolerance"] = "all" };
        await cluster.Runtime.CreateAsync("tolerant", tolerant);
        await Eventually.WaitAsync(() => File.Exists(dir.File("tolerant.txt")) ? File.ReadAllText(dir.File("tolerant.txt")) : "", t => t == "fine\n", "the good record");
    }
}
