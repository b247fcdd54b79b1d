using System.Text;
using Rhei.Formats.Serde;
using Rhei.Formats.Types;

namespace Rhei.Formats.Tests;

/// <summary>Builds serializers and deserializers the way the engine will: resolve features, validate, create.</summary>
internal static class SerdeHelper
{
    public static readonly FormatRegistry Registry = FormatRegistry.CreateDefault();

    public static SerdeSchema Schema(params (string Name, SqlType Type)[] columns) => SerdeSchema.Of(columns);

    public static SerdeOptions Options(string format, SerdeSchema schema, SerdeTarget target, bool? wrapSingleValue = null, IReadOnlyDictionary<string, string>? properties = null)
    {
        var f = Registry.Get(format);
        var features = target == SerdeTarget.Key
            ? f.ResolveKeyFeatures(schema.Count)
            : f.ResolveValueFeatures(schema.Count, wrapSingleValue);
        return new SerdeOptions(target)
        {
            Features = features,
            Topic = "t",
            Properties = properties ?? new Dictionary<string, string>(),
        };
    }

    public static RowSerializer Serializer(string format, SerdeSchema schema, SerdeTarget target = SerdeTarget.Value, bool? wrapSingleValue = null, IReadOnlyDictionary<string, string>? properties = null) =>
        Registry.Get(format).CreateSerializer(schema, Options(format, schema, target, wrapSingleValue, properties));

    public static RowDeserializer Deserializer(string format, SerdeSchema schema, SerdeTarget target = SerdeTarget.Value, bool? wrapSingleValue = null, IReadOnlyDictionary<string, string>? properties = null) =>
        Registry.Get(format).CreateDeserializer(schema, Options(format, schema, target, wrapSingleValue, properties));

    public static string? Text(byte[]? bytes) => bytes is null ? null : Encoding.UTF8.GetString(bytes);

    public static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    public static DateTime Ts(long ms) => DateTime.UnixEpoch.AddTicks(ms * TimeSpan.TicksPerMillisecond);
}
