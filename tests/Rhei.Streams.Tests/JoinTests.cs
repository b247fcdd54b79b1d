using static Rhei.Streams.Tests.TestSupport;

namespace Rhei.Streams.Tests;

public class JoinTests
{
    private static Testing.TopologyTestDriver StreamStream(string kind, JoinWindows windows)
    {
        var b = new StreamsBuilder();
        var l = b.Stream("left", StringConsumed);
        var r = b.Stream("right", StringConsumed);
        Func<string, string, string, string> joiner = (_, lv, rv) => $"{lv ?? "null"}+{rv ?? "null"}";
        var joined = new StreamJoined<string, string, string>("J") { KeySerde = Serdes.String, ValueSerde = Serdes.String, OtherValueSerde = Serdes.String };
        var result = kind switch
        {
            "inner" => l.Join(r, joiner, windows, joined),
            "left" => l.LeftJoin(r, joiner, windows, joined),
            _ => l.OuterJoin(r, joiner, windows, joined),
        };
        result.To("out", StringProduced);
        return Driver(b);
    }

    [Fact]
    public void Stream_stream_inner_join_matches_within_window_with_max_timestamp()
    {
        using var d = StreamStream("inner", JoinWindows.OfTimeDifferenceAndGrace(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(100)));
        var left = d.CreateInputTopic("left", Serdes.String, Serdes.String);
        var right = d.CreateInputTopic("right", Serdes.String, Serdes.String);
        left.PipeInput("k", "A", 100);
        right.PipeInput("k", "a", 105);
        right.PipeInput("k", "b", 111);
        left.PipeInput("k", "B", 112);
        right.PipeInput("x", "z", 112);
        Assert.Equal(["k:A+a@105", "k:B+a@112", "k:B+b@112"], Show(d.CreateOutputTopic("out", Serdes.String, Serdes.String).ReadRecordsToList()));
        Assert.Equal(2, d.Topics.ReadAll("app-J-this-join-store-changelog").Count);
    }

    [Fact]
    public void Stream_stream_left_join_emits_unmatched_left_only_when_window_closes()
    {
        using var d = StreamStream("left", JoinWindows.OfTimeDifferenceAndGrace(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(5)));
        var left = d.CreateInputTopic("left", Serdes.String, Serdes.String);
        var right = d.CreateInputTopic("right", Serdes.String, Serdes.String);
        var output = d.CreateOutputTopic("out", Serdes.String, Serdes.String);
        left.PipeInput("k", "A", 100);
        left.PipeInput("m", "M", 101);
        right.PipeInput("m", "m", 104);
        Assert.Equal(["m:M+m@104"], Show(output.ReadRecordsToList()));
        left.PipeInput("x", "X", 115);   // 100 + 10 + 5 = 115: not yet closed
        Assert.Equal([], Show(output.ReadRecordsToList()));
        right.PipeInput("y", "y", 116);  // stream time 116 > 115: A is emitted with a null right
        Assert.Equal(["k:A+null@100"], Show(output.ReadRecordsToList()));
        right.PipeInput("k", "late", 101); // still within A's window in the store: joins (as Kafka Streams does)
        Assert.Equal(["k:A+late@101"], Show(output.ReadRecordsToList()));
        right.PipeInput("q", "q", 140);    // X (115) closes at 130: emitted; right records never appear alone in a left join
        Assert.Equal(["x:X+null@115"], Show(output.ReadRecordsToList()));
    }

    [Fact]
    public void Stream_stream_outer_join_with_out_of_order_records_as_ksqldb_qtt()
    {
        // the "stream stream full outer join with out of order and custom grace period" case
        using var d = StreamStream("outer", JoinWindows.OfTimeDifferenceAndGrace(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1)));
        var left = d.CreateInputTopic("left", Serdes.String, Serdes.String);
        var right = d.CreateInputTopic("right", Serdes.String, Serdes.String);
        left.PipeInput("0", "A", 0);
        right.PipeInput("0", "a", 60_000);
        right.PipeInput("1", "b", 330_000);
        right.PipeInput("2", "c", 90_000);
        left.PipeInput("2", "C", 90_000);
        right.PipeInput("3", "d", 60_000);
        left.PipeInput("3", "D", 60_000);
        Assert.Equal(
            ["0:A+a@60000", "2:null+c@90000", "2:C+null@90000", "3:null+d@60000", "3:D+null@60000"],
            Show(d.CreateOutputTopic("out", Serdes.String, Serdes.String).ReadRecordsToList()));
    }

    [Fact]
    public void Stream_table_join_uses_table_value_at_stream_record_time()
    {
        var b = new StreamsBuilder();
        var table = b.Table("t", StringConsumed, new Materialized<string, string>("ts"));
        var stream = b.Stream("s", StringConsumed);
        stream.Join(table, (k, sv, tv) => sv + "/" + tv).To("inner", StringProduced);
        stream.LeftJoin(table, (k, sv, tv) => sv + "/" + (tv ?? "null")).To("left", StringProduced);
        using var d = Driver(b);
        var s = d.CreateInputTopic("s", Serdes.String, Serdes.String);
        var t = d.CreateInputTopic("t", Serdes.String, Serdes.String);
        s.PipeInput("k", "s1", 1);
        t.PipeInput("k", "t1", 2);
        s.PipeInput("k", "s2", 3);
        t.PipeInput("k", "t2", 4);
        s.PipeInput("k", "s3", 5);
        t.PipeInput("k", null!, 6);
        s.PipeInput("k", "s4", 7);
        Assert.Equal(["k:s2/t1@3", "k:s3/t2@5"], Show(d.CreateOutputTopic("inner", Serdes.String, Serdes.String).ReadRecordsToList()));
        Assert.Equal(["k:s1/null@1", "k:s2/t1@3", "k:s3/t2@5", "k:s4/null@7"], Show(d.CreateOutputTopic("left", Serdes.String, Serdes.String).ReadRecordsToList()));
    }

    [Theory]
    [InlineData("inner", "k:L1+R1@2|k:L2+R1@3|k:null@4|k:L2+R2@5|k:L3+R2@6|k:null@7")]
    [InlineData("left", "k:L1+null@1|k:L1+R1@2|k:L2+R1@3|k:L2+null@4|k:L2+R2@5|k:L3+R2@6|k:null@7")]
    [InlineData("outer", "k:L1+null@1|k:L1+R1@2|k:L2+R1@3|k:L2+null@4|k:L2+R2@5|k:L3+R2@6|k:null+R2@7|k:null@8")]
    public void Table_table_joins_emit_updates_and_tombstones(string kind, string expected)
    {
        var b = new StreamsBuilder();
        var l = b.Table("l", StringConsumed, new Materialized<string, string>("ls"));
        var r = b.Table("r", StringConsumed, new Materialized<string, string>("rs"));
        Func<string, string, string, string> j = (_, lv, rv) => $"{lv ?? "null"}+{rv ?? "null"}";
        var joined = kind switch
        {
            "inner" => l.Join(r, j),
            "left" => l.LeftJoin(r, j),
            _ => l.OuterJoin(r, j),
        };
        joined.ToStream().To("out", StringProduced);
        using var d = Driver(b);
        var lt = d.CreateInputTopic("l", Serdes.String, Serdes.String);
        var rt = d.CreateInputTopic("r", Serdes.String, Serdes.String);
        lt.PipeInput("k", "L1", 1);
        rt.PipeInput("k", "R1", 2);
        lt.PipeInput("k", "L2", 3);
        rt.PipeInput("k", null!, 4);
        rt.PipeInput("k", "R2", 5);
        lt.PipeInput("k", "L3", 6);
        lt.PipeInput("k", null!, 7);
        rt.PipeInput("k", null!, 8);
        Assert.Equal(expected.Split('|'), Show(d.CreateOutputTopic("out", Serdes.String, Serdes.String).ReadRecordsToList()));
    }

    [Fact]
    public void Foreign_key_join_follows_foreign_key_changes_and_right_updates()
    {
        var b = new StreamsBuilder();
        var orders = b.Table("orders", StringConsumed, new Materialized<string, string>("orders-store"));
        var customers = b.Table("customers", StringConsumed, new Materialized<string, string>("customers-store"));
        orders.Join(customers, order => order.Split(':')[0], (k, o, c) => $"{o}|{c}", new TableJoined("fk"))
            .ToStream().To("out", StringProduced);
        orders.LeftJoin(customers, order => order.Split(':')[0], (k, o, c) => $"{o}|{c ?? "null"}", new TableJoined("fkl"))
            .ToStream().To("left", StringProduced);
        using var d = Driver(b);
        var o = d.CreateInputTopic("orders", Serdes.String, Serdes.String);
        var c = d.CreateInputTopic("customers", Serdes.String, Serdes.String);
        var output = d.CreateOutputTopic("out", Serdes.String, Serdes.String);
        var left = d.CreateOutputTopic("left", Serdes.String, Serdes.String);
        c.PipeInput("c1", "alice", 1);
        o.PipeInput("o1", "c1:book", 2);
        o.PipeInput("o2", "c9:pen", 3);          // no customer c9: inner emits nothing
        Assert.Equal(["o1:c1:book|alice@2"], Show(output.ReadRecordsToList()));
        Assert.Equal(["o1:c1:book|alice@2", "o2:c9:pen|null@3"], Show(left.ReadRecordsToList()));

        c.PipeInput("c1", "alice2", 4);          // right update reaches its subscribers
        Assert.Equal(["o1:c1:book|alice2@4"], Show(output.ReadRecordsToList()));
        o.PipeInput("o1", "c9:book", 5);         // foreign key moves to a missing customer: delete
        Assert.Equal(["o1:null@5"], Show(output.ReadRecordsToList()));
        c.PipeInput("c9", "bob", 6);             // now both orders of c9 join
        Assert.Equal(["o1:c9:book|bob@6", "o2:c9:pen|bob@6"], Show(output.ReadRecordsToList()));
        c.PipeInput("c1", "alice3", 7);          // o1 no longer subscribes to c1
        o.PipeInput("o2", null!, 8);
        Assert.Equal(["o2:null@8"], Show(output.ReadRecordsToList()));
        Assert.Contains(d.Topics.Names, n => n == "app-fk-subscription-registration-topic");
        Assert.Contains(d.Topics.Names, n => n == "app-fk-subscription-response-topic");
    }
}
