using static Rhei.Configuration.Tests.TestSupport;

namespace Rhei.Configuration.Tests;

public class PrecedenceTests
{
    [Fact]
    public void Defaults_apply_when_nothing_is_set()
    {
        var config = new RheiConfigBuilder().Build();
        Assert.Equal(["./data"], config.LogDirs);
        Assert.Equal(1, config.GetInt(RheiSettings.NumPartitions));
        Assert.Equal(ConfigSourceKind.Default, config.GetValue(RheiSettings.NumPartitions).Source.Kind);
        Assert.True(config.IsEmbeddedBroker);
        Assert.Equal("default_", config.ServiceId);
    }

    [Fact]
    public void File_overrides_default_env_overrides_file_set_overrides_env_code_overrides_set()
    {
        var config = new RheiConfigBuilder()
            .AddProperties("num.partitions=2\nlog.retention.bytes=2\nmessage.max.bytes=2\nnode.id=2\n", "f.properties")
            .AddEnvironment(Env(("RHEI_LOG_RETENTION_BYTES", "3"), ("RHEI_MESSAGE_MAX_BYTES", "3"), ("RHEI_NODE_ID", "3")))
            .AddSetArgument("message.max.bytes=4")
            .AddSetArgument("node.id=4")
            .Set("node.id", "5")
            .Build();
        Assert.Equal(2, config.GetInt(RheiSettings.NumPartitions));
        Assert.Equal(3L, config.GetLong(RheiSettings.LogRetentionBytes));
        Assert.Equal(4, config.GetInt(RheiSettings.MessageMaxBytes));
        Assert.Equal(5, config.NodeId);
        Assert.Equal("f.properties:1", config.GetValue(RheiSettings.NumPartitions).Source.Location);
        Assert.Equal("environment variable RHEI_LOG_RETENTION_BYTES", config.GetValue(RheiSettings.LogRetentionBytes).Source.Location);
        Assert.Equal("--set message.max.bytes=4", config.GetValue(RheiSettings.MessageMaxBytes).Source.Location);
    }

    [Fact]
    public void Precedence_does_not_depend_on_the_order_sources_are_added()
    {
        var config = new RheiConfigBuilder()
            .AddSetArgument("num.partitions=4")
            .AddEnvironment(Env(("RHEI_NUM_PARTITIONS", "3")))
            .AddProperties("num.partitions=2", "f")
            .Build();
        Assert.Equal(4, config.GetInt(RheiSettings.NumPartitions));
        Assert.Equal(ConfigSourceKind.CommandLine, config.GetValue(RheiSettings.NumPartitions).Source.Kind);
    }

    [Fact]
    public void Within_one_source_the_last_value_wins()
    {
        var config = new RheiConfigBuilder()
            .AddProperties("num.partitions=2\nnum.partitions=7", "f")
            .AddSetArgument("node.id=1")
            .AddSetArgument("node.id=9")
            .Build();
        Assert.Equal(7, config.GetInt(RheiSettings.NumPartitions));
        Assert.Equal("f:2", config.GetValue(RheiSettings.NumPartitions).Source.Location);
        Assert.Equal(9, config.NodeId);
    }

    [Fact]
    public void An_overridden_bad_value_does_not_fail_the_configuration()
    {
        var config = new RheiConfigBuilder()
            .AddProperties("num.partitions=lots", "f")
            .AddSetArgument("num.partitions=3")
            .Build();
        Assert.Equal(3, config.GetInt(RheiSettings.NumPartitions));
    }

    [Fact]
    public void Load_reads_file_then_environment_then_set_arguments()
    {
        using var dir = new TempDir();
        var file = dir.Write("server.properties", "log.dirs=/from/file\nnum.partitions=2\nnode.id=2\n");
        var config = RheiConfig.Load(file, ["node.id=4"], Env(("RHEI_NUM_PARTITIONS", "3"), ("RHEI_NODE_ID", "3"), ("PATH", "/bin")));
        Assert.Equal(["/from/file"], config.LogDirs);
        Assert.Equal(3, config.GetInt(RheiSettings.NumPartitions));
        Assert.Equal(4, config.NodeId);
        Assert.Equal($"{file}:1", config.GetValue(RheiSettings.LogDirs).Source.Location);
    }

    [Fact]
    public void Alias_and_name_follow_precedence_across_sources()
    {
        var config = new RheiConfigBuilder()
            .AddProperties("broker.id=1\nksql.service.id=from_file_", "f")
            .AddSetArgument("node.id=2")
            .Build();
        Assert.Equal(2, config.NodeId);
        Assert.Equal("from_file_", config.ServiceId);
        Assert.Equal(2, config.GetInt("broker.id"));
        Assert.Equal("--set node.id=2", config.GetValue("broker.id").Source.Location);
    }

    [Fact]
    public void Alias_and_name_with_the_same_value_in_one_source_are_accepted()
    {
        var config = new RheiConfigBuilder().AddProperties("broker.id=3\nnode.id=3", "f").Build();
        Assert.Equal(3, config.NodeId);
    }

    [Fact]
    public void Pass_through_settings_follow_precedence_and_strip_prefix()
    {
        var config = new RheiConfigBuilder()
            .AddProperties("ksql.streams.producer.linger.ms=5\nproducer.acks=1", "f")
            .AddSetArgument("ksql.streams.producer.linger.ms=10")
            .Build();
        var producer = config.GetWithPrefix("ksql.streams.producer.");
        Assert.Equal("10", producer["linger.ms"]);
        Assert.Equal("1", config.GetWithPrefix("producer.")["acks"]);
        Assert.Equal("ksql.streams.producer.linger.ms", Assert.Single(config.GetWithPrefix("ksql.streams.", stripPrefix: false)).Key);
        Assert.Equal(ConfigSourceKind.CommandLine, config.PassThrough.Single(p => p.Name == "ksql.streams.producer.linger.ms").Source.Kind);
    }

    [Fact]
    public void Known_keys_under_a_pass_through_prefix_are_validated()
    {
        var error = SingleError(new RheiConfigBuilder().AddSetArgument("ksql.streams.num.stream.threads=zero"));
        Assert.Equal("ksql.streams.num.stream.threads", error.Name);
    }
}
