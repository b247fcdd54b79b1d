using System.Globalization;
using Rhei.Formats.Types;

namespace Rhei.Connect.Datagen.Quickstarts;

/// <summary>
/// The quickstart sets (<c>quickstart</c> of the datagen connector), shaped like the Confluent datagen quickstarts
/// that ksqlDB tutorials use: pageviews, users, orders, ratings, clickstream, clickstream_users, clickstream_codes,
/// stock_trades, inventory, product, purchases, transactions, credit_cards, stores. Generators are Rhei's own.
/// </summary>
public static class Quickstarts
{
    private const long RegisterTimeMin = 1487715775521L;
    private const long RegisterTimeMax = 1519273364600L;

    private static readonly string[] Genders = ["MALE", "FEMALE", "OTHER"];
    private static readonly string[] RatingChannels = ["iOS", "iOS-test", "android", "web", "ios"];
    private static readonly string[] RatingMessages =
    [
        "thank you for the most friendly, helpful experience today at your new lounge",
        "more peanuts please",
        "meh",
        "why is it so difficult to keep the bathrooms clean ?",
        "Surprisingly good, maybe you are getting your mojo back at long last!",
        "is this as good as it gets? really ?",
        "airport refurb looks great, will fly outta here more!",
        "your team here rocks!",
        "(expletive deleted)",
        "exceeded all my expectations. thank you !",
        "Exceeded all my expectations!",
        "worst. flight. ever. #neveragain",
    ];

    private static readonly string[] Ips =
    [
        "111.152.45.45", "111.203.236.146", "111.168.57.122", "111.249.79.93", "111.90.225.227", "111.173.165.103",
        "111.145.8.144", "111.245.174.248", "111.245.174.111", "222.152.45.45", "222.203.236.146", "222.168.57.122",
        "222.249.79.93", "222.90.225.227", "222.173.165.103", "222.145.8.144", "222.245.174.248", "222.245.174.222",
        "122.152.45.245", "122.203.236.246", "122.168.57.222", "122.249.79.233", "122.90.225.227", "122.173.165.203",
        "122.145.8.244", "122.245.174.248", "122.245.174.122", "233.152.245.45", "233.203.236.146", "233.168.257.122",
        "233.249.279.93", "233.90.225.227", "233.173.215.103", "233.145.28.144", "233.245.174.248", "233.245.174.233",
    ];

    private static readonly string[] Requests =
    [
        "GET /index.html HTTP/1.1", "GET /site/user_status.html HTTP/1.1", "GET /site/login.html HTTP/1.1",
        "GET /site/user_status.html HTTP/1.1", "GET /images/track.png HTTP/1.1", "GET /images/logo-small.png HTTP/1.1",
    ];

    private static readonly int[] Codes = [200, 302, 404, 405, 406, 407];
    private static readonly string[] CodeDefinitions = ["Successful", "Redirect", "Page not found", "Method not allowed", "Not acceptable", "Proxy authentication required"];
    private static readonly string[] Agents =
    [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_12_6) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/59.0.3071.115 Safari/537.36",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:54.0) Gecko/20100101 Firefox/54.0",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/60.0.3112.90 Safari/537.36",
    ];

    private static readonly string[] Usernames = ["Roan7", "ArlyneW8ter", "akatz1022", "bobk_43", "alison_99", "k_robertz_88", "Ferd88", "AndySims_345324", "Reeva43", "Oriana_70"];
    private static readonly string[] FirstNames = ["Abdel", "Ferd", "Oriana", "Antonio", "Bob", "Alison", "Greta", "Curran", "Heywood", "Reeva", "Ivor", "Dimitri", "Wallis"];
    private static readonly string[] LastNames = ["Adicot", "Vanderloo", "Pardie", "Cliff", "Fawthrop", "Jury", "Ledamun", "Dowgill", "Romney", "Hurran", "Rockhall", "Gibbons"];
    private static readonly string[] Cities = ["Palo Alto", "San Francisco", "Raleigh", "London", "Frankfurt", "New York", "Seattle", "Austin", "Berlin", "Paris"];
    private static readonly string[] Levels = ["Gold", "Silver", "Platinum"];
    private static readonly string[] Symbols = ["ZBZX", "ZJZZT", "ZTEST", "ZVV", "ZVZZT", "ZWZZT", "ZXZZT"];
    private static readonly string[] Accounts = ["ABC123", "LMN456", "XYZ789"];
    private static readonly string[] Products = ["Mountain bike", "Road bike", "Helmet", "Water bottle", "Bike lock", "Tire pump", "Cycling shoes", "Saddle", "Lights", "Jersey"];
    private static readonly string[] Adjectives = ["lightweight", "durable", "classic", "premium", "compact", "ergonomic"];
    private static readonly string[] ItemTypes = ["Jeans", "Shirt", "Skirt", "Sweater", "Jacket", "Hat", "Socks", "Dress", "Shorts", "Scarf"];
    private static readonly string[] States = ["CA", "NY", "TX", "WA", "OR", "NC", "IL", "MA", "FL", "CO"];
    private static readonly string[] Countries = ["US", "UK", "DE", "FR", "CA"];

    /// <summary>Every quickstart by name (case-insensitive).</summary>
    public static IReadOnlyDictionary<string, Quickstart> All { get; } = Build();

    public static Quickstart? Find(string name) => All.TryGetValue(name.Trim(), out var q) ? q : null;

    private static Dictionary<string, Quickstart> Build()
    {
        var list = new List<Quickstart>
        {
            new("pageviews", "viewtime",
            [
                new("viewtime", SqlTypes.BigInt, (_, i) => 1 + (i * 10)),
                new("userid", SqlTypes.String, (r, _) => "User_" + r.NextInRange(1, 9)),
                new("pageid", SqlTypes.String, (r, _) => "Page_" + r.NextInRange(1, 99)),
            ]),
            new("users", "userid",
            [
                new("registertime", SqlTypes.BigInt, (r, _) => r.NextInRange(RegisterTimeMin, RegisterTimeMax)),
                new("userid", SqlTypes.String, (r, _) => "User_" + r.NextInRange(1, 9)),
                new("regionid", SqlTypes.String, (r, _) => "Region_" + r.NextInRange(1, 9)),
                new("gender", SqlTypes.String, (r, _) => r.Pick(Genders)),
            ]),
            new("orders", "orderid",
            [
                new("ordertime", SqlTypes.BigInt, (r, _) => r.NextInRange(RegisterTimeMin, RegisterTimeMax)),
                new("orderid", SqlTypes.Integer, (_, i) => (int)(i % int.MaxValue)),
                new("itemid", SqlTypes.String, (r, _) => "Item_" + r.NextInRange(1, 999)),
                new("orderunits", SqlTypes.Double, (r, _) => Math.Round(0.1 + (r.NextDouble() * 9.9), 6)),
                new("address", SqlTypes.Struct(
                    new SqlField("city", SqlTypes.String), new SqlField("state", SqlTypes.String), new SqlField("zipcode", SqlTypes.BigInt)),
                    (r, _) => new SqlStruct(SqlTypes.Struct(
                        new SqlField("city", SqlTypes.String), new SqlField("state", SqlTypes.String), new SqlField("zipcode", SqlTypes.BigInt)),
                        ["City_" + r.NextInRange(1, 99), "State_" + r.NextInRange(1, 99), r.NextInRange(10000, 99999)])),
            ]),
            new("ratings", "rating_id",
            [
                new("rating_id", SqlTypes.BigInt, (_, i) => i + 1),
                new("user_id", SqlTypes.Integer, (r, _) => (int)r.NextInRange(1, 20)),
                new("stars", SqlTypes.Integer, (r, _) => (int)r.NextInRange(1, 5)),
                new("route_id", SqlTypes.Integer, (r, _) => (int)r.NextInRange(1, 9999)),
                new("rating_time", SqlTypes.BigInt, (_, i) => 1 + (i * 10)),
                new("channel", SqlTypes.String, (r, _) => r.Pick(RatingChannels)),
                new("message", SqlTypes.String, (r, _) => r.Pick(RatingMessages)),
            ]),
            new("clickstream", "ip",
            [
                new("ip", SqlTypes.String, (r, _) => r.Pick(Ips)),
                new("userid", SqlTypes.Integer, (r, _) => (int)r.NextInRange(1, 40)),
                new("remote_user", SqlTypes.String, (_, _) => "-"),
                new("time", SqlTypes.String, (_, i) => ClickTime(i).ToString("dd/MMM/yyyy:HH:mm:ss +0000", CultureInfo.InvariantCulture)),
                new("_time", SqlTypes.BigInt, (_, i) => new DateTimeOffset(ClickTime(i)).ToUnixTimeMilliseconds()),
                new("request", SqlTypes.String, (r, _) => r.Pick(Requests)),
                new("status", SqlTypes.String, (r, _) => r.Pick(Codes).ToString(CultureInfo.InvariantCulture)),
                new("bytes", SqlTypes.String, (r, _) => r.NextInRange(1, 4096).ToString(CultureInfo.InvariantCulture)),
                new("referrer", SqlTypes.String, (_, _) => "-"),
                new("agent", SqlTypes.String, (r, _) => r.Pick(Agents)),
            ]),
            new("clickstream_users", "user_id",
            [
                new("user_id", SqlTypes.Integer, (_, i) => (int)((i % 40) + 1)),
                new("username", SqlTypes.String, (r, _) => r.Pick(Usernames)),
                new("registered_at", SqlTypes.BigInt, (r, _) => r.NextInRange(RegisterTimeMin, RegisterTimeMax)),
                new("first_name", SqlTypes.String, (r, _) => r.Pick(FirstNames)),
                new("last_name", SqlTypes.String, (r, _) => r.Pick(LastNames)),
                new("city", SqlTypes.String, (r, _) => r.Pick(Cities)),
                new("level", SqlTypes.String, (r, _) => r.Pick(Levels)),
            ]),
            new("clickstream_codes", "code",
            [
                new("code", SqlTypes.Integer, (_, i) => Codes[i % Codes.Length]),
                new("definition", SqlTypes.String, (_, i) => CodeDefinitions[i % Codes.Length]),
            ]),
            new("stock_trades", "symbol",
            [
                new("side", SqlTypes.String, (r, _) => r.NextBool() ? "BUY" : "SELL"),
                new("quantity", SqlTypes.Integer, (r, _) => (int)r.NextInRange(1, 5000)),
                new("symbol", SqlTypes.String, (r, _) => r.Pick(Symbols)),
                new("price", SqlTypes.Integer, (r, _) => (int)r.NextInRange(5, 1000)),
                new("account", SqlTypes.String, (r, _) => r.Pick(Accounts)),
                new("userid", SqlTypes.String, (r, _) => "User_" + r.NextInRange(1, 9)),
            ]),
            new("inventory", "id",
            [
                new("id", SqlTypes.BigInt, (_, i) => i + 1),
                new("quantity", SqlTypes.BigInt, (r, _) => r.NextInRange(1, 500)),
                new("productid", SqlTypes.BigInt, (r, _) => r.NextInRange(1, 1000)),
            ]),
            new("product", "id",
            [
                new("id", SqlTypes.BigInt, (_, i) => i + 1),
                new("name", SqlTypes.String, (r, _) => r.Pick(Products)),
                new("description", SqlTypes.String, (r, _) => $"A {r.Pick(Adjectives)} {r.Pick(Products).ToLowerInvariant()}"),
                new("price", SqlTypes.Double, (r, _) => Math.Round(1 + (r.NextDouble() * 999), 2)),
            ]),
            new("purchases", "id",
            [
                new("id", SqlTypes.BigInt, (_, i) => i + 1),
                new("item_type", SqlTypes.String, (r, _) => r.Pick(ItemTypes)),
                new("quantity", SqlTypes.BigInt, (r, _) => r.NextInRange(1, 10)),
                new("price_per_unit", SqlTypes.Double, (r, _) => Math.Round(1 + (r.NextDouble() * 99), 2)),
            ]),
            new("transactions", "transaction_id",
            [
                new("transaction_id", SqlTypes.BigInt, (_, i) => i + 1),
                new("card_id", SqlTypes.BigInt, (r, _) => r.NextInRange(1, 500)),
                new("user_id", SqlTypes.String, (r, _) => "User_" + r.NextInRange(1, 99)),
                new("purchase_id", SqlTypes.BigInt, (r, _) => r.NextInRange(1, 100000)),
                new("store_id", SqlTypes.Integer, (r, _) => (int)r.NextInRange(1, 20)),
            ]),
            new("credit_cards", "card_id",
            [
                new("card_id", SqlTypes.BigInt, (_, i) => i + 1),
                new("card_number", SqlTypes.String, (r, _) => $"{r.NextInRange(1000, 9999)}-{r.NextInRange(1000, 9999)}-{r.NextInRange(1000, 9999)}-{r.NextInRange(1000, 9999)}"),
                new("cvv", SqlTypes.String, (r, _) => r.NextInRange(100, 999).ToString(CultureInfo.InvariantCulture)),
                new("expiration_date", SqlTypes.String, (r, _) => $"{r.NextInRange(1, 12):00}/{r.NextInRange(25, 32)}"),
            ]),
            new("stores", "store_id",
            [
                new("store_id", SqlTypes.Integer, (_, i) => (int)((i % 20) + 1)),
                new("city", SqlTypes.String, (r, _) => r.Pick(Cities)),
                new("state_province", SqlTypes.String, (r, _) => r.Pick(States)),
                new("country", SqlTypes.String, (r, _) => r.Pick(Countries)),
            ]),
        };
        return list.ToDictionary(q => q.Name, StringComparer.OrdinalIgnoreCase);
    }

    private static DateTime ClickTime(long iteration) => new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(iteration);
}
