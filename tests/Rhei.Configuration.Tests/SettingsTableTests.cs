namespace Rhei.Configuration.Tests;

public class SettingsTableTests
{
    private static readonly ConfigDef s_def = RheiSettings.Definition;

    [Fact]
    public void Every_name_is_dotted_lower_case()
    {
        foreach (var name in s_def.Keys.SelectMany(k => k.Aliases.Prepend(k.Name)))
        {
            Assert.Matches("^[a-z][a-z0-9_]*(\\.[a-z0-9_]+)*$", name);
        }
    }

    [Fact]
    public void Every_key_is_documented_and_its_default_validates()
    {
        foreach (var key in s_def.Keys)
        {
            Assert.False(string.IsNullOrWhiteSpace(key.Documentation), key.Name);
            Assert.EndsWith(".", key.Documentation.TrimEnd('`'), StringComparison.Ordinal);
            if (key.DefaultText is not null)
            {
                Assert.True(ValueParser.TryParse(key.Type, key.DefaultText, out var value, out _), key.Name);
                Assert.Null(key.Validator?.Check(value!));
            }
        }
    }

    [Fact]
    public void Kafka_defaults_are_kept()
    {
        var d = RheiConfig.Defaults;
        Assert.Equal(1073741824, d.GetInt(RheiSettings.LogSegmentBytes));
        Assert.Equal(168, d.GetInt(RheiSettings.LogRollHours));
        Assert.Equal(168, d.GetInt(RheiSettings.LogRetentionHours));
        Assert.Equal(-1L, d.GetLong(RheiSettings.LogRetentionBytes));
        Assert.Equal(300000L, d.GetLong(RheiSettings.LogRetentionCheckIntervalMs));
        Assert.Equal(long.MaxValue, d.GetLong(RheiSettings.LogFlushIntervalMessages));
        Assert.Equal(["delete"], d.GetList(RheiSettings.LogCleanupPolicy));
        Assert.Equal(1048588, d.GetInt(RheiSettings.MessageMaxBytes));
        Assert.Equal(104857600, d.GetInt(RheiSettings.SocketRequestMaxBytes));
        Assert.Equal(3000, d.GetInt(RheiSettings.GroupInitialRebalanceDelayMs));
        Assert.Equal(10080, d.GetInt(RheiSettings.OffsetsRetentionMinutes));
        Assert.Equal(50, d.GetInt(RheiSettings.OffsetsTopicNumPartitions));
        Assert.True(d.GetBoolean(RheiSettings.AutoCreateTopicsEnable));
        Assert.Equal(0, d.NodeId);
        Assert.Equal("latest", d.GetString(RheiSettings.StreamsAutoOffsetReset));
        Assert.Equal(0.5, d.GetDouble(RheiSettings.LogCleanerMinCleanableRatio));
    }

    [Fact]
    public void Pass_through_prefix_lookup_prefers_the_longest_and_needs_a_suffix()
    {
        Assert.Equal("ksql.streams.", s_def.FindPassThrough("ksql.streams.producer.acks")?.Prefix);
        Assert.Null(s_def.FindPassThrough("ksql.streams."));
        Assert.Null(s_def.FindPassThrough("ksql.other"));
    }

    [Fact]
    public void A_bad_default_in_a_table_is_a_programming_error()
    {
        var def = new ConfigDef();
        Assert.Throws<InvalidOperationException>(() =>
            def.Define("a.b", ConfigType.Int, "0", ConfigImportance.Low, RheiLayer.Broker, "Doc.", ConfigValidator.AtLeast(1)));
        def.Define("c.d", ConfigType.Int, "1", ConfigImportance.Low, RheiLayer.Broker, "Doc.");
        Assert.Throws<InvalidOperationException>(() =>
            def.Define("c.d", ConfigType.Int, "1", ConfigImportance.Low, RheiLayer.Broker, "Doc."));
    }

    [Fact]
    public void A_custom_table_works_with_the_builder()
    {
        var def = new ConfigDef()
            .Define("x.count", ConfigType.Int, "1", ConfigImportance.Low, RheiLayer.Engine, "Doc.", ConfigValidator.AtLeast(0))
            .AllowPrefix("x.extra.", RheiLayer.Engine, "Doc.");
        var config = new RheiConfigBuilder(def).AddSetArgument("x.count=5").AddSetArgument("x.extra.y=z").Build();
        Assert.Equal(5, config.GetInt("x.count"));
        Assert.Equal("z", config.GetWithPrefix("x.extra.")["y"]);
    }
}
