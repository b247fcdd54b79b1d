using Rhei.Connect.Config;

namespace Rhei.Connect.Datagen;

/// <summary>The datagen source's properties (the Confluent datagen connector's names, plus <c>random.seed</c> and the Nexmark settings).</summary>
public static class DatagenConfig
{
    public const string KafkaTopic = "kafka.topic";
    public const string Quickstart = "quickstart";
    public const string MaxInterval = "max.interval";
    public const string Iterations = "iterations";
    public const string RandomSeed = "random.seed";
    public const string KeyField = "schema.keyfield";
    public const string NexmarkRate = "nexmark.rate";
    public const string NexmarkBaseTime = "nexmark.base.time.ms";
    public const string NexmarkPersonTopic = "nexmark.person.topic";
    public const string NexmarkAuctionTopic = "nexmark.auction.topic";
    public const string NexmarkBidTopic = "nexmark.bid.topic";
    public const string Nexmark = "nexmark";

    public static ConfigDef Definition { get; } = new ConfigDef()
        .Define(KafkaTopic, ConfigType.String, null, ConfigImportance.High, "The topic to write (all quickstarts but nexmark, which writes person, auction and bid).")
        .DefineRequired(Quickstart, ConfigType.String, ConfigImportance.High,
            $"The data set: {string.Join(", ", Quickstarts.Quickstarts.All.Keys.Order())}, or nexmark.", value =>
                value is string s && Quickstarts.Quickstarts.Find(s) is null && !s.Equals(Nexmark, StringComparison.OrdinalIgnoreCase)
                    ? $"String must be one of: {string.Join(", ", Quickstarts.Quickstarts.All.Keys.Order().Append(Nexmark))}"
                    : null)
        .Define(MaxInterval, ConfigType.Long, 500L, ConfigImportance.Medium,
            "The longest wait (ms) between records (each wait is random up to this); 0 writes as fast as possible. Nexmark's default is 0.", ConfigValidators.AtLeast(0))
        .Define(Iterations, ConfigType.Long, -1L, ConfigImportance.Medium, "How many records (Nexmark: events) to write; -1 without end.")
        .Define(RandomSeed, ConfigType.Long, null, ConfigImportance.Low, "The seed: the same seed writes the same records. Default: a random seed, kept in the stored offset.")
        .Define(KeyField, ConfigType.String, null, ConfigImportance.Low, "The value field that becomes the record key (default: the quickstart's).")
        .Define(NexmarkRate, ConfigType.Double, 10000.0, ConfigImportance.Medium, "Nexmark: events per second of event time (each event is 1/rate s after the previous).")
        .Define(NexmarkBaseTime, ConfigType.Long, null, ConfigImportance.Low, "Nexmark: the event time of the first event (epoch ms). Default: when the connector first starts.")
        .Define(NexmarkPersonTopic, ConfigType.String, "person", ConfigImportance.Low, "Nexmark: the topic of persons.")
        .Define(NexmarkAuctionTopic, ConfigType.String, "auction", ConfigImportance.Low, "Nexmark: the topic of auctions.")
        .Define(NexmarkBidTopic, ConfigType.String, "bid", ConfigImportance.Low, "Nexmark: the topic of bids.");
}
