using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Rhei.Formats.Serde;
using Rhei.Formats.Types;

namespace Rhei.Formats.Kafka;

/// <summary>
/// The KAFKA format: one primitive column as Kafka's standard serializers write it — INTEGER as 4 bytes big-endian,
/// BIGINT as 8, DOUBLE as 8 (IEEE 754, big-endian), STRING as UTF-8, BYTES as they are. No type coercion; a wrong byte
/// count is an error. With no columns (a key-less stream), it writes null and ignores what it reads.
/// </summary>
public sealed class KafkaFormat : SerdeFormat
{
    public static readonly KafkaFormat Instance = new();

    private KafkaFormat()
        : base("KAFKA")
    {
    }

    public override SerdeFeatures SupportedFeatures => SerdeFeatures.UnwrapSingles;

    public static bool SupportsType(SqlType type) => type.BaseType is
        SqlBaseType.Integer or SqlBaseType.BigInt or SqlBaseType.Double or SqlBaseType.String or SqlBaseType.Bytes;

    public override RowSerializer CreateSerializer(SerdeSchema schema, SerdeOptions options)
    {
        CheckUsable(schema, options.Target);
        return new KafkaRowSerializer(schema, options);
    }

    public override RowDeserializer CreateDeserializer(SerdeSchema schema, SerdeOptions options)
    {
        CheckUsable(schema, options.Target);
        return new KafkaRowDeserializer(schema, options);
    }

    protected override string? FindSchemaProblem(SerdeSchema schema, SerdeTarget target)
    {
        if (schema.Count > 1)
        {
            return $"The 'KAFKA' format only supports a single field. Got: {schema.Describe(target)}";
        }

        foreach (var column in schema)
        {
            if (!SupportsType(column.Type))
            {
                return $"The 'KAFKA' format does not support type '{column.Type.BaseType.SqlName()}'";
            }
        }

        return null;
    }

    private void CheckUsable(SerdeSchema schema, SerdeTarget target) => ValidateSchema(schema, target);

    private sealed class KafkaRowSerializer(SerdeSchema schema, SerdeOptions options) : RowSerializer(schema, options)
    {
        public override bool Serialize(ReadOnlySpan<object?> row, IBufferWriter<byte> output)
        {
            CheckWidth(row);
            if (row.Length == 0 || row[0] is not { } value)
            {
                return false;
            }

            var type = Schema[0].Type;
            try
            {
                switch (type.BaseType)
                {
                    case SqlBaseType.Integer:
                        BinaryPrimitives.WriteInt32BigEndian(output.GetSpan(4), RowValues.ToInt32(value, type));
                        output.Advance(4);
                        break;
                    case SqlBaseType.BigInt:
                        BinaryPrimitives.WriteInt64BigEndian(output.GetSpan(8), RowValues.ToInt64(value, type));
                        output.Advance(8);
                        break;
                    case SqlBaseType.Double:
                        BinaryPrimitives.WriteDoubleBigEndian(output.GetSpan(8), RowValues.ToDouble(value, type));
                        output.Advance(8);
                        break;
                    case SqlBaseType.String:
                        {
                            var s = RowValues.ToStringValue(value, type);
                            var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(s.Length));
                            output.Advance(Encoding.UTF8.GetBytes(s, span));
                            break;
                        }

                    default:
                        output.Write(RowValues.ToBytes(value, type));
                        break;
                }
            }
            catch (InvalidCastException e)
            {
                throw SerdeException.Serialize(Options, e.Message, e);
            }

            return true;
        }
    }

    private sealed class KafkaRowDeserializer(SerdeSchema schema, SerdeOptions options) : RowDeserializer(schema, options)
    {
        public override bool Deserialize(ReadOnlySpan<byte> data, Span<object?> destination)
        {
            CheckWidth(destination);
            if (destination.Length == 0)
            {
                return true;
            }

            destination[0] = Schema[0].Type.BaseType switch
            {
                SqlBaseType.Integer => data.Length == 4
                    ? BinaryPrimitives.ReadInt32BigEndian(data)
                    : throw Size("IntegerDeserializer", 4),
                SqlBaseType.BigInt => data.Length == 8
                    ? BinaryPrimitives.ReadInt64BigEndian(data)
                    : throw Size("LongDeserializer", 8),
                SqlBaseType.Double => data.Length == 8
                    ? BinaryPrimitives.ReadDoubleBigEndian(data)
                    : throw Size("Deserializer", 8),
                SqlBaseType.String => Encoding.UTF8.GetString(data), // invalid sequences become U+FFFD, as in Java
                _ => data.ToArray(),
            };
            return true;
        }

        private SerdeException Size(string deserializer, int size) =>
            SerdeException.Deserialize(Options, $"Size of data received by {deserializer} is not {size}");
    }
}
