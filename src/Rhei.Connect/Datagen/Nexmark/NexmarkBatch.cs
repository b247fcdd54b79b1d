namespace Rhei.Connect.Datagen.Nexmark;

/// <summary>
/// Records of one Nexmark topic, laid out for a benchmark to produce or append: the JSON values back to back in
/// <see cref="Values"/> (record i is <c>Values[Starts[i]..Starts[i+1]]</c>), keys (the person or auction id; bids have
/// none) and timestamps (event time).
/// </summary>
public sealed class NexmarkTopicBatch
{
    private byte[] _values = new byte[64 * 1024];
    private int[] _starts = new int[1025];
    private long[] _keys = new long[1024];
    private long[] _timestamps = new long[1024];

    public NexmarkTopicBatch(string topic)
    {
        Topic = topic;
    }

    public string Topic { get; }

    public int Count { get; private set; }

    public ReadOnlySpan<byte> Values => _values.AsSpan(0, _starts[Count]);

    public ReadOnlySpan<int> Starts => _starts.AsSpan(0, Count + 1);

    public ReadOnlySpan<long> Keys => _keys.AsSpan(0, Count);

    public ReadOnlySpan<long> Timestamps => _timestamps.AsSpan(0, Count);

    /// <summary>The JSON value of record <paramref name="index"/>.</summary>
    public ReadOnlyMemory<byte> Value(int index) => _values.AsMemory(_starts[index], _starts[index + 1] - _starts[index]);

    public void Clear() => Count = 0;

    internal void Add(in NexmarkEvent e)
    {
        var start = _starts[Count];
        if (_values.Length - start < NexmarkJsonWriter.MaxEventBytes)
        {
            Array.Resize(ref _values, Math.Max(_values.Length * 2, start + NexmarkJsonWriter.MaxEventBytes));
        }

        if (Count + 1 >= _keys.Length)
        {
            Array.Resize(ref _keys, _keys.Length * 2);
            Array.Resize(ref _timestamps, _timestamps.Length * 2);
            Array.Resize(ref _starts, (_keys.Length) + 1);
        }

        var written = NexmarkJsonWriter.Write(e, _values.AsSpan(start));
        _keys[Count] = e.Type == NexmarkEventType.Bid ? -1 : e.Id;
        _timestamps[Count] = e.DateTime;
        Count++;
        _starts[Count] = start + written;
    }
}

/// <summary>A batch of generated events split by topic (person, auction, bid), for benchmarks.</summary>
public sealed class NexmarkBatch
{
    public NexmarkBatch(string personTopic = "person", string auctionTopic = "auction", string bidTopic = "bid")
    {
        Persons = new NexmarkTopicBatch(personTopic);
        Auctions = new NexmarkTopicBatch(auctionTopic);
        Bids = new NexmarkTopicBatch(bidTopic);
    }

    public NexmarkTopicBatch Persons { get; }

    public NexmarkTopicBatch Auctions { get; }

    public NexmarkTopicBatch Bids { get; }

    public int Count => Persons.Count + Auctions.Count + Bids.Count;

    public void Clear()
    {
        Persons.Clear();
        Auctions.Clear();
        Bids.Clear();
    }

    public NexmarkTopicBatch For(NexmarkEventType type) => type switch
    {
        NexmarkEventType.Person => Persons,
        NexmarkEventType.Auction => Auctions,
        _ => Bids,
    };
}
