using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Rhei.Connect.Datagen;
using Rhei.Connect.Datagen.Quickstarts;
using Rhei.Connect.Tests.Support;
using Rhei.Formats.Types;

namespace Rhei.Connect.Tests.Datagen;

public sealed class QuickstartTests
{
    public static TheoryData<string> Names => [.. Quickstarts.All.Keys.Order()];

    [Fact]
    public void The_sets_users_expect_are_there()
    {
        string[] expected = ["pageviews", "users", "orders", "ratings", "clickstream", "clickstream_users", "clickstream_codes", "stock_trades", "inventory", "product", "purchases", "transactions"];
        Assert.All(expected, name => Assert.NotNull(Quickstarts.Find(name)));
        Assert.True(Quickstarts.All.Count >= 12);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Each_quickstart_writes_json_values_with_its_fields_and_keys_from_its_key_field(string name)
    {
        var quickstart = Quickstarts.Find(name)!;
        await using var cluster = await Cluster.StartAsync();
        await cluster.Runtime.CreateAsync("gen", new Dictionary<string, string>
        {
            ["connector.class"] = "DatagenSource",
            ["quickstart"] = name,
            ["kafka.topic"] = name,
            ["max.interval"] = "0",
            ["iterations"] = "25",
            ["random.seed"] = "3",
        });
        var records = await cluster.ReadAsync(name, 25);
        Assert.Equal(25, records.Count);
        foreach (var record in records)
        {
            var value = record.Json;
            Assert.Equal(quickstart.Fields.Select(f => f.Name), value.EnumerateObject().Select(p => p.Name));
            var key = value.GetProperty(quickstart.KeyField);
            Assert.NotNull(record.Key);
            switch (quickstart.KeyType.BaseType)
            {
                case SqlBaseType.Integer:
                    Assert.Equal(key.GetInt32(), BinaryPrimitives.ReadInt32BigEndian(record.Key));
                    break;
                case SqlBaseType.BigInt:
                    Assert.Equal(key.GetInt64(), BinaryPrimitives.ReadInt64BigEndian(record.Key));
                    break;
                default:
                    Assert.Equal(key.GetString(), Encoding.UTF8.GetString(record.Key));
                    break;
            }

            foreach (var field in quickstart.Fields)
            {
                var v = value.GetProperty(field.Name);
                var kind = field.Type.BaseType switch
                {
                    SqlBaseType.String => JsonValueKind.String,
                    SqlBaseType.Struct => JsonValueKind.Object,
                    _ => JsonValueKind.Number,
                };
                Assert.Equal(kind, v.ValueKind);
            }
        }
    }

    [Fact]
    public void The_same_seed_gives_the_same_records()
    {
        var q = Quickstarts.Find("orders")!;
        var a = Enumerable.Range(0, 50).Select(i => q.Next(new FastRandom(5 + i), i).ToString()).ToList();
        var b = Enumerable.Range(0, 50).Select(i => q.Next(new FastRandom(5 + i), i).ToString()).ToList();
        var c = Enumerable.Range(0, 50).Select(i => q.Next(new FastRandom(6 + i), i).ToString()).ToList();
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public async Task Keys_can_come_from_another_field_and_values_in_another_format()
    {
        await using var cluster = await Cluster.StartAsync();
        await cluster.Runtime.CreateAsync("gen", new Dictionary<string, string>
        {
            ["connector.class"] = "DatagenSource",
            ["quickstart"] = "users",
            ["kafka.topic"] = "users",
            ["max.interval"] = "0",
            ["iterations"] = "5",
            ["schema.keyfield"] = "regionid",
            ["value.format"] = "DELIMITED",
            ["key.converter"] = "org.apache.kafka.connect.storage.StringConverter",
        });
        var records = await cluster.ReadAsync("users", 5);
        Assert.All(records, r =>
        {
            var parts = r.ValueText!.Split(',');
            Assert.Equal(4, parts.Length);
            Assert.Equal(parts[2], r.KeyText);
            Assert.StartsWith("Region_", r.KeyText, StringComparison.Ordinal);
        });
    }
}
