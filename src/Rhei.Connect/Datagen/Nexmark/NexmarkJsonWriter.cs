using System.Buffers;
using System.Buffers.Text;

namespace Rhei.Connect.Datagen.Nexmark;

/// <summary>
/// Renders Nexmark events as JSON values with the field names the benchmark queries use:
/// person(id, name, email_address, credit_card, city, state, date_time, extra),
/// auction(id, item_name, description, initial_bid, reserve, date_time, expires, seller, category, extra),
/// bid(auction, bidder, price, channel, url, date_time, extra); <c>date_time</c> and <c>expires</c> are epoch
/// milliseconds. Writes straight into the output's memory; no allocation.
/// </summary>
public static class NexmarkJsonWriter
{
    /// <summary>No event is longer than this many bytes.</summary>
    public const int MaxEventBytes = 1024;

    /// <summary>Writes the event's JSON to <paramref name="output"/>; returns the number of bytes.</summary>
    public static int Write(in NexmarkEvent e, IBufferWriter<byte> output)
    {
        var span = output.GetSpan(MaxEventBytes);
        var n = Write(e, span);
        output.Advance(n);
        return n;
    }

    /// <summary>Writes the event's JSON to <paramref name="destination"/> (at least <see cref="MaxEventBytes"/> long); returns the number of bytes.</summary>
    public static int Write(in NexmarkEvent e, Span<byte> destination)
    {
        var text = new SplitMix(e.TextSeed);
        var w = new SpanWriter(destination);
        switch (e.Type)
        {
            case NexmarkEventType.Person:
                w.Raw("{\"id\":"u8);
                w.Number(e.Id);
                w.Raw(",\"name\":\""u8);
                w.Raw(NexmarkText.FirstNames[e.FirstName]);
                w.Raw(" "u8);
                w.Raw(NexmarkText.LastNames[e.LastName]);
                w.Raw("\",\"email_address\":\""u8);
                NexmarkText.FillEmail(ref text, w.Take(NexmarkText.EmailLength));
                w.Raw("\",\"credit_card\":\""u8);
                NexmarkText.FillCreditCard(ref text, w.Take(NexmarkText.CreditCardLength));
                w.Raw("\",\"city\":\""u8);
                w.Raw(NexmarkText.Cities[e.City]);
                w.Raw("\",\"state\":\""u8);
                w.Raw(NexmarkText.States[e.State]);
                w.Raw("\",\"date_time\":"u8);
                w.Number(e.DateTime);
                break;
            case NexmarkEventType.Auction:
                w.Raw("{\"id\":"u8);
                w.Number(e.Id);
                w.Raw(",\"item_name\":\""u8);
                NexmarkText.Fill(ref text, w.Take(NexmarkText.ItemNameLength));
                w.Raw("\",\"description\":\""u8);
                NexmarkText.Fill(ref text, w.Take(NexmarkText.DescriptionLength), spaces: true);
                w.Raw("\",\"initial_bid\":"u8);
                w.Number(e.InitialBid);
                w.Raw(",\"reserve\":"u8);
                w.Number(e.Reserve);
                w.Raw(",\"date_time\":"u8);
                w.Number(e.DateTime);
                w.Raw(",\"expires\":"u8);
                w.Number(e.Expires);
                w.Raw(",\"seller\":"u8);
                w.Number(e.Seller);
                w.Raw(",\"category\":"u8);
                w.Number(e.Category);
                break;
            default:
                w.Raw("{\"auction\":"u8);
                w.Number(e.Auction);
                w.Raw(",\"bidder\":"u8);
                w.Number(e.Bidder);
                w.Raw(",\"price\":"u8);
                w.Number(e.Price);
                w.Raw(",\"channel\":\""u8);
                if (e.HotChannel)
                {
                    w.Raw(NexmarkText.HotChannels[e.Channel]);
                }
                else
                {
                    w.Raw("channel-"u8);
                    w.Number(e.Channel);
                }

                w.Raw("\",\"url\":\""u8);
                w.Raw("https://www.nexmark.com/"u8);
                NexmarkText.Fill(ref text, w.Take(5));
                w.Raw("/"u8);
                NexmarkText.Fill(ref text, w.Take(5));
                w.Raw("/"u8);
                NexmarkText.Fill(ref text, w.Take(5));
                w.Raw("/item.htm?query=1"u8);
                if (!e.HotChannel)
                {
                    w.Raw("&channel_id="u8);
                    w.Number(e.Channel);
                }

                w.Raw("\",\"date_time\":"u8);
                w.Number(e.DateTime);
                break;
        }

        w.Raw(",\"extra\":\""u8);
        NexmarkText.Fill(ref text, w.Take(e.ExtraLength));
        w.Raw("\"}"u8);
        return w.Position;
    }

    private ref struct SpanWriter
    {
        private readonly Span<byte> _span;

        public SpanWriter(Span<byte> span)
        {
            _span = span;
            Position = 0;
        }

        public int Position { get; private set; }

        public void Raw(ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(_span[Position..]);
            Position += bytes.Length;
        }

        public void Number(long value)
        {
            Utf8Formatter.TryFormat(value, _span[Position..], out var n);
            Position += n;
        }

        public Span<byte> Take(int length)
        {
            var slice = _span.Slice(Position, length);
            Position += length;
            return slice;
        }
    }
}
