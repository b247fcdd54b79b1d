using Rhei.Formats.Serde;
using Rhei.Formats.Types;
using Rhei.Formats.Windowed;
using static Rhei.Formats.Tests.SerdeHelper;

namespace Rhei.Formats.Tests.Windowed;

public class WindowedKeyTests
{
    private static readonly SerdeSchema StringKey = Schema(("K", SqlTypes.String));

    [Fact]
    public void Time_windows_append_the_start()
    {
        var serializer = new WindowedKeySerializer(Serializer("KAFKA", StringKey, SerdeTarget.Key), WindowType.Tumbling);
        var bytes = serializer.Serialize(["a"], new WindowBounds(30000, 60000));
        Assert.Equal(new byte[] { (byte)'a', 0, 0, 0, 0, 0, 0, 0x75, 0x30 }, bytes);

        var deserializer = new WindowedKeyDeserializer(Deserializer("KAFKA", StringKey, SerdeTarget.Key), WindowType.Tumbling, windowSizeMs: 30000);
        var key = new object?[1];
        var window = deserializer.Deserialize(bytes, key, out var keyIsNull);
        Assert.Equal(new WindowBounds(30000, 60000), window);
        Assert.False(keyIsNull);
        Assert.Equal("a", key[0]);
    }

    [Fact]
    public void Session_windows_append_end_then_start()
    {
        var schema = Schema(("K1", SqlTypes.Integer), ("K2", SqlTypes.String));
        var serializer = new WindowedKeySerializer(Serializer("JSON", schema, SerdeTarget.Key), WindowType.Session);
        var bytes = serializer.Serialize([1, "x"], new WindowBounds(12, 465));
        var json = "{\"K1\":1,\"K2\":\"x\"}"u8.ToArray();
        Assert.Equal(json, bytes[..json.Length]);
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0, 0, 1, 0xD1, 0, 0, 0, 0, 0, 0, 0, 12 }, bytes[json.Length..]);

        var deserializer = new WindowedKeyDeserializer(Deserializer("JSON", schema, SerdeTarget.Key), WindowType.Session);
        var key = new object?[2];
        Assert.Equal(new WindowBounds(12, 465), deserializer.Deserialize(bytes, key, out _));
        Assert.Equal(new object?[] { 1, "x" }, key);
    }

    [Fact]
    public void Hopping_window_end_is_capped()
    {
        var deserializer = new WindowedKeyDeserializer(Deserializer("KAFKA", Schema(("K", SqlTypes.Integer)), SerdeTarget.Key), WindowType.Hopping, 100);
        var bytes = new byte[] { 0, 0, 0, 7, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xF0 };
        var key = new object?[1];
        Assert.Equal(new WindowBounds(long.MaxValue - 15, long.MaxValue), deserializer.Deserialize(bytes, key, out _));
        Assert.Equal(7, key[0]);
    }

    [Fact]
    public void Short_keys_and_missing_sizes_are_errors()
    {
        var inner = Deserializer("KAFKA", StringKey, SerdeTarget.Key);
        var session = new WindowedKeyDeserializer(inner, WindowType.Session);
        var e = Assert.Throws<SerdeException>(() => session.Deserialize(new byte[10], new object?[1], out _));
        Assert.Contains("SESSION windowed key needs at least 16 bytes; got 10", e.Message);
        Assert.Throws<ArgumentException>(() => new WindowedKeyDeserializer(inner, WindowType.Tumbling));
    }
}
