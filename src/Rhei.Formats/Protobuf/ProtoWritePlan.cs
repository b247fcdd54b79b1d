using System.Collections;
using Rhei.Formats.Conversion;
using Rhei.Formats.Serde;
using Rhei.Formats.Types;

namespace Rhei.Formats.Protobuf;

/// <summary>
/// Writes SQL values as a protobuf message of one type, compiled once per (message, SQL type): struct fields and
/// columns are matched to message fields by name (exact, then ignoring case). NULL is written as an absent field (so a
/// reader sees protobuf's default where the field has no presence); repeated elements and map values that are NULL
/// are written as defaults; proto3 fields without presence are omitted when they hold the default, as protobuf does.
/// </summary>
internal sealed class ProtoWritePlan
{
    private readonly Entry[] _entries;
    private readonly SqlStructType _sql;

    private ProtoWritePlan(ProtoMessage message, SqlStructType sql, string path)
    {
        _sql = sql;
        var entries = new List<Entry>();
        var file = message.File;
        foreach (var f in message.Fields)
        {
            var source = FindField(sql, f.Name);
            var oneofSource = -1;
            SqlType? type;
            if (source < 0 && f.OneofIndex >= 0 && FindField(sql, message.Oneofs[f.OneofIndex]) is >= 0 and var o && sql.Fields[o].Type is SqlStructType oneofStruct)
            {
                oneofSource = FindField(oneofStruct, f.Name);
                source = oneofSource >= 0 ? o : -1;
                type = oneofSource >= 0 ? oneofStruct.Fields[oneofSource].Type : null;
            }
            else
            {
                type = source >= 0 ? sql.Fields[source].Type : null;
            }

            if (source < 0 || type is null)
            {
                continue; // not in the SQL schema: left absent
            }

            var fieldPath = path.Length == 0 ? f.Name : path + "." + f.Name;
            var skipDefault = file is not null && !f.HasPresence(file) && !f.IsRepeated;
            Writer writer;
            if (f.IsMap)
            {
                var map = type as SqlMapType ?? throw new FormatException($"The SQL type {type} cannot be written as the protobuf map {fieldPath}");
                var entry = f.Message!;
                writer = new MapWriter(Value(entry.Fields[0], map.KeyType, fieldPath + ".key"), Value(entry.Fields[1], map.ValueType, fieldPath + ".value"), entry.Fields[0].WireType, entry.Fields[1].WireType);
            }
            else if (f.IsRepeated)
            {
                var array = type as SqlArrayType ?? throw new FormatException($"The SQL type {type} cannot be written as the repeated field {fieldPath}");
                writer = new RepeatedWriter(Value(f, array.ElementType, fieldPath));
            }
            else
            {
                writer = Value(f, type, fieldPath);
            }

            entries.Add(new Entry(f.Number, f.WireType, source, oneofSource, writer, skipDefault));
        }

        _entries = [.. entries];
    }

    public static ProtoWritePlan ForMessage(ProtoMessage message, SqlStructType sql, string path = "") => new(message, sql, path);

    public static ProtoWritePlan ForRow(ProtoMessage message, SerdeSchema columns) =>
        new(message, new SqlStructType([.. columns.Select(c => new SqlField(c.Name, c.Type))]), "");

    public void WriteRow(ReadOnlySpan<object?> row, ProtoWriter w)
    {
        foreach (var e in _entries)
        {
            WriteEntry(e, row[e.Source], w);
        }
    }

    public void WriteStruct(SqlStruct value, ProtoWriter w)
    {
        var same = ReferenceEquals(value.Type, _sql) || value.Type.Equals(_sql);
        foreach (var e in _entries)
        {
            object? v;
            if (same)
            {
                v = value[e.Source];
            }
            else
            {
                var i = FindField(value.Type, _sql.Fields[e.Source].Name);
                v = i >= 0 ? value[i] : null;
            }

            WriteEntry(e, v, w);
        }
    }

    private static void WriteEntry(Entry e, object? value, ProtoWriter w)
    {
        if (e.OneofMember >= 0)
        {
            value = value is SqlStruct oneof ? oneof[e.OneofMember] : null;
        }

        if (value is null || (e.SkipDefault && e.Writer.IsDefault(value)))
        {
            return;
        }

        e.Writer.WriteField(e.Number, e.WireType, value, w);
    }

    private static int FindField(SqlStructType type, string name)
    {
        var i = type.IndexOf(name);
        if (i >= 0)
        {
            return i;
        }

        for (var j = 0; j < type.Fields.Length; j++)
        {
            if (string.Equals(type.Fields[j].Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return j;
            }
        }

        return -1;
    }

    private static Writer Value(ProtoField f, SqlType sql, string path)
    {
        if (f.Enum is { } e)
        {
            return new EnumWriter(e, path);
        }

        if (f.Message is { } m)
        {
            if (m.FullName == "confluent.type.Decimal")
            {
                var (precision, scale) = ProtobufSchemaTranslator.DecimalParameters(f);
                return new DecimalWriter(Math.Min(scale, 28), precision);
            }

            if (ProtoWellKnown.WrappedScalar(m) is var wrapped and not ProtoScalar.None)
            {
                return new WrapperWriter(new ScalarWriter(wrapped, sql), wrapped);
            }

            if (ProtobufSchemaTranslator.SpecialType(m) is not null)
            {
                return new TemporalWriter(m.FullName);
            }

            var st = sql as SqlStructType ?? throw new FormatException($"The SQL type {sql} cannot be written as the protobuf message {path} ({m.FullName})");
            return new MessageWriter(ForMessage(m, st, path));
        }

        return new ScalarWriter(f.Scalar, sql);
    }

    private sealed record Entry(int Number, int WireType, int Source, int OneofMember, Writer Writer, bool SkipDefault);

    private abstract class Writer
    {
        public virtual bool IsDefault(object value) => false;

        /// <summary>Writes the value's payload (after the tag).</summary>
        public abstract void WriteValue(object? value, ProtoWriter w);

        public virtual void WriteField(int number, int wireType, object value, ProtoWriter w)
        {
            w.WriteTag(number, wireType);
            WriteValue(value, w);
        }
    }

    private sealed class ScalarWriter(ProtoScalar scalar, SqlType sql) : Writer
    {
        public override bool IsDefault(object value) => value switch
        {
            bool b => !b,
            int i => i == 0,
            long l => l == 0,
            double d => d == 0 && !double.IsNegative(d),
            string s => s.Length == 0,
            byte[] b => b.Length == 0,
            decimal m => m == 0,
            _ => false,
        };

        public override void WriteValue(object? value, ProtoWriter w)
        {
            switch (scalar)
            {
                case ProtoScalar.Bool:
                    w.WriteVarint(value is not null && RowValues.ToBoolean(value, sql) ? 1UL : 0UL);
                    break;
                case ProtoScalar.Int32:
                    w.WriteInt32(value is null ? 0 : ToInt32(value));
                    break;
                case ProtoScalar.Int64:
                case ProtoScalar.UInt64:
                    w.WriteVarint((ulong)(value is null ? 0 : ToInt64(value)));
                    break;
                case ProtoScalar.UInt32:
                    w.WriteVarint((uint)(value is null ? 0 : ToInt64(value)));
                    break;
                case ProtoScalar.SInt32:
                    w.WriteSInt32(value is null ? 0 : ToInt32(value));
                    break;
                case ProtoScalar.SInt64:
                    w.WriteSInt64(value is null ? 0 : ToInt64(value));
                    break;
                case ProtoScalar.Fixed32:
                case ProtoScalar.SFixed32:
                    w.WriteFixed32((uint)(value is null ? 0 : ToInt64(value)));
                    break;
                case ProtoScalar.Fixed64:
                case ProtoScalar.SFixed64:
                    w.WriteFixed64((ulong)(value is null ? 0 : ToInt64(value)));
                    break;
                case ProtoScalar.Float:
                    w.WriteFixed32((uint)BitConverter.SingleToInt32Bits(value is null ? 0f : (float)RowValues.ToDouble(value, sql)));
                    break;
                case ProtoScalar.Double:
                    w.WriteFixed64((ulong)BitConverter.DoubleToInt64Bits(value is null ? 0d : RowValues.ToDouble(value, sql)));
                    break;
                case ProtoScalar.String:
                    w.WriteString(value is null ? "" : value as string ?? SqlValueText.ToSqlString(value) ?? "");
                    break;
                case ProtoScalar.Bytes:
                    w.WriteBytes(value is null ? [] : RowValues.ToBytes(value, sql));
                    break;
                default:
                    throw new FormatException($"Unsupported scalar {scalar}");
            }
        }

        private int ToInt32(object value) => value switch
        {
            DateOnly d => TemporalValues.ToEpochDays(d),
            TimeOnly t => TemporalValues.ToMillisOfDay(t),
            _ => RowValues.ToInt32(value, sql),
        };

        private long ToInt64(object value) => value is DateTime dt ? TemporalValues.ToEpochMillis(dt) : RowValues.ToInt64(value, sql);
    }

    private sealed class EnumWriter(ProtoEnum e, string path) : Writer
    {
        public override bool IsDefault(object value) => value is string s && e.Values.Count > 0 && e.Values[0].Name == s;

        public override void WriteValue(object? value, ProtoWriter w)
        {
            if (value is null)
            {
                w.WriteInt32(e.Values.Count > 0 ? e.Values[0].Number : 0);
                return;
            }

            var text = value as string ?? SqlValueText.ToSqlString(value) ?? "";
            var number = e.NumberOf(text) ?? (int.TryParse(text, out var n) ? n : throw new InvalidCastException($"'{text}' is not a value of the enum {e.FullName} at {path}"));
            w.WriteInt32(number);
        }
    }

    private sealed class MessageWriter(ProtoWritePlan plan) : Writer
    {
        public override void WriteValue(object? value, ProtoWriter w)
        {
            w.BeginMessage();
            if (value is SqlStruct s)
            {
                plan.WriteStruct(s, w);
            }
            else if (value is not null)
            {
                throw new InvalidCastException($"Value of type {value.GetType().Name} is not a STRUCT");
            }

            w.EndMessage();
        }
    }

    private sealed class WrapperWriter(ScalarWriter inner, ProtoScalar scalar) : Writer
    {
        public override void WriteValue(object? value, ProtoWriter w)
        {
            w.BeginMessage();
            if (value is not null && !inner.IsDefault(value))
            {
                w.WriteTag(1, new ProtoField { Name = "value", Number = 1, TypeName = "", Scalar = scalar }.WireType);
                inner.WriteValue(value, w);
            }

            w.EndMessage();
        }
    }

    private sealed class DecimalWriter(int scale, int precision) : Writer
    {
        public override void WriteValue(object? value, ProtoWriter w)
        {
            var d = value is null ? 0m : RowValues.ToDecimal(value, SqlTypes.Decimal(38, scale));
            w.BeginMessage();
            w.WriteTag(1, 2);
            w.WriteBytes(ProtoValues.DecimalBytes(d, scale));
            if (precision is > 0 and <= 64)
            {
                w.WriteTag(2, 0);
                w.WriteVarint((uint)precision);
            }

            if (scale != 0)
            {
                w.WriteTag(3, 0);
                w.WriteInt32(scale);
            }

            w.EndMessage();
        }
    }

    private sealed class TemporalWriter(string fullName) : Writer
    {
        public override void WriteValue(object? value, ProtoWriter w)
        {
            w.BeginMessage();
            switch (fullName)
            {
                case "google.protobuf.Timestamp":
                    {
                        var (seconds, nanos) = ProtoValues.ToTimestamp(value is null ? DateTime.UnixEpoch : TemporalValues.TimestampFromMillis(RowValues.ToEpochMillis(value, SqlTypes.Timestamp)));
                        Field(w, 1, seconds);
                        Field(w, 2, nanos);
                        break;
                    }

                case "google.type.Date":
                    {
                        var d = value is null ? DateOnly.FromDayNumber(0) : TemporalValues.DateFromEpochDays(RowValues.ToEpochDays(value, SqlTypes.Date));
                        Field(w, 1, d.Year);
                        Field(w, 2, d.Month);
                        Field(w, 3, d.Day);
                        break;
                    }

                default:
                    {
                        var t = value is null ? TimeOnly.MinValue : TemporalValues.TimeFromMillis(RowValues.ToMillisOfDay(value, SqlTypes.Time));
                        Field(w, 1, t.Hour);
                        Field(w, 2, t.Minute);
                        Field(w, 3, t.Second);
                        Field(w, 4, t.Millisecond * 1_000_000L);
                        break;
                    }
            }

            w.EndMessage();
        }

        private static void Field(ProtoWriter w, int number, long value)
        {
            if (value != 0)
            {
                w.WriteTag(number, 0);
                w.WriteVarint((ulong)value);
            }
        }
    }

    private sealed class RepeatedWriter(Writer element) : Writer
    {
        public override void WriteValue(object? value, ProtoWriter w) => throw new InvalidOperationException();

        public override void WriteField(int number, int wireType, object value, ProtoWriter w)
        {
            if (value is not IList list)
            {
                throw new InvalidCastException($"Value of type {value.GetType().Name} is not an ARRAY");
            }

            if (list.Count == 0)
            {
                return;
            }

            if (wireType != 2)
            {
                // packed, as proto3 writes repeated scalars
                w.WriteTag(number, 2);
                w.BeginMessage();
                foreach (var item in list)
                {
                    element.WriteValue(item, w);
                }

                w.EndMessage();
                return;
            }

            foreach (var item in list)
            {
                w.WriteTag(number, 2);
                element.WriteValue(item, w);
            }
        }
    }

    private sealed class MapWriter(Writer key, Writer value, int keyWireType, int valueWireType) : Writer
    {
        public override void WriteValue(object? v, ProtoWriter w) => throw new InvalidOperationException();

        public override void WriteField(int number, int wireType, object map, ProtoWriter w)
        {
            if (map is not IDictionary dictionary)
            {
                throw new InvalidCastException($"Value of type {map.GetType().Name} is not a MAP");
            }

            foreach (DictionaryEntry e in dictionary)
            {
                w.WriteTag(number, 2);
                w.BeginMessage();
                w.WriteTag(1, keyWireType);
                key.WriteValue(e.Key, w);
                w.WriteTag(2, valueWireType);
                value.WriteValue(e.Value, w);
                w.EndMessage();
            }
        }
    }
}
