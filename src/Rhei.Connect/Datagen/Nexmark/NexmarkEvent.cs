namespace Rhei.Connect.Datagen.Nexmark;

/// <summary>The kind of a Nexmark event, and the topic it goes to.</summary>
public enum NexmarkEventType
{
    Person,
    Auction,
    Bid,
}

/// <summary>
/// One generated Nexmark event, without its text: numbers and the choices that shape its strings (name, city and
/// state indices, the channel, the seed of its random letters, the length of its <c>extra</c> padding). A
/// <see cref="NexmarkJsonWriter"/> renders it as JSON bytes; <see cref="NexmarkRecords"/> as a typed struct. Both render
/// the same text from <see cref="TextSeed"/>.
/// </summary>
public struct NexmarkEvent
{
    public NexmarkEventType Type;

    /// <summary>The event's number in the whole sequence (0-based).</summary>
    public long EventNumber;

    /// <summary>Event time, epoch milliseconds (<c>date_time</c>).</summary>
    public long DateTime;

    /// <summary>A person's or an auction's id (ids start at 1000).</summary>
    public long Id;

    // Bid
    public long Auction;
    public long Bidder;
    public long Price;

    /// <summary>The channel: 0 to 9,999, or a hot channel (0 to 3) when <see cref="HotChannel"/>.</summary>
    public int Channel;
    public bool HotChannel;

    // Auction
    public long InitialBid;
    public long Reserve;
    public long Expires;
    public long Seller;
    public int Category;

    // Person
    public int FirstName;
    public int LastName;
    public int City;
    public int State;

    /// <summary>Seeds the random letters of the event's strings (email, credit card, item name, description, url, extra).</summary>
    public ulong TextSeed;

    /// <summary>Length of the <c>extra</c> padding.</summary>
    public int ExtraLength;
}
