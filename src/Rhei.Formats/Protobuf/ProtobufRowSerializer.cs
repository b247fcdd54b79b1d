using System.Buffers;
using Rhei.Formats.Serde;

namespace Rhei.Formats.Protobuf;

/// <summary>Writes rows as protobuf messages of one type, after a fixed prefix (Confluent's header and message indexes, or nothing).</summary>
internal sealed class ProtobufRowSerializer : RowSerializer
{
    private readonly byte[] _prefix;
    private readonly ProtoWritePlan _plan;
    private readonly ProtoWriter _writer = new();

    public ProtobufRowSerializer(SerdeSchema schema, SerdeOptions options, ProtoMessage message, byte[] prefix)
        : base(schema, options)
    {
        _prefix = prefix;
        try
        {
            _plan = ProtoWritePlan.ForRow(message, schema);
        }
        catch (FormatException e)
        {
            throw new FormatValidationException($"The {options.TargetName} columns {schema} cannot be written as the protobuf message {message.FullName}: {e.Message}");
        }
    }

    public override bool Serialize(ReadOnlySpan<object?> row, IBufferWriter<byte> output)
    {
        CheckWidth(row);
        output.Write(_prefix);
        _writer.Reset(output);
        try
        {
            _plan.WriteRow(row, _writer);
        }
        catch (Exception e) when (e is InvalidCastException or FormatException or OverflowException or ArgumentException)
        {
            throw SerdeException.Serialize(Options, e.Message, e);
        }

        return true;
    }
}
