using Rhei.Client;
using Rhei.Formats.Serde;
using Rhei.Formats.Windowed;
using Rhei.Sql.Execution;
using Rhei.Sql.Schema;
using Rhei.Streams;
using Rhei.Streams.State;

namespace Rhei.Engine.Queries;

/// <summary>
/// A CTAS table as its persistent query holds it: the query's <see cref="TopicTableStore"/> (the latest record the
/// query wrote to its sink topic for every key, or key and window), read directly. A lookup serializes the key as the
/// sink's key format does, gets its record and decodes only that record's value; nothing else reads the topic.
/// </summary>
internal sealed class SinkStoreTable : PullTable
{
    private readonly TopicTableStore _store;
    private readonly Serde<GenericKey> _keys;
    private readonly long _windowSize;
    private readonly string _topic;

    public SinkStoreTable(SourceRowShape shape, TopicTableStore store, FormatRegistry formats)
    {
        Shape = shape;
        _store = store;
        var source = shape.Source;
        _topic = source.KafkaTopicName;
        // Windowed keys are the plain key's bytes then the window: lookups use the plain key's serializer.
        _keys = FormatSerdes.Key(formats, source.Topic.KeyFormat with { Window = null }, source.Schema.KeySerdeSchema(), _topic);
        _windowSize = source.Topic.KeyFormat.Window is { Type: not WindowType.Session, SizeMs: { } size } ? size : 0;
    }

    public override SourceRowShape Shape { get; }

    /// <summary>The store read.</summary>
    public TopicTableStore Store => _store;

    public override void Get(GenericKey key, List<object?[]> rows)
    {
        byte[]? bytes;
        try
        {
            bytes = _keys.Serialize(key, _topic);
        }
        catch (Exception e) when (e is SerdeException or FormatException or InvalidCastException or OverflowException or ArgumentException)
        {
            return;
        }

        if (bytes is null)
        {
            return;
        }

        if (_store.Layout == TopicKeyLayout.Plain)
        {
            if (_store.TryGet(bytes, out var entry) && Decode(entry, key) is { } row)
            {
                rows.Add(row);
            }

            return;
        }

        var windows = new List<TopicTableEntry>();
        _store.Fetch(bytes, long.MinValue, long.MaxValue, windows);
        foreach (var entry in windows)
        {
            if (Decode(entry, key) is { } row)
            {
                rows.Add(row);
            }
        }
    }

    public override IEnumerable<object?[]> Scan()
    {
        foreach (var entry in _store.All())
        {
            GenericKey key;
            try
            {
                (key, _) = Shape.DecodeKey(Record(entry));
            }
            catch (Exception e) when (e is SerdeException or FormatException or InvalidCastException or OverflowException or ArgumentException)
            {
                continue;
            }

            if (Decode(entry, key) is { } row)
            {
                yield return row;
            }
        }
    }

    private object?[]? Decode(TopicTableEntry entry, GenericKey key)
    {
        Window? window = _store.Layout switch
        {
            TopicKeyLayout.TimeWindowed => new Window(entry.WindowStart, _windowSize == 0 || entry.WindowStart > long.MaxValue - _windowSize ? long.MaxValue : entry.WindowStart + _windowSize),
            TopicKeyLayout.SessionWindowed => new Window(entry.WindowStart, entry.WindowEnd),
            _ => null,
        };
        return Shape.DecodeRow(Record(entry), key, window);
    }

    private ConsumedRecord Record(TopicTableEntry entry) => new()
    {
        Topic = _topic,
        Partition = entry.Partition,
        Offset = -1,
        Timestamp = entry.Timestamp,
        Key = entry.Key,
        Value = entry.Value,
        Headers = entry.Headers ?? [],
    };
}
