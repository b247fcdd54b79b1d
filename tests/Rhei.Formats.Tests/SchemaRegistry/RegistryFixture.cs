using Rhei.Formats.SchemaRegistry;
using Rhei.Formats.Serde;
using Rhei.Formats.Types;

namespace Rhei.Formats.Tests.SchemaRegistry;

/// <summary>An in-memory registry, a client on it and a format registry with the schema-registry formats.</summary>
internal sealed class RegistryFixture
{
    public RegistryFixture()
    {
        Store = new SchemaStore();
        Client = new EmbeddedSchemaRegistryClient(Store);
        Formats = FormatRegistry.CreateDefault();
        SchemaRegistryFormats.AddTo(Formats, Client);
    }

    public SchemaStore Store { get; }

    public EmbeddedSchemaRegistryClient Client { get; }

    public FormatRegistry Formats { get; }

    public SerdeOptions Options(string format, SerdeSchema schema, SerdeTarget target = SerdeTarget.Value, bool? wrapSingleValue = null, string topic = "t", IReadOnlyDictionary<string, string>? properties = null)
    {
        var f = Formats.Get(format);
        var features = target == SerdeTarget.Key ? f.ResolveKeyFeatures(schema.Count) : f.ResolveValueFeatures(schema.Count, wrapSingleValue);
        return new SerdeOptions(target) { Features = features, Topic = topic, Properties = properties ?? new Dictionary<string, string>() };
    }

    /// <summary>Registers the sink schema (as the engine does) and makes a serializer and a deserializer.</summary>
    public async Task<(RowSerializer Serializer, RowDeserializer Deserializer)> SerdesAsync(string format, SerdeSchema schema, SerdeTarget target = SerdeTarget.Value, bool? wrapSingleValue = null, string topic = "t", IReadOnlyDictionary<string, string>? properties = null)
    {
        var options = Options(format, schema, target, wrapSingleValue, topic, properties);
        var f = Formats.Get(format);
        if (f is SchemaRegistryFormat sr)
        {
            await sr.RegisterAsync(topic, schema, options);
        }

        return (f.CreateSerializer(schema, options), f.CreateDeserializer(schema, options));
    }

    public static SerdeSchema Columns(params (string Name, SqlType Type)[] columns) => SerdeSchema.Of(columns);
}
