using System.Buffers;
using Avro;
using Rhei.Formats.SchemaRegistry;
using Rhei.Formats.Serde;

namespace Rhei.Formats.Avro;

/// <summary>Writes rows as framed Avro binary with one writer schema (compiled once).</summary>
internal sealed class AvroRowSerializer : RowSerializer
{
    private readonly byte[] _header;
    private readonly bool _unwrapped;
    private readonly AvroWritePlan? _single;
    private readonly AvroWritePlan.RowRecordPlan? _record;
    private readonly AvroBinaryWriter _writer = new();

    public AvroRowSerializer(SerdeSchema schema, SerdeOptions options, Schema avro, int schemaId, bool unwrapped)
        : base(schema, options)
    {
        _header = SchemaRegistryFraming.Header(schemaId);
        _unwrapped = unwrapped;
        if (unwrapped)
        {
            _single = AvroWritePlan.Compile(avro, schema[0].Type, "");
        }
        else
        {
            var record = Unnull(avro) as RecordSchema ?? throw new FormatValidationException(
                $"The {options.TargetName} schema {avro.Fullname} of topic '{options.Topic}' is not a record, so it cannot hold the columns {schema}.");
            _record = new AvroWritePlan.RowRecordPlan(record, schema);
            _nullableRecord = avro is UnionSchema;
            _recordBranch = avro is UnionSchema u ? u.Schemas.IndexOf(record) : -1;
        }
    }

    private readonly bool _nullableRecord;
    private readonly int _recordBranch;

    public override bool Serialize(ReadOnlySpan<object?> row, IBufferWriter<byte> output)
    {
        CheckWidth(row);
        if (_unwrapped && row[0] is null)
        {
            return false;
        }

        output.Write(_header);
        _writer.Reset(output);
        try
        {
            if (_unwrapped)
            {
                _single!.Write(row[0], _writer);
            }
            else
            {
                if (_nullableRecord)
                {
                    _writer.WriteLong(_recordBranch);
                }

                _record!.Write(row, _writer);
            }
        }
        catch (Exception e) when (e is InvalidCastException or FormatException or OverflowException or ArgumentException)
        {
            throw SerdeException.Serialize(Options, e.Message, e);
        }

        return true;
    }

    private static global::Avro.Schema Unnull(global::Avro.Schema s) =>
        s is UnionSchema u && u.Schemas.Count(b => b.Tag != global::Avro.Schema.Type.Null) == 1 ? u.Schemas.First(b => b.Tag != global::Avro.Schema.Type.Null) : s;
}
