using System.Buffers;
using Avro;
using Newtonsoft.Json.Linq;

namespace Rhei.Formats.Avro;

/// <summary>Encodes a field's JSON default value in Avro binary (a union's default is of its first branch).</summary>
internal static class AvroDefaults
{
    public static byte[] Encode(Schema schema, JToken value)
    {
        var buffer = new ArrayBufferWriter<byte>(16);
        var w = new AvroBinaryWriter();
        w.Reset(buffer);
        Write(schema, value, w);
        return buffer.WrittenSpan.ToArray();
    }

    private static void Write(Schema schema, JToken value, AvroBinaryWriter w)
    {
        switch (schema)
        {
            case UnionSchema u:
                w.WriteLong(0);
                Write(u.Schemas[0], value, w);
                return;
            case LogicalSchema l:
                Write(l.BaseSchema, value, w);
                return;
            case RecordSchema r:
                foreach (var f in r.Fields)
                {
                    var fieldValue = (value as JObject)?[f.Name] ?? f.DefaultValue
                        ?? throw new FormatException($"The default of record {r.Fullname} has no value for {f.Name}");
                    Write(f.Schema, fieldValue, w);
                }

                return;
            case EnumSchema e:
                w.WriteInt(e.Ordinal(value.Value<string>()!));
                return;
            case FixedSchema:
                w.WriteFixed(Latin1(value));
                return;
            case ArraySchema a:
                {
                    var items = (JArray)value;
                    if (items.Count > 0)
                    {
                        w.WriteLong(items.Count);
                        foreach (var item in items)
                        {
                            Write(a.ItemSchema, item, w);
                        }
                    }

                    w.WriteLong(0);
                    return;
                }

            case MapSchema m:
                {
                    var map = (JObject)value;
                    if (map.Count > 0)
                    {
                        w.WriteLong(map.Count);
                        foreach (var (k, v) in map)
                        {
                            w.WriteString(k);
                            Write(m.ValueSchema, v!, w);
                        }
                    }

                    w.WriteLong(0);
                    return;
                }
        }

        switch (schema.Tag)
        {
            case Schema.Type.Null:
                return;
            case Schema.Type.Boolean:
                w.WriteBoolean(value.Value<bool>());
                return;
            case Schema.Type.Int:
                w.WriteInt(value.Value<int>());
                return;
            case Schema.Type.Long:
                w.WriteLong(value.Value<long>());
                return;
            case Schema.Type.Float:
                w.WriteFloat(value.Value<float>());
                return;
            case Schema.Type.Double:
                w.WriteDouble(value.Value<double>());
                return;
            case Schema.Type.String:
                w.WriteString(value.Value<string>()!);
                return;
            case Schema.Type.Bytes:
                w.WriteBytes(Latin1(value));
                return;
            default:
                throw new FormatException($"Cannot encode a default of type {schema.Tag}");
        }
    }

    private static byte[] Latin1(JToken value) => System.Text.Encoding.Latin1.GetBytes(value.Value<string>() ?? "");
}
