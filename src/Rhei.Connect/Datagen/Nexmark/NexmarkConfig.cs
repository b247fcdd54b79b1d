namespace Rhei.Connect.Datagen.Nexmark;

/// <summary>
/// The Nexmark generator's parameters. The model is the standard one (BENCHMARKS.md "Nexmark, as Rhei runs it"):
/// blocks of 50 events (1 person, 3 auctions, 46 bids); average sizes person 200 B, auction 500 B, bid 100 B; hot
/// auctions, bidders and sellers; 10,000 channels of which 4 take half the bids; log-uniform prices; categories 10–14;
/// ids from 1000; event time advancing by 1/<see cref="EventsPerSecond"/> per event.
/// </summary>
public sealed record NexmarkConfig
{
    public const int PersonProportion = 1;
    public const int AuctionProportion = 3;
    public const int BidProportion = 46;
    public const int TotalProportion = PersonProportion + AuctionProportion + BidProportion;
    public const long FirstPersonId = 1000;
    public const long FirstAuctionId = 1000;
    public const int FirstCategoryId = 10;
    public const int NumCategories = 5;
    public const int AvgPersonByteSize = 200;
    public const int AvgAuctionByteSize = 500;
    public const int AvgBidByteSize = 100;

    /// <summary>1 in this many bids goes to a random auction; the others to the newest of each 100 (ratio 2: 50 % hot).</summary>
    public const int HotAuctionRatio = 2;

    /// <summary>Ratio 4: 75 % of bids come from hot bidders.</summary>
    public const int HotBiddersRatio = 4;

    /// <summary>Ratio 4: 75 % of auctions are from hot sellers.</summary>
    public const int HotSellersRatio = 4;

    /// <summary>Ratio 2: 50 % of bids are on the 4 hot channels.</summary>
    public const int HotChannelsRatio = 2;

    /// <summary>The block size that makes an auction, bidder or seller "hot" (the newest of each 100).</summary>
    public const int HotBlock = 100;
    public const int NumChannels = 10_000;
    public const int NumActivePeople = 1000;
    public const int NumInFlightAuctions = 100;
    public const int PersonIdLead = 10;
    public const int AuctionIdLead = 10;

    /// <summary>The seed: the same seed gives the same events.</summary>
    public long Seed { get; init; }

    /// <summary>Event time advances 1/rate seconds per event.</summary>
    public double EventsPerSecond { get; init; } = 10_000;

    /// <summary>The event time of event 0 (epoch ms).</summary>
    public long BaseTimeMs { get; init; } = 1_704_067_200_000; // 2024-01-01T00:00:00Z

    /// <summary>The event time of event <paramref name="eventNumber"/> (epoch ms).</summary>
    public long TimestampOf(long eventNumber) => BaseTimeMs + (long)(eventNumber * 1000.0 / EventsPerSecond);
}
