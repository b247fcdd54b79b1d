using Avro;
using Rhei.Formats.Conversion;
using Rhei.Formats.Serde;
using Rhei.Formats.Types;

namespace Rhei.Formats.Avro;

/// <summary>
/// Reads Avro binary written with one (writer) schema into SQL values of a target type, compiled once per
/// (writer schema, target type): record fields are matched to struct fields by name (exact, then ignoring case) and
/// the others skipped; values are converted to the target type as CAST would (int into STRING, float into DOUBLE,
/// ...); arrays of key/value records read as MAPs; unions of null and one type read as that type, other unions as a
/// STRUCT of their branches.
/// </summary>
internal abstract class AvroReadPlan
{
    public abstract object? Read(ref AvroBinaryReader r);

    /// <exception cref="FormatException">The writer type cannot be read as the target type.</exception>
    public static AvroReadPlan Compile(Schema writer, SqlType? target, string path)
    {
        if (target is null)
        {
            return Skip(writer);
        }

        switch (writer)
        {
            case UnionSchema u:
                return CompileUnion(u, target, path);
            case RecordSchema r when target is SqlStructType st:
                return new RecordPlan(r, st, path);
            case ArraySchema a when target is SqlMapType m && AvroSchemaTranslator.IsMapEntry(a.ItemSchema) is { } entry:
                return new MapEntriesPlan(Compile(entry.Fields[0].Schema, m.KeyType, path + ".key"), Compile(entry.Fields[1].Schema, m.ValueType, path + ".value"));
            case ArraySchema a when target is SqlArrayType at:
                return new ArrayPlan(Compile(a.ItemSchema, at.ElementType, path + "[]"));
            case MapSchema m when target is SqlMapType mt:
                return new MapPlan(Compile(m.ValueSchema, mt.ValueType, path + "{}"), Converter(SqlTypes.String, mt.KeyType, path));
        }

        var (natural, read) = Natural(writer, path);
        if (natural.Equals(target))
        {
            return read;
        }

        if (!SqlCast.CanCast(natural, target))
        {
            throw new FormatException($"The Avro type at {Describe(path)} ({natural}) cannot be read as {target}");
        }

        return new ConvertPlan(read, SqlCast.CreateConverter(natural, target));
    }

    private static AvroReadPlan CompileUnion(UnionSchema u, SqlType target, string path)
    {
        var nonNull = u.Schemas.Where(b => b.Tag != Schema.Type.Null).ToList();
        var plans = new AvroReadPlan[u.Schemas.Count];
        var asStruct = nonNull.Count > 1 && target is SqlStructType st && nonNull.All(b => FindField(st, AvroSchemaTranslator.UnionBranchName(b, preserve: true)) >= 0);
        for (var i = 0; i < u.Schemas.Count; i++)
        {
            var b = u.Schemas[i];
            if (b.Tag == Schema.Type.Null)
            {
                plans[i] = NullPlan.Instance;
            }
            else if (asStruct)
            {
                var structType = (SqlStructType)target;
                var field = FindField(structType, AvroSchemaTranslator.UnionBranchName(b, preserve: true));
                plans[i] = new UnionBranchStructPlan(Compile(b, structType.Fields[field].Type, path), structType, field);
            }
            else
            {
                plans[i] = Compile(b, target, path);
            }
        }

        return new UnionPlan(plans);
    }

    private static (SqlType Type, AvroReadPlan Plan) Natural(Schema writer, string path)
    {
        switch (writer)
        {
            case LogicalSchema l:
                switch (l.LogicalTypeName)
                {
                    case "decimal":
                        {
                            var scale = int.TryParse(l.GetProperty("scale")?.Trim('"'), out var s) ? s : 0;
                            var precision = int.TryParse(l.GetProperty("precision")?.Trim('"'), out var p) ? p : 38;
                            var type = SqlTypes.Decimal(precision, scale);
                            return (type, l.BaseSchema is FixedSchema f ? new FixedDecimalPlan(f.Size, scale) : new DecimalPlan(scale));
                        }

                    case "date":
                        return (SqlTypes.Date, new DatePlan());
                    case "time-millis":
                        return (SqlTypes.Time, new TimeMillisPlan());
                    case "timestamp-millis" or "local-timestamp-millis":
                        return (SqlTypes.Timestamp, new TimestampMillisPlan());
                    default:
                        return Natural(l.BaseSchema, path);
                }

            case EnumSchema e:
                return (SqlTypes.String, new EnumPlan([.. e.Symbols]));
            case FixedSchema f:
                return (SqlTypes.Bytes, new FixedPlan(f.Size));
            case RecordSchema or ArraySchema or MapSchema or UnionSchema:
                throw new FormatException($"The Avro {writer.Tag.ToString().ToUpperInvariant()} at {Describe(path)} cannot be read as a primitive column");
        }

        return writer.Tag switch
        {
            Schema.Type.Boolean => (SqlTypes.Boolean, new BooleanPlan()),
            Schema.Type.Int => (SqlTypes.Integer, new IntPlan()),
            Schema.Type.Long => (SqlTypes.BigInt, new LongPlan()),
            Schema.Type.Float => (SqlTypes.Double, new FloatPlan()),
            Schema.Type.Double => (SqlTypes.Double, new DoublePlan()),
            Schema.Type.String => (SqlTypes.String, new StringPlan()),
            Schema.Type.Bytes => (SqlTypes.Bytes, new BytesPlan()),
            Schema.Type.Null => (SqlTypes.String, NullPlan.Instance),
            _ => throw new FormatException($"The Avro type {writer.Tag} at {Describe(path)} is not supported"),
        };
    }

    private static Func<object?, object?>? Converter(SqlType from, SqlType to, string path)
    {
        if (from.Equals(to))
        {
            return null;
        }

        if (!SqlCast.CanCast(from, to))
        {
            throw new FormatException($"The Avro map keys at {Describe(path)} cannot be read as {to}");
        }

        return SqlCast.CreateConverter(from, to);
    }

    /// <summary>A plan that reads and discards a value of the writer schema.</summary>
    public static AvroReadPlan Skip(Schema writer) => writer switch
    {
        UnionSchema u => new UnionPlan([.. u.Schemas.Select(Skip)]),
        RecordSchema r => new SkipRecordPlan([.. r.Fields.Select(f => Skip(f.Schema))]),
        ArraySchema a => new SkipArrayPlan(Skip(a.ItemSchema), isMap: false),
        MapSchema m => new SkipArrayPlan(Skip(m.ValueSchema), isMap: true),
        LogicalSchema l => Skip(l.BaseSchema),
        FixedSchema f => new FixedPlan(f.Size),
        EnumSchema => new SkipVarintPlan(),
        _ => writer.Tag switch
        {
            Schema.Type.Null => NullPlan.Instance,
            Schema.Type.Boolean => new SkipBytesPlan(1),
            Schema.Type.Int or Schema.Type.Long => new SkipVarintPlan(),
            Schema.Type.Float => new SkipBytesPlan(4),
            Schema.Type.Double => new SkipBytesPlan(8),
            _ => new SkipLengthPlan(),
        },
    };

    internal static int FindField(SqlStructType type, string name)
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

    private static string Describe(string path) => path.Length == 0 ? "the top level" : path;

    /// <summary>Reads a record into a row: each writer field into the column it matches (by name), others skipped.</summary>
    public sealed class RowPlan
    {
        private readonly AvroReadPlan[] _fields;
        private readonly int[] _columns;

        public RowPlan(RecordSchema writer, SerdeSchema columns)
        {
            var target = new SqlStructType([.. columns.Select(c => new SqlField(c.Name, c.Type))]);
            _fields = new AvroReadPlan[writer.Fields.Count];
            _columns = new int[writer.Fields.Count];
            var taken = new bool[columns.Count];
            for (var i = 0; i < writer.Fields.Count; i++)
            {
                var f = writer.Fields[i];
                var column = FindField(target, f.Name);
                if (column >= 0 && taken[column])
                {
                    column = -1;
                }

                _columns[i] = column;
                if (column >= 0)
                {
                    taken[column] = true;
                }

                _fields[i] = Compile(f.Schema, column >= 0 ? columns[column].Type : null, f.Name);
            }
        }

        public void Read(ref AvroBinaryReader r, Span<object?> row)
        {
            row.Clear();
            for (var i = 0; i < _fields.Length; i++)
            {
                var value = _fields[i].Read(ref r);
                if (_columns[i] >= 0)
                {
                    row[_columns[i]] = value;
                }
            }
        }
    }

    private sealed class RecordPlan : AvroReadPlan
    {
        private readonly AvroReadPlan[] _fields;
        private readonly int[] _targets;
        private readonly SqlStructType _type;

        public RecordPlan(RecordSchema writer, SqlStructType target, string path)
        {
            _type = target;
            _fields = new AvroReadPlan[writer.Fields.Count];
            _targets = new int[writer.Fields.Count];
            var taken = new bool[target.Fields.Length];
            for (var i = 0; i < writer.Fields.Count; i++)
            {
                var f = writer.Fields[i];
                var t = FindField(target, f.Name);
                if (t >= 0 && taken[t])
                {
                    t = -1;
                }

                if (t >= 0)
                {
                    taken[t] = true;
                }

                _targets[i] = t;
                _fields[i] = Compile(f.Schema, t >= 0 ? target.Fields[t].Type : null, path.Length == 0 ? f.Name : path + "." + f.Name);
            }
        }

        public override object? Read(ref AvroBinaryReader r)
        {
            var values = new object?[_type.Fields.Length];
            for (var i = 0; i < _fields.Length; i++)
            {
                var v = _fields[i].Read(ref r);
                if (_targets[i] >= 0)
                {
                    values[_targets[i]] = v;
                }
            }

            return new SqlStruct(_type, values);
        }
    }

    private sealed class UnionPlan(AvroReadPlan[] branches) : AvroReadPlan
    {
        public override object? Read(ref AvroBinaryReader r)
        {
            var index = r.ReadLong();
            if (index < 0 || index >= branches.Length)
            {
                throw new FormatException($"Union branch {index} does not exist");
            }

            return branches[index].Read(ref r);
        }
    }

    private sealed class UnionBranchStructPlan(AvroReadPlan branch, SqlStructType type, int field) : AvroReadPlan
    {
        public override object? Read(ref AvroBinaryReader r)
        {
            var values = new object?[type.Fields.Length];
            values[field] = branch.Read(ref r);
            return new SqlStruct(type, values);
        }
    }

    private sealed class ArrayPlan(AvroReadPlan items) : AvroReadPlan
    {
        public override object? Read(ref AvroBinaryReader r)
        {
            var list = new List<object?>();
            while (true)
            {
                var count = r.ReadLong();
                if (count == 0)
                {
                    return list;
                }

                if (count < 0)
                {
                    count = -count;
                    r.ReadLong(); // block size in bytes
                }

                for (var i = 0; i < count; i++)
                {
                    list.Add(items.Read(ref r));
                }
            }
        }
    }

    private sealed class MapPlan(AvroReadPlan values, Func<object?, object?>? key) : AvroReadPlan
    {
        public override object? Read(ref AvroBinaryReader r)
        {
            var map = new Dictionary<object, object?>();
            while (true)
            {
                var count = r.ReadLong();
                if (count == 0)
                {
                    return map;
                }

                if (count < 0)
                {
                    count = -count;
                    r.ReadLong();
                }

                for (var i = 0; i < count; i++)
                {
                    object k = r.ReadString();
                    if (key is not null)
                    {
                        k = key(k) ?? throw new FormatException("A map key converted to null");
                    }

                    map[k] = values.Read(ref r);
                }
            }
        }
    }

    private sealed class MapEntriesPlan(AvroReadPlan keys, AvroReadPlan values) : AvroReadPlan
    {
        public override object? Read(ref AvroBinaryReader r)
        {
            var map = new Dictionary<object, object?>();
            while (true)
            {
                var count = r.ReadLong();
                if (count == 0)
                {
                    return map;
                }

                if (count < 0)
                {
                    count = -count;
                    r.ReadLong();
                }

                for (var i = 0; i < count; i++)
                {
                    var k = keys.Read(ref r);
                    var v = values.Read(ref r);
                    if (k is not null)
                    {
                        map[k] = v;
                    }
                }
            }
        }
    }

    private sealed class ConvertPlan(AvroReadPlan inner, Func<object?, object?> convert) : AvroReadPlan
    {
        public override object? Read(ref AvroBinaryReader r) => convert(inner.Read(ref r));
    }

    private sealed class NullPlan : AvroReadPlan
    {
        public static readonly NullPlan Instance = new();

        public override object? Read(ref AvroBinaryReader r) => null;
    }

    private sealed class BooleanPlan : AvroReadPlan
    {
        public override object? Read(ref AvroBinaryReader r) => r.ReadBoolean();
    }

    private sealed class IntPlan : AvroReadPlan
    {
        public override object? Read(ref AvroBinaryReader r) => r.ReadInt();
    }

    private sealed class LongPlan : AvroReadPlan
    {
        public override object? Read(ref AvroBinaryReader r) => r.ReadLong();
    }

    private sealed class FloatPlan : AvroReadPlan
    {
        public override object? Read(ref AvroBinaryReader r) => (double)r.ReadFloat();
    }

    private sealed class DoublePlan : AvroReadPlan
    {
        public override object? Read(ref AvroBinaryReader r) => r.ReadDouble();
    }

    private sealed class StringPlan : AvroReadPlan
    {
        public override object? Read(ref AvroBinaryReader r) => r.ReadString();
    }

    private sealed class BytesPlan : AvroReadPlan
    {
        public override object? Read(ref AvroBinaryReader r) => r.ReadBytes().ToArray();
    }

    private sealed class FixedPlan(int size) : AvroReadPlan
    {
        public override object? Read(ref AvroBinaryReader r) => r.ReadFixed(size).ToArray();
    }

    private sealed class EnumPlan(string[] symbols) : AvroReadPlan
    {
        public override object? Read(ref AvroBinaryReader r)
        {
            var i = r.ReadInt();
            return (uint)i < (uint)symbols.Length ? symbols[i] : throw new FormatException($"Enum index {i} out of range");
        }
    }

    private sealed class DecimalPlan(int scale) : AvroReadPlan
    {
        public override object? Read(ref AvroBinaryReader r) => AvroDecimals.FromBytes(r.ReadBytes(), scale);
    }

    private sealed class FixedDecimalPlan(int size, int scale) : AvroReadPlan
    {
        public override object? Read(ref AvroBinaryReader r) => AvroDecimals.FromBytes(r.ReadFixed(size), scale);
    }

    private sealed class DatePlan : AvroReadPlan
    {
        public override object? Read(ref AvroBinaryReader r) => TemporalValues.DateFromEpochDays(r.ReadInt());
    }

    private sealed class TimeMillisPlan : AvroReadPlan
    {
        public override object? Read(ref AvroBinaryReader r) => TemporalValues.TimeFromMillis(r.ReadInt());
    }

    private sealed class TimestampMillisPlan : AvroReadPlan
    {
        public override object? Read(ref AvroBinaryReader r) => TemporalValues.TimestampFromMillis(r.ReadLong());
    }

    private sealed class SkipRecordPlan(AvroReadPlan[] fields) : AvroReadPlan
    {
        public override object? Read(ref AvroBinaryReader r)
        {
            foreach (var f in fields)
            {
                f.Read(ref r);
            }

            return null;
        }
    }

    private sealed class SkipArrayPlan(AvroReadPlan items, bool isMap) : AvroReadPlan
    {
        public override object? Read(ref AvroBinaryReader r)
        {
            while (true)
            {
                var count = r.ReadLong();
                if (count == 0)
                {
                    return null;
                }

                if (count < 0)
                {
                    count = -count;
                    r.ReadLong();
                }

                for (var i = 0; i < count; i++)
                {
                    if (isMap)
                    {
                        r.SkipBytes();
                    }

                    items.Read(ref r);
                }
            }
        }
    }

    private sealed class SkipVarintPlan : AvroReadPlan
    {
        public override object? Read(ref AvroBinaryReader r)
        {
            r.ReadLong();
            return null;
        }
    }

    private sealed class SkipBytesPlan(int count) : AvroReadPlan
    {
        public override object? Read(ref AvroBinaryReader r)
        {
            r.ReadFixed(count);
            return null;
        }
    }

    private sealed class SkipLengthPlan : AvroReadPlan
    {
        public override object? Read(ref AvroBinaryReader r)
        {
            r.SkipBytes();
            return null;
        }
    }
}
