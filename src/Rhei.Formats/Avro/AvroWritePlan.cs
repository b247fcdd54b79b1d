using System.Collections;
using Avro;
using Rhei.Formats.Conversion;
using Rhei.Formats.Serde;
using Rhei.Formats.Types;

namespace Rhei.Formats.Avro;

/// <summary>
/// Writes SQL values in Avro binary for one Avro schema, compiled once per (schema, SQL type): unions choose their
/// branch by value, records take struct fields by name (exact, then case-insensitive) and fill fields the SQL type
/// lacks with their defaults, maps are written as Avro maps or key/value record arrays as the schema says.
/// A null where the schema has no null is an <see cref="InvalidCastException"/>.
/// </summary>
internal abstract class AvroWritePlan
{
    public abstract void Write(object? value, AvroBinaryWriter w);

    public static AvroWritePlan Compile(Schema schema, SqlType? sql, string path) => schema switch
    {
        UnionSchema u => UnionPlan.Create(u, sql, path),
        RecordSchema r => new RecordPlan(r, sql as SqlStructType, path),
        ArraySchema a when sql is SqlMapType m && AvroSchemaTranslator.IsMapEntry(a.ItemSchema) is { } entry =>
            new MapEntriesPlan(Compile(entry.Fields[0].Schema, m.KeyType, path + ".key"), Compile(entry.Fields[1].Schema, m.ValueType, path + ".value"), path),
        ArraySchema a => new ArrayPlan(Compile(a.ItemSchema, (sql as SqlArrayType)?.ElementType, path + "[]"), path),
        MapSchema m => new MapPlan(Compile(m.ValueSchema, (sql as SqlMapType)?.ValueType, path + "{}"), path),
        LogicalSchema l => LogicalPlan(l, path),
        EnumSchema e => new EnumPlan(e, path),
        FixedSchema f => new FixedPlan(f.Size, null, path),
        _ => new PrimitivePlan(schema.Tag, sql, path),
    };

    private static AvroWritePlan LogicalPlan(LogicalSchema l, string path)
    {
        switch (l.LogicalTypeName)
        {
            case "decimal":
                {
                    var scale = int.TryParse(l.GetProperty("scale")?.Trim('"'), out var s) ? s : 0;
                    return l.BaseSchema is FixedSchema f ? new FixedPlan(f.Size, scale, path) : new DecimalPlan(scale, path);
                }

            case "date":
                return new Int32Plan(static (v, t) => RowValues.ToEpochDays(v, t), SqlTypes.Date, path);
            case "time-millis":
                return new Int32Plan(static (v, t) => RowValues.ToMillisOfDay(v, t), SqlTypes.Time, path);
            case "time-micros":
                return new Int64Plan(static (v, t) => v is TimeOnly time ? time.Ticks / 10 : RowValues.ToInt64(v, t), SqlTypes.Time, path);
            case "timestamp-millis":
            case "local-timestamp-millis":
                return new Int64Plan(static (v, t) => RowValues.ToEpochMillis(v, t), SqlTypes.Timestamp, path);
            case "timestamp-micros":
            case "local-timestamp-micros":
                return new Int64Plan(static (v, t) => v is DateTime dt ? (dt.Ticks - DateTime.UnixEpoch.Ticks) / 10 : RowValues.ToInt64(v, t), SqlTypes.Timestamp, path);
            default:
                return Compile(l.BaseSchema, null, path);
        }
    }

    protected static InvalidCastException NullNotAllowed(string path) =>
        new($"A null value at {Describe(path)} cannot be written: the Avro schema does not allow null there");

    protected static string Describe(string path) => path.Length == 0 ? "the top level" : path;

    private sealed class UnionPlan : AvroWritePlan
    {
        private readonly int _nullIndex;
        private readonly (int Index, AvroWritePlan Plan, Schema.Type Tag)[] _branches;
        private readonly string _path;

        private UnionPlan(int nullIndex, (int, AvroWritePlan, Schema.Type)[] branches, string path)
        {
            _nullIndex = nullIndex;
            _branches = branches;
            _path = path;
        }

        public static AvroWritePlan Create(UnionSchema u, SqlType? sql, string path)
        {
            var nullIndex = -1;
            var branches = new List<(int, AvroWritePlan, Schema.Type)>();
            for (var i = 0; i < u.Schemas.Count; i++)
            {
                var b = u.Schemas[i];
                if (b.Tag == Schema.Type.Null)
                {
                    nullIndex = i;
                    continue;
                }

                branches.Add((i, Compile(b, sql, path), b is LogicalSchema l ? l.BaseSchema.Tag : b.Tag));
            }

            return new UnionPlan(nullIndex, [.. branches], path);
        }

        public override void Write(object? value, AvroBinaryWriter w)
        {
            if (value is null)
            {
                if (_nullIndex < 0)
                {
                    throw NullNotAllowed(_path);
                }

                w.WriteLong(_nullIndex);
                return;
            }

            var branch = _branches.Length == 1 ? _branches[0] : Choose(value);
            w.WriteLong(branch.Index);
            branch.Plan.Write(value, w);
        }

        private (int Index, AvroWritePlan Plan, Schema.Type Tag) Choose(object value)
        {
            foreach (var b in _branches)
            {
                var fits = (value, b.Tag) switch
                {
                    (bool, Schema.Type.Boolean) => true,
                    (int, Schema.Type.Int or Schema.Type.Long) => true,
                    (long, Schema.Type.Long) => true,
                    (double, Schema.Type.Double or Schema.Type.Float) => true,
                    (string, Schema.Type.String or Schema.Type.Enumeration) => true,
                    (byte[], Schema.Type.Bytes or Schema.Type.Fixed) => true,
                    (decimal, Schema.Type.Bytes or Schema.Type.Fixed) => true,
                    (DateOnly or TimeOnly, Schema.Type.Int) => true,
                    (DateTime, Schema.Type.Long) => true,
                    (IList, Schema.Type.Array) => true,
                    (IDictionary, Schema.Type.Map or Schema.Type.Array) => true,
                    (SqlStruct, Schema.Type.Record) => true,
                    _ => false,
                };
                if (fits)
                {
                    return b;
                }
            }

            return _branches[0];
        }
    }

    private sealed class RecordPlan : AvroWritePlan
    {
        private readonly string[] _names;
        private readonly AvroWritePlan?[] _plans;
        private readonly byte[]?[] _defaults;
        private readonly int[] _sourceIndexes;
        private readonly SqlStructType? _sql;
        private readonly string _path;

        public RecordPlan(RecordSchema record, SqlStructType? sql, string path)
        {
            _sql = sql;
            _path = path;
            var n = record.Fields.Count;
            _names = new string[n];
            _plans = new AvroWritePlan?[n];
            _defaults = new byte[]?[n];
            _sourceIndexes = new int[n];
            for (var i = 0; i < n; i++)
            {
                var f = record.Fields[i];
                _names[i] = f.Name;
                var index = sql is null ? -1 : FindField(sql.Fields.Select(x => x.Name), f.Name);
                _sourceIndexes[i] = index;
                _plans[i] = Compile(f.Schema, index >= 0 ? sql!.Fields[index].Type : null, Join(path, f.Name));
                if (f.DefaultValue is not null)
                {
                    _defaults[i] = AvroDefaults.Encode(f.Schema, f.DefaultValue);
                }
            }
        }

        /// <summary>The source field for an Avro field: the same name, else the first equal ignoring case; -1 when none.</summary>
        public static int FindField(IEnumerable<string> names, string avroName)
        {
            var list = names as IList<string> ?? [.. names];
            for (var i = 0; i < list.Count; i++)
            {
                if (list[i] == avroName)
                {
                    return i;
                }
            }

            for (var i = 0; i < list.Count; i++)
            {
                if (string.Equals(list[i], avroName, StringComparison.OrdinalIgnoreCase))
                {
                    return i;
                }
            }

            return -1;
        }

        public override void Write(object? value, AvroBinaryWriter w)
        {
            if (value is not SqlStruct st)
            {
                throw value is null ? NullNotAllowed(_path) : new InvalidCastException($"Value of type {value.GetType().Name} is not a STRUCT at {Describe(_path)}");
            }

            var sameShape = _sql is not null && (ReferenceEquals(st.Type, _sql) || st.Type.Equals(_sql));
            for (var i = 0; i < _plans.Length; i++)
            {
                var source = _sourceIndexes[i];
                if (sameShape && source >= 0)
                {
                    _plans[i]!.Write(st[source], w);
                }
                else if (!sameShape && FindField(st.Type.Fields.Select(f => f.Name), _names[i]) is >= 0 and var other)
                {
                    _plans[i]!.Write(st[other], w);
                }
                else
                {
                    WriteDefault(i, w);
                }
            }
        }

        public void WriteRow(ReadOnlySpan<object?> row, int[] columnIndexes, AvroBinaryWriter w)
        {
            for (var i = 0; i < _plans.Length; i++)
            {
                var source = columnIndexes[i];
                if (source >= 0)
                {
                    _plans[i]!.Write(row[source], w);
                }
                else
                {
                    WriteDefault(i, w);
                }
            }
        }

        public string[] FieldNames => _names;

        private void WriteDefault(int i, AvroBinaryWriter w)
        {
            var d = _defaults[i] ?? throw new InvalidCastException(
                $"The Avro field {Join(_path, _names[i])} has no value and no default");
            w.WriteFixed(d);
        }
    }

    /// <summary>Writes a row (column values) as a record of the schema: columns matched to fields by name.</summary>
    public sealed class RowRecordPlan
    {
        private readonly RecordPlan _record;
        private readonly int[] _columnIndexes;

        public RowRecordPlan(RecordSchema record, SerdeSchema columns)
        {
            var sql = new SqlStructType([.. columns.Select(c => new SqlField(c.Name, c.Type))]);
            _record = new RecordPlan(record, sql, "");
            _columnIndexes = [.. _record.FieldNames.Select(n => RecordPlan.FindField(columns.Select(c => c.Name), n))];
        }

        public void Write(ReadOnlySpan<object?> row, AvroBinaryWriter w) => _record.WriteRow(row, _columnIndexes, w);
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;

    private sealed class ArrayPlan(AvroWritePlan items, string path) : AvroWritePlan
    {
        public override void Write(object? value, AvroBinaryWriter w)
        {
            if (value is not IList list)
            {
                throw value is null ? NullNotAllowed(path) : new InvalidCastException($"Value of type {value.GetType().Name} is not an ARRAY at {Describe(path)}");
            }

            if (list.Count > 0)
            {
                w.WriteLong(list.Count);
                for (var i = 0; i < list.Count; i++)
                {
                    items.Write(list[i], w);
                }
            }

            w.WriteLong(0);
        }
    }

    private sealed class MapPlan(AvroWritePlan values, string path) : AvroWritePlan
    {
        public override void Write(object? value, AvroBinaryWriter w)
        {
            if (value is not IDictionary map)
            {
                throw value is null ? NullNotAllowed(path) : new InvalidCastException($"Value of type {value.GetType().Name} is not a MAP at {Describe(path)}");
            }

            if (map.Count > 0)
            {
                w.WriteLong(map.Count);
                foreach (DictionaryEntry e in map)
                {
                    w.WriteString(e.Key as string ?? SqlValueText.ToSqlString(e.Key) ?? "");
                    values.Write(e.Value, w);
                }
            }

            w.WriteLong(0);
        }
    }

    private sealed class MapEntriesPlan(AvroWritePlan keys, AvroWritePlan values, string path) : AvroWritePlan
    {
        public override void Write(object? value, AvroBinaryWriter w)
        {
            if (value is not IDictionary map)
            {
                throw value is null ? NullNotAllowed(path) : new InvalidCastException($"Value of type {value.GetType().Name} is not a MAP at {Describe(path)}");
            }

            if (map.Count > 0)
            {
                w.WriteLong(map.Count);
                foreach (DictionaryEntry e in map)
                {
                    keys.Write(e.Key, w);
                    values.Write(e.Value, w);
                }
            }

            w.WriteLong(0);
        }
    }

    private sealed class EnumPlan(EnumSchema schema, string path) : AvroWritePlan
    {
        public override void Write(object? value, AvroBinaryWriter w)
        {
            if (value is not string symbol)
            {
                throw value is null ? NullNotAllowed(path) : new InvalidCastException($"Value of type {value.GetType().Name} is not a STRING at {Describe(path)}");
            }

            if (!schema.Contains(symbol))
            {
                throw new InvalidCastException($"'{symbol}' is not a symbol of the enum {schema.Fullname} at {Describe(path)}");
            }

            w.WriteInt(schema.Ordinal(symbol));
        }
    }

    private sealed class FixedPlan(int size, int? decimalScale, string path) : AvroWritePlan
    {
        public override void Write(object? value, AvroBinaryWriter w)
        {
            if (value is null)
            {
                throw NullNotAllowed(path);
            }

            var bytes = decimalScale is { } scale
                ? AvroDecimals.ToFixed(RowValues.ToDecimal(value, SqlTypes.Decimal(38, scale)), scale, size)
                : RowValues.ToBytes(value, SqlTypes.Bytes);
            if (bytes.Length != size)
            {
                throw new InvalidCastException($"A fixed of {size} bytes cannot hold {bytes.Length} bytes at {Describe(path)}");
            }

            w.WriteFixed(bytes);
        }
    }

    private sealed class DecimalPlan(int scale, string path) : AvroWritePlan
    {
        public override void Write(object? value, AvroBinaryWriter w)
        {
            if (value is null)
            {
                throw NullNotAllowed(path);
            }

            w.WriteBytes(AvroDecimals.ToBytes(RowValues.ToDecimal(value, SqlTypes.Decimal(38, scale)), scale));
        }
    }

    private sealed class Int32Plan(Func<object, SqlType, int> convert, SqlType type, string path) : AvroWritePlan
    {
        public override void Write(object? value, AvroBinaryWriter w) =>
            w.WriteInt(convert(value ?? throw NullNotAllowed(path), type));
    }

    private sealed class Int64Plan(Func<object, SqlType, long> convert, SqlType type, string path) : AvroWritePlan
    {
        public override void Write(object? value, AvroBinaryWriter w) =>
            w.WriteLong(convert(value ?? throw NullNotAllowed(path), type));
    }

    private sealed class PrimitivePlan(Schema.Type tag, SqlType? sql, string path) : AvroWritePlan
    {
        private readonly SqlType _type = sql ?? SqlTypes.String;

        public override void Write(object? value, AvroBinaryWriter w)
        {
            if (tag == Schema.Type.Null)
            {
                if (value is not null)
                {
                    throw new InvalidCastException($"Only null can be written at {Describe(path)}");
                }

                return;
            }

            if (value is null)
            {
                throw NullNotAllowed(path);
            }

            switch (tag)
            {
                case Schema.Type.Boolean:
                    w.WriteBoolean(RowValues.ToBoolean(value, _type));
                    break;
                case Schema.Type.Int:
                    w.WriteInt(value switch
                    {
                        DateOnly d => TemporalValues.ToEpochDays(d),
                        TimeOnly t => TemporalValues.ToMillisOfDay(t),
                        _ => RowValues.ToInt32(value, _type),
                    });
                    break;
                case Schema.Type.Long:
                    w.WriteLong(value is DateTime dt ? TemporalValues.ToEpochMillis(dt) : RowValues.ToInt64(value, _type));
                    break;
                case Schema.Type.Float:
                    w.WriteFloat((float)RowValues.ToDouble(value, _type));
                    break;
                case Schema.Type.Double:
                    w.WriteDouble(RowValues.ToDouble(value, _type));
                    break;
                case Schema.Type.String:
                    w.WriteString(value as string ?? SqlValueText.ToSqlString(value) ?? "");
                    break;
                case Schema.Type.Bytes:
                    w.WriteBytes(value is string s ? System.Text.Encoding.UTF8.GetBytes(s) : RowValues.ToBytes(value, _type));
                    break;
                default:
                    throw new InvalidCastException($"The Avro type {tag} cannot be written at {Describe(path)}");
            }
        }
    }
}
