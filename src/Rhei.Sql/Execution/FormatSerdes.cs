using Rhei.Formats.Serde;
using Rhei.Formats.Windowed;
using Rhei.Sql.Schema;
using Rhei.Streams;

namespace Rhei.Sql.Execution;

/// <summary>
/// Streams serdes over the formats of a topic: keys as <see cref="GenericKey"/> (windowed keys as
/// <see cref="Windowed{K}"/>), values as rows of the physical value schema. Serializers keep state, so each thread
/// gets its own.
/// </summary>
public static class FormatSerdes
{
    public static Serde<GenericKey> Key(FormatRegistry formats, KeyFormat keyFormat, SerdeSchema schema, string topic = "")
    {
        var format = formats.Get(keyFormat.Name);
        var options = new SerdeOptions(SerdeTarget.Key) { Features = keyFormat.Features, Properties = keyFormat.Format.Properties, Topic = topic };
        var serializers = new ThreadLocal<RowSerializer>(() => format.CreateSerializer(schema, options));
        var deserializers = new ThreadLocal<RowDeserializer>(() => format.CreateDeserializer(schema, options));
        var count = schema.Count;
        var nullWhenAllNull = format.Name == "DELIMITED";
        return new Serde<GenericKey>(
            (key, _) => count == 0 || key is null || ((count == 1 || nullWhenAllNull) && key.IsNull) ? null : serializers.Value!.Serialize(key.ToArray()),
            (data, isNull, _) =>
            {
                if (count == 0)
                {
                    return GenericKey.Empty;
                }

                if (isNull)
                {
                    return new GenericKey(new object?[count]);
                }

                var row = new object?[count];
                return deserializers.Value!.Deserialize(data, row) ? new GenericKey(row) : new GenericKey(new object?[count]);
            });
    }

    public static Serde<Windowed<GenericKey>> WindowedKey(FormatRegistry formats, KeyFormat keyFormat, SerdeSchema schema, string topic = "")
    {
        var window = keyFormat.Window ?? throw new ArgumentException("The key format is not windowed.", nameof(keyFormat));
        var format = formats.Get(keyFormat.Name);
        var options = new SerdeOptions(SerdeTarget.Key) { Features = keyFormat.Features, Properties = keyFormat.Format.Properties, Topic = topic };
        var serializers = new ThreadLocal<WindowedKeySerializer>(() => new WindowedKeySerializer(format.CreateSerializer(schema, options), window.Type));
        var deserializers = new ThreadLocal<WindowedKeyDeserializer>(() => new WindowedKeyDeserializer(format.CreateDeserializer(schema, options), window.Type, window.Type == WindowType.Session ? null : window.SizeMs));
        var count = schema.Count;
        return new Serde<Windowed<GenericKey>>(
            (key, _) => serializers.Value!.Serialize(key.Key?.ToArray() ?? new object?[count], new WindowBounds(key.Window.Start, key.Window.End)),
            (data, isNull, _) =>
            {
                if (isNull)
                {
                    return new Windowed<GenericKey>(new GenericKey(new object?[count]), default);
                }

                var row = new object?[count];
                var bounds = deserializers.Value!.Deserialize(data, row, out var keyIsNull);
                return new Windowed<GenericKey>(keyIsNull ? new GenericKey(new object?[count]) : new GenericKey(row), new Window(bounds.Start, bounds.End));
            });
    }

    public static Serde<object?[]> Value(FormatRegistry formats, ValueFormat valueFormat, SerdeSchema schema, string topic = "")
    {
        var format = formats.Get(valueFormat.Name);
        var options = new SerdeOptions(SerdeTarget.Value) { Features = valueFormat.Features, Properties = valueFormat.Format.Properties, Topic = topic };
        var serializers = new ThreadLocal<RowSerializer>(() => format.CreateSerializer(schema, options));
        var deserializers = new ThreadLocal<RowDeserializer>(() => format.CreateDeserializer(schema, options));
        return new Serde<object?[]>(
            (row, topic) => row is null ? null : serializers.Value!.Serialize(row.AsSpan()),
            (data, isNull, _) =>
            {
                if (isNull)
                {
                    return null!;
                }

                var row = new object?[schema.Count];
                return deserializers.Value!.Deserialize(data, row) ? row : null!;
            });
    }
}
