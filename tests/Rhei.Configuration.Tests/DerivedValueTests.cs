namespace Rhei.Configuration.Tests;

public class DerivedValueTests
{
    private static RheiConfig With(params string[] sets)
    {
        var builder = new RheiConfigBuilder();
        foreach (var s in sets)
        {
            builder.AddSetArgument(s);
        }
        return builder.Build();
    }

    [Fact]
    public void Retention_ms_wins_over_minutes_wins_over_hours()
    {
        Assert.Equal(168L * 3_600_000, With().LogRetentionMs);
        Assert.Equal(2L * 3_600_000, With("log.retention.hours=2").LogRetentionMs);
        Assert.Equal(3L * 60_000, With("log.retention.hours=2", "log.retention.minutes=3").LogRetentionMs);
        Assert.Equal(4L, With("log.retention.hours=2", "log.retention.minutes=3", "log.retention.ms=4").LogRetentionMs);
        Assert.Equal(-1L, With("log.retention.ms=-1").LogRetentionMs);
        Assert.Equal(-1L, With("log.retention.hours=-1").LogRetentionMs);
    }

    [Fact]
    public void Roll_ms_wins_over_hours()
    {
        Assert.Equal(168L * 3_600_000, With().LogRollMs);
        Assert.Equal(5L * 3_600_000, With("log.roll.hours=5").LogRollMs);
        Assert.Equal(1000L, With("log.roll.hours=5", "log.roll.ms=1000").LogRollMs);
    }

    [Fact]
    public void Advertised_listeners_default_to_listeners()
    {
        var config = With("listeners=PLAINTEXT://0.0.0.0:9092,HTTP://0.0.0.0:8088");
        Assert.Equal(config.Listeners, config.AdvertisedListeners);
        var advertised = With("listeners=PLAINTEXT://0.0.0.0:9092", "advertised.listeners=PLAINTEXT://kafka.example:9092");
        Assert.Equal("kafka.example", Assert.Single(advertised.AdvertisedListeners).Host);
    }

    [Fact]
    public void Bootstrap_servers_turn_the_embedded_broker_off()
    {
        var config = With("bootstrap.servers=k1:9092,[::1]:9093");
        Assert.False(config.IsEmbeddedBroker);
        Assert.Equal(["k1:9092", "[::1]:9093"], config.GetList(RheiSettings.BootstrapServers));
        Assert.False(With("ksql.streams.bootstrap.servers=k:9092").IsEmbeddedBroker);
    }

    [Fact]
    public void State_dir_and_processing_log_topic_derive_from_other_settings()
    {
        var config = With("log.dirs=/var/rhei,/mnt/b", "ksql.service.id=prod_");
        Assert.Equal(Path.Combine("/var/rhei", "state"), config.StreamsStateDir);
        Assert.Equal("prod_ksql_processing_log", config.ProcessingLogTopicName);
        var explicitly = With("ksql.streams.state.dir=/s", "ksql.logging.processing.topic.name=plog");
        Assert.Equal("/s", explicitly.StreamsStateDir);
        Assert.Equal("plog", explicitly.ProcessingLogTopicName);
    }

    [Fact]
    public void Unset_keys_read_as_null()
    {
        var config = RheiConfig.Defaults;
        Assert.Null(config.GetLongOrNull(RheiSettings.LogRetentionMs));
        Assert.Null(config.GetStringOrNull(RheiSettings.DefaultValueFormat));
        Assert.Null(config.GetBooleanOrNull(RheiSettings.WrapSingleValues));
        Assert.Throws<InvalidOperationException>(() => config.GetLong(RheiSettings.LogRetentionMs));
        Assert.False(With("ksql.persistence.wrap.single.values=false").GetBooleanOrNull(RheiSettings.WrapSingleValues));
    }

    [Fact]
    public void Getters_reject_unknown_names_and_wrong_types()
    {
        Assert.Throws<ArgumentException>(() => RheiConfig.Defaults.GetInt("no.such.key"));
        Assert.Throws<InvalidOperationException>(() => RheiConfig.Defaults.GetString(RheiSettings.NumPartitions));
    }
}
