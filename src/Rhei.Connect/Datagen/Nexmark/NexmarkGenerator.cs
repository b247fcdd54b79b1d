namespace Rhei.Connect.Datagen.Nexmark;

/// <summary>
/// Generates Nexmark events in order. Each event's randomness is seeded from the run's seed and the event's number, so
/// a generator can start at any event (a connector resuming from its offset) and the same seed always gives the same
/// events. No allocation per event.
/// </summary>
public sealed class NexmarkGenerator
{
    private readonly NexmarkConfig _config;

    public NexmarkGenerator(NexmarkConfig config, long firstEvent = 0)
    {
        _config = config;
        NextEventNumber = firstEvent;
    }

    public NexmarkConfig Config => _config;

    /// <summary>The number of the event <see cref="Next"/> returns next.</summary>
    public long NextEventNumber { get; private set; }

    /// <summary>Fills <paramref name="e"/> with the next event.</summary>
    public void Next(ref NexmarkEvent e)
    {
        Generate(NextEventNumber++, ref e);
    }

    /// <summary>Event <paramref name="n"/> of the sequence (random access).</summary>
    public void Generate(long n, ref NexmarkEvent e)
    {
        var random = SplitMix.ForEvent(_config.Seed, n);
        e.EventNumber = n;
        e.DateTime = _config.TimestampOf(n);
        e.TextSeed = random.NextUInt64();
        var offset = n % NexmarkConfig.TotalProportion;
        if (offset < NexmarkConfig.PersonProportion)
        {
            e.Type = NexmarkEventType.Person;
            e.Id = LastBase0PersonId(n) + NexmarkConfig.FirstPersonId;
            e.FirstName = random.Next(NexmarkText.FirstNames.Length);
            e.LastName = random.Next(NexmarkText.LastNames.Length);
            e.City = random.Next(NexmarkText.Cities.Length);
            e.State = random.Next(NexmarkText.States.Length);
            var size = 8 + NexmarkText.FirstNameLength(e.FirstName) + 1 + NexmarkText.LastNameLength(e.LastName)
                + NexmarkText.EmailLength + NexmarkText.CreditCardLength + NexmarkText.CityLength(e.City) + 2;
            e.ExtraLength = ExtraLength(ref random, size, NexmarkConfig.AvgPersonByteSize);
        }
        else if (offset < NexmarkConfig.PersonProportion + NexmarkConfig.AuctionProportion)
        {
            e.Type = NexmarkEventType.Auction;
            e.Id = LastBase0AuctionId(n) + NexmarkConfig.FirstAuctionId;
            var seller = random.Next(NexmarkConfig.HotSellersRatio) > 0
                ? LastBase0PersonId(n) / NexmarkConfig.HotBlock * NexmarkConfig.HotBlock
                : NextBase0PersonId(ref random, n);
            e.Seller = seller + NexmarkConfig.FirstPersonId;
            e.Category = NexmarkConfig.FirstCategoryId + random.Next(NexmarkConfig.NumCategories);
            e.InitialBid = NextPrice(ref random);
            e.Reserve = e.InitialBid + NextPrice(ref random);
            e.Expires = e.DateTime + NextAuctionLengthMs(ref random, n, e.DateTime);
            var size = 8 + NexmarkText.ItemNameLength + NexmarkText.DescriptionLength + (8 * 5);
            e.ExtraLength = ExtraLength(ref random, size, NexmarkConfig.AvgAuctionByteSize);
        }
        else
        {
            e.Type = NexmarkEventType.Bid;
            var auction = random.Next(NexmarkConfig.HotAuctionRatio) > 0
                ? LastBase0AuctionId(n) / NexmarkConfig.HotBlock * NexmarkConfig.HotBlock
                : NextBase0AuctionId(ref random, n);
            e.Auction = auction + NexmarkConfig.FirstAuctionId;
            var bidder = random.Next(NexmarkConfig.HotBiddersRatio) > 0
                ? (LastBase0PersonId(n) / NexmarkConfig.HotBlock * NexmarkConfig.HotBlock) + 1
                : NextBase0PersonId(ref random, n);
            e.Bidder = bidder + NexmarkConfig.FirstPersonId;
            e.Price = NextPrice(ref random);
            e.HotChannel = random.Next(NexmarkConfig.HotChannelsRatio) > 0;
            e.Channel = e.HotChannel ? random.Next(NexmarkText.HotChannels.Length) : random.Next(NexmarkConfig.NumChannels);
            e.ExtraLength = ExtraLength(ref random, 8 * 4, NexmarkConfig.AvgBidByteSize);
        }
    }

    /// <summary>
    /// Generates the next <paramref name="events"/> events as JSON records appended to <paramref name="batch"/> (split
    /// by topic): the fast path for benchmarks, with no allocation per event once the batch's buffers have grown.
    /// </summary>
    public void Fill(NexmarkBatch batch, int events)
    {
        var e = default(NexmarkEvent);
        for (var i = 0; i < events; i++)
        {
            Generate(NextEventNumber++, ref e);
            batch.For(e.Type).Add(e);
        }
    }

    /// <summary>The newest person id (0-based) at event <paramref name="n"/>.</summary>
    public static long LastBase0PersonId(long n)
    {
        var epoch = n / NexmarkConfig.TotalProportion;
        var offset = n % NexmarkConfig.TotalProportion;
        if (offset >= NexmarkConfig.PersonProportion)
        {
            offset = NexmarkConfig.PersonProportion - 1;
        }

        return (epoch * NexmarkConfig.PersonProportion) + offset;
    }

    /// <summary>The newest auction id (0-based) at event <paramref name="n"/>.</summary>
    public static long LastBase0AuctionId(long n)
    {
        var epoch = n / NexmarkConfig.TotalProportion;
        var offset = n % NexmarkConfig.TotalProportion;
        if (offset < NexmarkConfig.PersonProportion)
        {
            epoch--;
            offset = NexmarkConfig.AuctionProportion - 1;
        }
        else if (offset >= NexmarkConfig.PersonProportion + NexmarkConfig.AuctionProportion)
        {
            offset = NexmarkConfig.AuctionProportion - 1;
        }
        else
        {
            offset -= NexmarkConfig.PersonProportion;
        }

        return (epoch * NexmarkConfig.AuctionProportion) + offset;
    }

    private static long NextBase0PersonId(ref SplitMix random, long n)
    {
        var numPeople = LastBase0PersonId(n) + 1;
        var active = Math.Min(numPeople, NexmarkConfig.NumActivePeople);
        return numPeople - active + random.Next(active + NexmarkConfig.PersonIdLead);
    }

    private static long NextBase0AuctionId(ref SplitMix random, long n)
    {
        var max = Math.Max(LastBase0AuctionId(n), 0);
        var min = Math.Max(max - NexmarkConfig.NumInFlightAuctions, 0);
        return min + random.Next(max - min + 1 + NexmarkConfig.AuctionIdLead);
    }

    /// <summary>Log-uniform between 100 and 10^8 cents.</summary>
    private static long NextPrice(ref SplitMix random) => (long)Math.Round(Math.Pow(10.0, random.NextDouble() * 6.0) * 100.0);

    private long NextAuctionLengthMs(ref SplitMix random, long n, long timestamp)
    {
        const long eventsForAuctions = NexmarkConfig.NumInFlightAuctions * NexmarkConfig.TotalProportion / NexmarkConfig.AuctionProportion;
        var horizon = _config.TimestampOf(n + eventsForAuctions) - timestamp;
        return 1 + random.Next(Math.Max(horizon * 2, 1));
    }

    /// <summary>The padding that brings an event to the average size ±20 %.</summary>
    private static int ExtraLength(ref SplitMix random, int currentSize, int desiredAverageSize)
    {
        if (currentSize > desiredAverageSize)
        {
            return 0;
        }

        var desired = desiredAverageSize - currentSize;
        var delta = (int)Math.Round(desired * 0.2);
        var min = desired - delta;
        return delta == 0 ? min : min + random.Next(2 * delta);
    }
}
