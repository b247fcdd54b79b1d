using System.Text;
using System.Text.Json;
using Rhei.Connect.Converters;
using Rhei.Connect.Datagen.Nexmark;
using Rhei.Connect.Runtime;
using Rhei.Connect.Tests.Support;

namespace Rhei.Connect.Tests.Datagen;

public sealed class NexmarkTests
{
    private const int Events = 100_000;

    private static List<NexmarkEvent> Generate(long seed, int count, double rate = 10_000)
    {
        var generator = new NexmarkGenerator(new NexmarkConfig { Seed = seed, EventsPerSecond = rate });
        var list = new List<NexmarkEvent>(count);
        var e = default(NexmarkEvent);
        for (var i = 0; i < count; i++)
        {
            generator.Next(ref e);
            list.Add(e);
        }

        return list;
    }

    [Fact]
    public void Every_block_of_50_has_1_person_3_auctions_and_46_bids_with_consecutive_ids_from_1000()
    {
        var events = Generate(1, Events);
        foreach (var block in events.Chunk(50))
        {
            Assert.Equal(1, block.Count(e => e.Type == NexmarkEventType.Person));
            Assert.Equal(3, block.Count(e => e.Type == NexmarkEventType.Auction));
            Assert.Equal(46, block.Count(e => e.Type == NexmarkEventType.Bid));
        }

        Assert.Equal(Enumerable.Range(1000, Events / 50).Select(i => (long)i), events.Where(e => e.Type == NexmarkEventType.Person).Select(e => e.Id));
        Assert.Equal(Enumerable.Range(1000, Events / 50 * 3).Select(i => (long)i), events.Where(e => e.Type == NexmarkEventType.Auction).Select(e => e.Id));
    }

    [Fact]
    public void Values_follow_the_model()
    {
        var events = Generate(2, Events);
        var auctions = events.Where(e => e.Type == NexmarkEventType.Auction).ToList();
        var bids = events.Where(e => e.Type == NexmarkEventType.Bid).ToList();
        var persons = events.Where(e => e.Type == NexmarkEventType.Person).ToList();

        Assert.Equal([10, 11, 12, 13, 14], auctions.Select(a => a.Category).Distinct().Order());
        Assert.All(bids, b => Assert.InRange(b.Price, 100, 100_000_000));
        Assert.All(auctions, a => Assert.True(a.Reserve > a.InitialBid && a.Expires > a.DateTime));
        Assert.Equal(["AZ", "CA", "ID", "OR", "WA", "WY"], persons.Select(p => NexmarkText.StateNames[p.State]).Distinct().Order());

        // Log-uniform prices between 10^2 and 10^8: half are under 10^5.
        Assert.InRange(bids.Count(b => b.Price < 100_000) / (double)bids.Count, 0.48, 0.52);

        // 4 hot channels take half the bids; the rest spread over 10,000 channels.
        Assert.InRange(bids.Count(b => b.HotChannel) / (double)bids.Count, 0.48, 0.52);
        Assert.Equal(4, bids.Where(b => b.HotChannel).Select(b => b.Channel).Distinct().Count());
        Assert.True(bids.Where(b => !b.HotChannel).Select(b => b.Channel).Distinct().Count() > 9000);

        // Hot auctions (the newest of each 100) get half the bids; hot bidders 75 %; hot sellers 75 %.
        var hotAuction = bids.Count(b => b.Auction == (NexmarkGenerator.LastBase0AuctionId(b.EventNumber) / 100 * 100) + 1000);
        Assert.InRange(hotAuction / (double)bids.Count, 0.49, 0.53);
        var hotBidder = bids.Count(b => b.Bidder == (NexmarkGenerator.LastBase0PersonId(b.EventNumber) / 100 * 100) + 1001);
        Assert.InRange(hotBidder / (double)bids.Count, 0.74, 0.77);
        var hotSeller = auctions.Count(a => a.Seller == (NexmarkGenerator.LastBase0PersonId(a.EventNumber) / 100 * 100) + 1000);
        Assert.InRange(hotSeller / (double)auctions.Count, 0.73, 0.78);

        // Padding brings the modelled sizes to their averages (bid 100 B: 32 B of numbers + ~68 B extra; auction 500 B).
        Assert.InRange(bids.Average(b => b.ExtraLength), 66.5, 68.5);
        Assert.InRange(auctions.Average(a => a.ExtraLength), 329, 334);
        Assert.InRange(persons.Average(p => p.ExtraLength + 8 + 17 + 19 + 2 + 12), 190, 210);
    }

    [Fact]
    public void Event_time_advances_by_one_over_the_rate()
    {
        var events = Generate(3, 1000, rate: 1000);
        var config = new NexmarkConfig { Seed = 3, EventsPerSecond = 1000 };
        Assert.Equal(config.BaseTimeMs, events[0].DateTime);
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => config.BaseTimeMs + i), events.Select(e => e.DateTime));
    }

    [Fact]
    public void The_same_seed_gives_the_same_events_and_any_event_can_be_generated_alone()
    {
        var a = Generate(42, 5000);
        var b = Generate(42, 5000);
        var c = Generate(43, 5000);
        Assert.Equal(a.Select(Json), b.Select(Json));
        Assert.NotEqual(a.Select(Json), c.Select(Json));

        var generator = new NexmarkGenerator(new NexmarkConfig { Seed = 42 });
        var e = default(NexmarkEvent);
        generator.Generate(4321, ref e);
        Assert.Equal(Json(a[4321]), Json(e));
        var resumed = new NexmarkGenerator(new NexmarkConfig { Seed = 42 }, firstEvent: 4000);
        resumed.Next(ref e);
        Assert.Equal(Json(a[4000]), Json(e));
    }

    [Fact]
    public void Json_has_the_benchmark_field_names_and_matches_the_typed_records()
    {
        var converter = new JsonConverter(schemasEnabled: false, DecimalFormat.Numeric);
        foreach (var e in Generate(5, 500))
        {
            var json = Json(e);
            var typed = NexmarkRecords.ToStruct(e);
            Assert.Equal(json, Encoding.UTF8.GetString(converter.FromConnectData("t", typed.Type, typed)!));
            var root = JsonDocument.Parse(json).RootElement;
            string[] expected = e.Type switch
            {
                NexmarkEventType.Person => ["id", "name", "email_address", "credit_card", "city", "state", "date_time", "extra"],
                NexmarkEventType.Auction => ["id", "item_name", "description", "initial_bid", "reserve", "date_time", "expires", "seller", "category", "extra"],
                _ => ["auction", "bidder", "price", "channel", "url", "date_time", "extra"],
            };
            Assert.Equal(expected, root.EnumerateObject().Select(p => p.Name));
            Assert.Equal(e.DateTime, root.GetProperty("date_time").GetInt64());
        }
    }

    [Fact]
    public void Fill_lays_out_batches_per_topic()
    {
        var generator = new NexmarkGenerator(new NexmarkConfig { Seed = 9 });
        var batch = new NexmarkBatch();
        generator.Fill(batch, 10_000);
        Assert.Equal((200, 600, 9200), (batch.Persons.Count, batch.Auctions.Count, batch.Bids.Count));
        var expected = Generate(9, 10_000);
        Assert.Equal(expected.Where(e => e.Type == NexmarkEventType.Auction).Select(Json), Enumerable.Range(0, 600).Select(i => Encoding.UTF8.GetString(batch.Auctions.Value(i).Span)));
        Assert.Equal(expected.Where(e => e.Type == NexmarkEventType.Person).Select(e => e.Id), batch.Persons.Keys.ToArray());
        Assert.Equal(expected.Where(e => e.Type == NexmarkEventType.Bid).Select(e => e.DateTime), batch.Bids.Timestamps.ToArray());
        Assert.Equal(10_000, generator.NextEventNumber);
        batch.Clear();
        generator.Fill(batch, 50);
        Assert.Equal(50, batch.Count);
    }

    [Fact]
    public async Task The_connector_writes_person_auction_and_bid_topics_with_keys_and_event_times()
    {
        await using var cluster = await Cluster.StartAsync();
        await cluster.Runtime.CreateAsync("nexmark", new Dictionary<string, string>
        {
            ["connector.class"] = "DatagenSource",
            ["quickstart"] = "nexmark",
            ["iterations"] = "500",
            ["random.seed"] = "11",
            ["nexmark.base.time.ms"] = "1700000000000",
            ["nexmark.rate"] = "1000",
        });
        var persons = await cluster.ReadAsync("person", 10);
        var auctions = await cluster.ReadAsync("auction", 30);
        var bids = await cluster.ReadAsync("bid", 460);
        Assert.Equal((10, 30, 460), (persons.Count, auctions.Count, bids.Count));

        var expected = new List<NexmarkEvent>();
        var generator = new NexmarkGenerator(new NexmarkConfig { Seed = 11, BaseTimeMs = 1700000000000, EventsPerSecond = 1000 });
        for (var i = 0; i < 500; i++)
        {
            var e = default(NexmarkEvent);
            generator.Next(ref e);
            expected.Add(e);
        }

        Assert.Equal(expected.Where(e => e.Type == NexmarkEventType.Bid).Select(Json), bids.Select(b => b.ValueText));
        Assert.All(bids, b => Assert.Null(b.Key));
        Assert.Equal(expected.Where(e => e.Type == NexmarkEventType.Person).Select(e => e.Id),
            persons.Select(p => System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(p.Key)));
        Assert.Equal(expected.Where(e => e.Type == NexmarkEventType.Auction).Select(e => e.DateTime), auctions.Select(a => a.Timestamp));
        var status = cluster.Runtime.Describe("nexmark");
        Assert.Equal(["auction", "bid", "person"], status.Topics);
        Assert.Equal(500, status.Tasks[0].Records);
    }

    private static string Json(NexmarkEvent e)
    {
        var buffer = new byte[NexmarkJsonWriter.MaxEventBytes];
        var n = NexmarkJsonWriter.Write(e, buffer);
        return Encoding.UTF8.GetString(buffer, 0, n);
    }
}
