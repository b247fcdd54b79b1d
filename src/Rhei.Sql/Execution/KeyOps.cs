using Rhei.Formats.Serde;
using Rhei.Sql.Schema;
using Rhei.Streams;

namespace Rhei.Sql.Execution;

/// <summary>What the builder needs to know about a stream's key type: plain <see cref="GenericKey"/> or windowed.</summary>
internal abstract class KeyOps<K>
    where K : notnull
{
    public abstract GenericKey Key(K key);

    /// <summary>The key with its key values replaced (the window kept).</summary>
    public abstract K With(K key, GenericKey values);

    /// <summary>The window bounds, for windowed keys.</summary>
    public abstract (long Start, long End)? Window(K key);

    /// <summary>The serde of keys in a topic of these formats.</summary>
    public abstract Serde<K> FormatSerde(FormatRegistry formats, KeyFormat format, SerdeSchema schema, string topic);

    /// <summary>The serde of keys in internal topics.</summary>
    public abstract Serde<K> InternalSerde(IReadOnlyList<Formats.Types.SqlType> types, WindowInfo? window);
}

internal sealed class PlainKeys : KeyOps<GenericKey>
{
    public static readonly PlainKeys Instance = new();

    public override GenericKey Key(GenericKey key) => key;

    public override GenericKey With(GenericKey key, GenericKey values) => values;

    public override (long Start, long End)? Window(GenericKey key) => null;

    public override Serde<GenericKey> FormatSerde(FormatRegistry formats, KeyFormat format, SerdeSchema schema, string topic) =>
        FormatSerdes.Key(formats, format, schema, topic);

    public override Serde<GenericKey> InternalSerde(IReadOnlyList<Formats.Types.SqlType> types, WindowInfo? window) =>
        Execution.InternalSerde.Key(types);
}

internal sealed class WindowedKeys : KeyOps<Windowed<GenericKey>>
{
    public static readonly WindowedKeys Instance = new();

    public override GenericKey Key(Windowed<GenericKey> key) => key.Key;

    public override Windowed<GenericKey> With(Windowed<GenericKey> key, GenericKey values) => new(values, key.Window);

    public override (long Start, long End)? Window(Windowed<GenericKey> key) => (key.Window.Start, key.Window.End);

    public override Serde<Windowed<GenericKey>> FormatSerde(FormatRegistry formats, KeyFormat format, SerdeSchema schema, string topic) =>
        FormatSerdes.WindowedKey(formats, format, schema, topic);

    public override Serde<Windowed<GenericKey>> InternalSerde(IReadOnlyList<Formats.Types.SqlType> types, WindowInfo? window)
    {
        var inner = Execution.InternalSerde.Key(types);
        return window?.Type == Formats.Windowed.WindowType.Session
            ? WindowedSerdes.SessionWindowed(inner)
            : WindowedSerdes.TimeWindowed(inner, window?.SizeMs ?? long.MaxValue);
    }
}
