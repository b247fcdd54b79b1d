using System.Text;
using Rhei.Formats.Types;

namespace Rhei.Connect.Datagen.Nexmark;

/// <summary>
/// Nexmark events as typed rows (for the datagen connector, whose converters then write JSON, AVRO, ...). The
/// strings are the same as <see cref="NexmarkJsonWriter"/>'s. Times are BIGINT epoch milliseconds, so the JSON is the
/// same bytes as the fast writer's.
/// </summary>
public static class NexmarkRecords
{
    public static SqlStructType PersonType { get; } = SqlTypes.Struct(
        new SqlField("id", SqlTypes.BigInt), new SqlField("name", SqlTypes.String), new SqlField("email_address", SqlTypes.String),
        new SqlField("credit_card", SqlTypes.String), new SqlField("city", SqlTypes.String), new SqlField("state", SqlTypes.String),
        new SqlField("date_time", SqlTypes.BigInt), new SqlField("extra", SqlTypes.String));

    public static SqlStructType AuctionType { get; } = SqlTypes.Struct(
        new SqlField("id", SqlTypes.BigInt), new SqlField("item_name", SqlTypes.String), new SqlField("description", SqlTypes.String),
        new SqlField("initial_bid", SqlTypes.BigInt), new SqlField("reserve", SqlTypes.BigInt), new SqlField("date_time", SqlTypes.BigInt),
        new SqlField("expires", SqlTypes.BigInt), new SqlField("seller", SqlTypes.BigInt), new SqlField("category", SqlTypes.Integer),
        new SqlField("extra", SqlTypes.String));

    public static SqlStructType BidType { get; } = SqlTypes.Struct(
        new SqlField("auction", SqlTypes.BigInt), new SqlField("bidder", SqlTypes.BigInt), new SqlField("price", SqlTypes.BigInt),
        new SqlField("channel", SqlTypes.String), new SqlField("url", SqlTypes.String), new SqlField("date_time", SqlTypes.BigInt),
        new SqlField("extra", SqlTypes.String));

    public static SqlStructType TypeOf(NexmarkEventType type) => type switch
    {
        NexmarkEventType.Person => PersonType,
        NexmarkEventType.Auction => AuctionType,
        _ => BidType,
    };

    /// <summary>The event as a row of its type.</summary>
    public static SqlStruct ToStruct(in NexmarkEvent e)
    {
        var text = new SplitMix(e.TextSeed);
        object?[] values;
        switch (e.Type)
        {
            case NexmarkEventType.Person:
                var email = new byte[NexmarkText.EmailLength];
                NexmarkText.FillEmail(ref text, email);
                var card = new byte[NexmarkText.CreditCardLength];
                NexmarkText.FillCreditCard(ref text, card);
                values =
                [
                    e.Id,
                    Encoding.ASCII.GetString(NexmarkText.FirstNames[e.FirstName]) + " " + Encoding.ASCII.GetString(NexmarkText.LastNames[e.LastName]),
                    Encoding.ASCII.GetString(email),
                    Encoding.ASCII.GetString(card),
                    Encoding.ASCII.GetString(NexmarkText.Cities[e.City]),
                    Encoding.ASCII.GetString(NexmarkText.States[e.State]),
                    e.DateTime,
                    Letters(ref text, e.ExtraLength),
                ];
                return new SqlStruct(PersonType, values);
            case NexmarkEventType.Auction:
                var name = Letters(ref text, NexmarkText.ItemNameLength);
                var description = Letters(ref text, NexmarkText.DescriptionLength, spaces: true);
                values = [e.Id, name, description, e.InitialBid, e.Reserve, e.DateTime, e.Expires, e.Seller, e.Category, Letters(ref text, e.ExtraLength)];
                return new SqlStruct(AuctionType, values);
            default:
                var url = new StringBuilder(NexmarkText.UrlPrefix)
                    .Append(Letters(ref text, 5)).Append('/').Append(Letters(ref text, 5)).Append('/').Append(Letters(ref text, 5))
                    .Append(NexmarkText.UrlSuffix);
                if (!e.HotChannel)
                {
                    url.Append(NexmarkText.ChannelIdParameter).Append(e.Channel);
                }

                values = [e.Auction, e.Bidder, e.Price, NexmarkText.ChannelName(e), url.ToString(), e.DateTime, Letters(ref text, e.ExtraLength)];
                return new SqlStruct(BidType, values);
        }
    }

    private static string Letters(ref SplitMix random, int length, bool spaces = false)
    {
        var bytes = new byte[length];
        NexmarkText.Fill(ref random, bytes, spaces);
        return Encoding.ASCII.GetString(bytes);
    }
}
