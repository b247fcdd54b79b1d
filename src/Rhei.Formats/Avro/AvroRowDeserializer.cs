using Avro;
using Rhei.Formats.SchemaRegistry;
using Rhei.Formats.Serde;

namespace Rhei.Formats.Avro;

/// <summary>
/// Reads framed Avro binary: the schema id in each record selects the writer schema (fetched once per id) and a plan
/// compiled for (writer schema, SQL schema) reads the record straight into the row.
/// </summary>
internal sealed class AvroRowDeserializer : RowDeserializer
{
    private readonly SchemaRegistryClient _client;
    private readonly bool _unwrapped;
    private readonly Dictionary<int, Plan> _plans = [];
    private int _lastId = -1;
    private Plan? _last;

    public AvroRowDeserializer(SerdeSchema schema, SerdeOptions options, SchemaRegistryClient client, bool unwrapped)
        : base(schema, options)
    {
        _client = client;
        _unwrapped = unwrapped;
    }

    public override bool Deserialize(ReadOnlySpan<byte> data, Span<object?> destination)
    {
        CheckWidth(destination);
        if (!SchemaRegistryFraming.TryReadHeader(data, out var id))
        {
            throw SerdeException.Deserialize(Options, "Unknown magic byte!");
        }

        try
        {
            var plan = id == _lastId ? _last! : PlanFor(id);
            var reader = new AvroBinaryReader(data[SchemaRegistryFraming.HeaderLength..]);
            if (_unwrapped)
            {
                var value = plan.Single!.Read(ref reader);
                if (value is null)
                {
                    destination.Clear();
                    return false;
                }

                destination[0] = value;
                return true;
            }

            if (plan.NullableBranches is { } branches)
            {
                var branch = reader.ReadLong();
                if (branch < 0 || branch >= branches.Length)
                {
                    throw new FormatException($"Union branch {branch} does not exist");
                }

                if (!branches[branch])
                {
                    destination.Clear();
                    return false;
                }
            }

            plan.Row!.Read(ref reader, destination);
            return true;
        }
        catch (SchemaRegistryException e)
        {
            throw SerdeException.Deserialize(Options, $"Error retrieving Avro schema for id {id}: {e.Message}", e);
        }
        catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException or ArgumentException or KeyNotFoundException)
        {
            throw SerdeException.Deserialize(Options, e.Message, e);
        }
    }

    private Plan PlanFor(int id)
    {
        if (!_plans.TryGetValue(id, out var plan))
        {
            if (_client.GetParsedSchema(id) is not AvroParsedSchema parsed)
            {
                throw new FormatException($"The schema with id {id} is not an Avro schema");
            }

            plan = Compile(parsed.Schema);
            _plans[id] = plan;
        }

        _lastId = id;
        _last = plan;
        return plan;
    }

    private Plan Compile(Schema writer)
    {
        if (_unwrapped)
        {
            return new Plan(AvroReadPlan.Compile(writer, Schema[0].Type, ""), null, null);
        }

        if (writer is RecordSchema record)
        {
            return new Plan(null, new AvroReadPlan.RowPlan(record, Schema), null);
        }

        if (writer is UnionSchema u && u.Schemas.Count(b => b.Tag != global::Avro.Schema.Type.Null) == 1 && u.Schemas.First(b => b.Tag != global::Avro.Schema.Type.Null) is RecordSchema inner)
        {
            return new Plan(null, new AvroReadPlan.RowPlan(inner, Schema), [.. u.Schemas.Select(b => b.Tag != global::Avro.Schema.Type.Null)]);
        }

        throw new FormatException($"The writer schema is a {writer.Tag.ToString().ToUpperInvariant()}, not a record: it cannot be read into the columns {Schema}. Set WRAP_SINGLE_VALUE=false to read it as a single column.");
    }

    private sealed record Plan(AvroReadPlan? Single, AvroReadPlan.RowPlan? Row, bool[]? NullableBranches);
}
