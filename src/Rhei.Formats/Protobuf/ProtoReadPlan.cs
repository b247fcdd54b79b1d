using Rhei.Formats.Conversion;
using Rhei.Formats.Serde;
using Rhei.Formats.Types;

namespace Rhei.Formats.Protobuf;

/// <summary>
/// Reads a protobuf message written with one message type into SQL values of a target STRUCT (or row), compiled once:
/// fields are matched by name (exact, then ignoring case), unknown field numbers skipped, values converted to the
/// target types as CAST would. Absent fields read as protobuf's defaults where proto3 has no presence (0, "", false,
/// empty lists and maps; the first enum value), and as NULL where absence is visible (messages, <c>optional</c> fields,
/// wrappers, proto2 fields) and for BYTES.
/// </summary>
internal sealed class ProtoReadPlan
{
    private readonly Slot?[] _byNumber;
    private readonly Dictionary<int, Slot> _sparse = [];
    private readonly object?[] _absent;
    private readonly bool[] _collection;
    private readonly int _width;

    private ProtoReadPlan(ProtoMessage message, SqlStructType target, string path)
    {
        _width = target.Fields.Length;
        _absent = new object?[_width];
        _collection = new bool[_width];
        var max = message.Fields.Count == 0 ? 0 : message.Fields.Max(f => f.Number);
        _byNumber = new Slot?[Math.Min(max, 256) + 1];
        var taken = new bool[_width];
        var oneofTargets = new Dictionary<int, int>();
        foreach (var f in message.Fields)
        {
            int targetIndex;
            SqlType? targetType;
            var oneofMember = -1;
            SqlStructType? oneofType = null;
            if (f.OneofIndex >= 0)
            {
                if (!oneofTargets.TryGetValue(f.OneofIndex, out targetIndex))
                {
                    targetIndex = Take(target, message.Oneofs[f.OneofIndex], taken);
                    oneofTargets[f.OneofIndex] = targetIndex;
                }

                oneofType = targetIndex >= 0 ? target.Fields[targetIndex].Type as SqlStructType : null;
                if (oneofType is not null)
                {
                    oneofMember = FindField(oneofType, f.Name);
                    targetType = oneofMember >= 0 ? oneofType.Fields[oneofMember].Type : null;
                }
                else
                {
                    // a oneof member read directly as a column of its own name
                    targetIndex = Take(target, f.Name, taken);
                    targetType = targetIndex >= 0 ? target.Fields[targetIndex].Type : null;
                }
            }
            else
            {
                targetIndex = Take(target, f.Name, taken);
                targetType = targetIndex >= 0 ? target.Fields[targetIndex].Type : null;
            }

            var fieldPath = path.Length == 0 ? f.Name : path + "." + f.Name;
            Slot slot;
            if (targetType is null)
            {
                slot = new Slot(-1, null, false, false, -1, null);
            }
            else if (f.IsMap)
            {
                var map = targetType as SqlMapType ?? throw new FormatException($"The protobuf map {fieldPath} cannot be read as {targetType}");
                var entry = f.Message!;
                slot = new Slot(targetIndex, new MapEntryReader(Value(entry.Fields[0], map.KeyType, fieldPath + ".key"), Value(entry.Fields[1], map.ValueType, fieldPath + ".value")), false, true, -1, null);
            }
            else if (f.IsRepeated)
            {
                var array = targetType as SqlArrayType ?? throw new FormatException($"The repeated field {fieldPath} cannot be read as {targetType}");
                slot = new Slot(targetIndex, Value(f, array.ElementType, fieldPath), true, false, -1, null);
            }
            else
            {
                slot = new Slot(targetIndex, Value(f, targetType, fieldPath), false, false, oneofMember, oneofType);
            }

            if (targetIndex >= 0 && oneofType is null)
            {
                _collection[targetIndex] = f.IsRepeated;
                _absent[targetIndex] = f.IsRepeated ? null : Absent(f, message.File, targetType!);
            }

            if (f.Number < _byNumber.Length)
            {
                _byNumber[f.Number] = slot;
            }
            else
            {
                _sparse[f.Number] = slot;
            }
        }
    }

    public static ProtoReadPlan ForMessage(ProtoMessage message, SqlStructType target, string path = "") => new(message, target, path);

    public static ProtoReadPlan ForRow(ProtoMessage message, SerdeSchema columns) =>
        new(message, new SqlStructType([.. columns.Select(c => new SqlField(c.Name, c.Type))]), "");

    /// <summary>Reads a message's bytes into <paramref name="values"/> (one slot per target field).</summary>
    public void Read(ReadOnlySpan<byte> data, Span<object?> values)
    {
        values.Clear();
        Span<bool> seen = _width <= 256 ? stackalloc bool[_width] : new bool[_width];
        var r = new ProtoReader(data);
        while (!r.AtEnd)
        {
            var (number, wireType) = r.ReadTag();
            var slot = number < _byNumber.Length ? _byNumber[number] : _sparse.GetValueOrDefault(number);
            if (slot is null || slot.Target < 0)
            {
                r.Skip(wireType);
                continue;
            }

            var t = slot.Target;
            if (slot.IsMap)
            {
                var map = values[t] as Dictionary<object, object?> ?? new Dictionary<object, object?>();
                values[t] = map;
                var (k, v) = ((MapEntryReader)slot.Reader!).ReadEntry(ref r);
                if (k is not null)
                {
                    map[k] = v;
                }
            }
            else if (slot.IsRepeated)
            {
                var list = values[t] as List<object?> ?? [];
                values[t] = list;
                if (wireType == 2 && slot.Reader!.Packable)
                {
                    var packed = new ProtoReader(r.ReadLengthDelimited());
                    while (!packed.AtEnd)
                    {
                        list.Add(slot.Reader.Read(ref packed, slot.Reader.PackedWireType));
                    }
                }
                else
                {
                    list.Add(slot.Reader!.Read(ref r, wireType));
                }
            }
            else if (slot.OneofType is { } oneofType)
            {
                var members = new object?[oneofType.Fields.Length];
                members[slot.OneofMember] = slot.Reader!.Read(ref r, wireType);
                values[t] = new SqlStruct(oneofType, members);
            }
            else
            {
                values[t] = slot.Reader!.Read(ref r, wireType);
            }

            seen[t] = true;
        }

        for (var i = 0; i < _width; i++)
        {
            if (!seen[i])
            {
                values[i] = _collection[i] ? new List<object?>() : _absent[i] is Dictionary<object, object?> ? new Dictionary<object, object?>() : _absent[i];
            }
        }
    }

    public object Read(ReadOnlySpan<byte> data, SqlStructType type)
    {
        var values = new object?[type.Fields.Length];
        Read(data, values);
        return new SqlStruct(type, values);
    }

    private static int Take(SqlStructType target, string name, bool[] taken)
    {
        var i = FindField(target, name);
        if (i >= 0 && !taken[i])
        {
            taken[i] = true;
            return i;
        }

        return -1;
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

    /// <summary>The value of an absent singular field, as the target type.</summary>
    private static object? Absent(ProtoField f, ProtoFile? file, SqlType target)
    {
        if (f.IsMap)
        {
            return new Dictionary<object, object?>();
        }

        if (f.Message is not null || (file is not null && f.HasPresence(file)) || f.Scalar == ProtoScalar.Bytes)
        {
            return null;
        }

        object natural = f.Enum is { } e ? e.Values.Count > 0 ? e.Values[0].Name : "" : f.Scalar switch
        {
            ProtoScalar.Bool => false,
            ProtoScalar.Int32 or ProtoScalar.SInt32 or ProtoScalar.SFixed32 => 0,
            ProtoScalar.Float or ProtoScalar.Double => 0d,
            ProtoScalar.String => "",
            _ => 0L,
        };
        var naturalType = f.Enum is not null ? SqlTypes.String : ProtobufSchemaTranslator.ScalarType(f.Scalar);
        return naturalType.Equals(target) ? natural : SqlCast.CanCast(naturalType, target) ? SqlCast.CreateConverter(naturalType, target)(natural) : null;
    }

    /// <summary>A reader of one value of a field, converting to the target type.</summary>
    private static ValueReader Value(ProtoField f, SqlType target, string path)
    {
        ValueReader natural;
        SqlType naturalType;
        if (f.Enum is { } e)
        {
            natural = new EnumReader(e);
            naturalType = SqlTypes.String;
        }
        else if (f.Message is { } m)
        {
            if (m.FullName == "confluent.type.Decimal")
            {
                var (precision, scale) = ProtobufSchemaTranslator.DecimalParameters(f);
                natural = new DecimalReader();
                naturalType = SqlTypes.Decimal(precision, scale);
                if (target is SqlDecimalType)
                {
                    return new ConvertReader(natural, SqlCast.CreateConverter(SqlTypes.Decimal(38, Math.Min(scale, 28)), target));
                }
            }
            else if (ProtoWellKnown.WrappedScalar(m) is var wrapped and not ProtoScalar.None)
            {
                natural = new WrapperReader(new ScalarReader(wrapped), wrapped);
                naturalType = ProtobufSchemaTranslator.ScalarType(wrapped);
            }
            else if (ProtobufSchemaTranslator.SpecialType(m) is { } special)
            {
                natural = new TemporalReader(m.FullName);
                naturalType = special;
            }
            else
            {
                if (target is not SqlStructType st)
                {
                    throw new FormatException($"The protobuf message {path} ({m.FullName}) cannot be read as {target}");
                }

                return new MessageReader(ForMessage(m, st, path), st);
            }
        }
        else
        {
            natural = new ScalarReader(f.Scalar);
            naturalType = ProtobufSchemaTranslator.ScalarType(f.Scalar);
        }

        if (naturalType.Equals(target))
        {
            return natural;
        }

        if (!SqlCast.CanCast(naturalType, target))
        {
            throw new FormatException($"The protobuf field {path} ({naturalType}) cannot be read as {target}");
        }

        return new ConvertReader(natural, SqlCast.CreateConverter(naturalType, target));
    }

    private sealed record Slot(int Target, ValueReader? Reader, bool IsRepeated, bool IsMap, int OneofMember, SqlStructType? OneofType);

    internal abstract class ValueReader
    {
        public virtual bool Packable => false;

        public virtual int PackedWireType => 0;

        public abstract object? Read(ref ProtoReader r, int wireType);
    }

    private sealed class ScalarReader(ProtoScalar scalar) : ValueReader
    {
        public override bool Packable => scalar is not (ProtoScalar.String or ProtoScalar.Bytes);

        public override int PackedWireType => scalar switch
        {
            ProtoScalar.Double or ProtoScalar.Fixed64 or ProtoScalar.SFixed64 => 1,
            ProtoScalar.Float or ProtoScalar.Fixed32 or ProtoScalar.SFixed32 => 5,
            _ => 0,
        };

        public override object? Read(ref ProtoReader r, int wireType) => scalar switch
        {
            ProtoScalar.Bool => r.ReadVarint() != 0,
            ProtoScalar.Int32 => (int)r.ReadVarint(),
            ProtoScalar.Int64 => (long)r.ReadVarint(),
            ProtoScalar.UInt32 => (long)(uint)r.ReadVarint(),
            ProtoScalar.UInt64 => (long)r.ReadVarint(),
            ProtoScalar.SInt32 => ZigZag32((uint)r.ReadVarint()),
            ProtoScalar.SInt64 => ZigZag64(r.ReadVarint()),
            ProtoScalar.Fixed32 => (long)r.ReadFixed32(),
            ProtoScalar.SFixed32 => (int)r.ReadFixed32(),
            ProtoScalar.Fixed64 => (long)r.ReadFixed64(),
            ProtoScalar.SFixed64 => (long)r.ReadFixed64(),
            ProtoScalar.Float => (double)BitConverter.Int32BitsToSingle((int)r.ReadFixed32()),
            ProtoScalar.Double => BitConverter.Int64BitsToDouble((long)r.ReadFixed64()),
            ProtoScalar.String => r.ReadString(),
            ProtoScalar.Bytes => r.ReadLengthDelimited().ToArray(),
            _ => throw new FormatException($"Unsupported scalar {scalar}"),
        };

        private static int ZigZag32(uint n) => (int)(n >> 1) ^ -(int)(n & 1);

        private static long ZigZag64(ulong n) => (long)(n >> 1) ^ -(long)(n & 1);
    }

    private sealed class EnumReader(ProtoEnum e) : ValueReader
    {
        public override bool Packable => true;

        public override object? Read(ref ProtoReader r, int wireType)
        {
            var n = (int)r.ReadVarint();
            return e.NameOf(n) ?? n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    private sealed class ConvertReader(ValueReader inner, Func<object?, object?> convert) : ValueReader
    {
        public override bool Packable => inner.Packable;

        public override int PackedWireType => inner.PackedWireType;

        public override object? Read(ref ProtoReader r, int wireType) => convert(inner.Read(ref r, wireType));
    }

    private sealed class MessageReader(ProtoReadPlan plan, SqlStructType type) : ValueReader
    {
        public override object? Read(ref ProtoReader r, int wireType) => plan.Read(r.ReadLengthDelimited(), type);
    }

    private sealed class WrapperReader(ValueReader value, ProtoScalar scalar) : ValueReader
    {
        public override object? Read(ref ProtoReader r, int wireType)
        {
            var inner = new ProtoReader(r.ReadLengthDelimited());
            object? result = null;
            while (!inner.AtEnd)
            {
                var (number, wt) = inner.ReadTag();
                if (number == 1)
                {
                    result = value.Read(ref inner, wt);
                }
                else
                {
                    inner.Skip(wt);
                }
            }

            return result ?? scalar switch
            {
                ProtoScalar.Bool => false,
                ProtoScalar.Int32 => 0,
                ProtoScalar.Float or ProtoScalar.Double => 0d,
                ProtoScalar.String => "",
                ProtoScalar.Bytes => Array.Empty<byte>(),
                _ => 0L,
            };
        }
    }

    private sealed class DecimalReader : ValueReader
    {
        public override object? Read(ref ProtoReader r, int wireType)
        {
            var inner = new ProtoReader(r.ReadLengthDelimited());
            ReadOnlySpan<byte> unscaled = default;
            var scale = 0;
            while (!inner.AtEnd)
            {
                var (number, wt) = inner.ReadTag();
                switch (number)
                {
                    case 1:
                        unscaled = inner.ReadLengthDelimited();
                        break;
                    case 3:
                        scale = (int)inner.ReadVarint();
                        break;
                    default:
                        inner.Skip(wt);
                        break;
                }
            }

            return ProtoValues.FromDecimalBytes(unscaled, scale);
        }
    }

    private sealed class TemporalReader(string fullName) : ValueReader
    {
        public override object? Read(ref ProtoReader r, int wireType)
        {
            var inner = new ProtoReader(r.ReadLengthDelimited());
            Span<long> f = stackalloc long[5];
            while (!inner.AtEnd)
            {
                var (number, wt) = inner.ReadTag();
                if (number is >= 1 and <= 4 && wt == 0)
                {
                    f[number] = (long)inner.ReadVarint();
                }
                else
                {
                    inner.Skip(wt);
                }
            }

            return fullName switch
            {
                "google.protobuf.Timestamp" => ProtoValues.FromTimestamp(f[1], (int)f[2]),
                "google.type.Date" => ProtoValues.FromDate((int)f[1], (int)f[2], (int)f[3]),
                _ => ProtoValues.FromTimeOfDay((int)f[1], (int)f[2], (int)f[3], (int)f[4]),
            };
        }
    }

    internal sealed class MapEntryReader(ValueReader key, ValueReader value) : ValueReader
    {
        public override object? Read(ref ProtoReader r, int wireType) => throw new InvalidOperationException();

        public (object? Key, object? Value) ReadEntry(ref ProtoReader r)
        {
            var inner = new ProtoReader(r.ReadLengthDelimited());
            object? k = null, v = null;
            var hasValue = false;
            while (!inner.AtEnd)
            {
                var (number, wt) = inner.ReadTag();
                switch (number)
                {
                    case 1:
                        k = key.Read(ref inner, wt);
                        break;
                    case 2:
                        v = value.Read(ref inner, wt);
                        hasValue = true;
                        break;
                    default:
                        inner.Skip(wt);
                        break;
                }
            }

            return (k ?? "", hasValue ? v : null);
        }
    }
}
