using Rhei.Formats.SchemaRegistry;
using Rhei.Formats.Serde;

namespace Rhei.Formats.Protobuf;

/// <summary>
/// Reads protobuf messages into rows: with a registry, the schema id and message indexes of each record select the
/// writer's message type (a plan is compiled once per type); without one, the type generated from the SQL schema.
/// </summary>
internal sealed class ProtobufRowDeserializer : RowDeserializer
{
    private readonly SchemaRegistryClient? _client;
    private readonly ProtoReadPlan? _fixed;
    private readonly Dictionary<(int Id, string Path), ProtoReadPlan> _plans = [];
    private int _lastId = -1;
    private int[] _lastIndexes = [];
    private ProtoReadPlan? _last;

    public ProtobufRowDeserializer(SerdeSchema schema, SerdeOptions options, SchemaRegistryClient client)
        : base(schema, options)
    {
        _client = client;
    }

    public ProtobufRowDeserializer(SerdeSchema schema, SerdeOptions options, ProtoMessage message)
        : base(schema, options)
    {
        _fixed = ProtoReadPlan.ForRow(message, schema);
    }

    public override bool Deserialize(ReadOnlySpan<byte> data, Span<object?> destination)
    {
        CheckWidth(destination);
        try
        {
            if (_fixed is not null)
            {
                _fixed.Read(data, destination);
                return true;
            }

            if (!SchemaRegistryFraming.TryReadHeader(data, out var id))
            {
                throw SerdeException.Deserialize(Options, "Unknown magic byte!");
            }

            var body = data[SchemaRegistryFraming.HeaderLength..];
            var consumed = SchemaRegistryFraming.ReadMessageIndexes(body, out var indexes);
            PlanFor(id, indexes).Read(body[consumed..], destination);
            return true;
        }
        catch (SchemaRegistryException e)
        {
            throw SerdeException.Deserialize(Options, $"Error retrieving Protobuf schema for id {e.Message}", e);
        }
        catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException or ArgumentException or IndexOutOfRangeException)
        {
            throw SerdeException.Deserialize(Options, e.Message, e);
        }
    }

    private ProtoReadPlan PlanFor(int id, int[] indexes)
    {
        if (id == _lastId && indexes.AsSpan().SequenceEqual(_lastIndexes))
        {
            return _last!;
        }

        var key = (id, string.Join(",", indexes));
        if (!_plans.TryGetValue(key, out var plan))
        {
            if (_client!.GetParsedSchema(id) is not ProtobufParsedSchema parsed)
            {
                throw new FormatException($"The schema with id {id} is not a Protobuf schema");
            }

            plan = ProtoReadPlan.ForRow(parsed.MessageAt(indexes), Schema);
            _plans[key] = plan;
        }

        _lastId = id;
        _lastIndexes = indexes;
        _last = plan;
        return plan;
    }
}
