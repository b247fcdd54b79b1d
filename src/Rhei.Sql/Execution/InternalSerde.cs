using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Rhei.Formats.Types;
using Rhei.Streams;

namespace Rhei.Sql.Execution;

/// <summary>
/// The serde of a query's internal topics and stores (repartition topics, changelogs) for values: a compact binary
/// encoding of every SQL type, driven by the column types, so that any intermediate row round-trips exactly
/// (decimals keep their scale, maps keep non-string keys, structs their field types).
/// </summary>
public static class InternalSerde
{
    public static Serde<object?[]> Row(IReadOnlyList<SqlType> types)
    {
        var typeArray = types.ToArray();
        return new Serde<object?[]>(
            (row, _) =>
            {
                if (row is null)
                {
                    return null;
                }

                var w = new ArrayBufferWriter<byte>(64);
                WriteRow(w, typeArray, row);
                return w.WrittenSpan.ToArray();
            },
            (data, isNull, _) =>
            {
                if (isNull)
                {
                    return null!;
                }

                var pos = 0;
                return ReadRow(data, ref pos, typeArray);
            });
    }

    public static Serde<GenericKey> Key(IReadOnlyList<SqlType> types)
    {
        var row = Row(types);
        return new Serde<GenericKey>(
            (key, topic) => key is null ? null : types.Count == 0 ? null : row.Serialize(key.ToArray(), topic),
            (data, isNull, topic) => isNull || types.Count == 0 ? (types.Count == 0 ? GenericKey.Empty : new GenericKey(new object?[types.Count])) : new GenericKey(row.Deserialize(data, false, topic)));
    }

    private static void WriteRow(ArrayBufferWriter<byte> w, SqlType[] types, object?[] row)
    {
        WriteInt(w, row.Length);
        for (var i = 0; i < row.Length; i++)
        {
            Write(w, i < types.Length ? types[i] : null, row[i]);
        }
    }

    private static object?[] ReadRow(ReadOnlySpan<byte> data, ref int pos, SqlType[] types)
    {
        var n = ReadInt(data, ref pos);
        var row = new object?[n];
        for (var i = 0; i < n; i++)
        {
            row[i] = Read(data, ref pos, i < types.Length ? types[i] : null);
        }

        return row;
    }

    private static void Write(ArrayBufferWriter<byte> w, SqlType? type, object? value)
    {
        if (value is null)
        {
            w.Write([(byte)0]);
            return;
        }

        switch (value)
        {
            case bool b:
                w.Write([(byte)1, b ? (byte)1 : (byte)0]);
                break;
            case int i:
                w.Write([(byte)2]);
                WriteInt(w, i);
                break;
            case long l:
                w.Write([(byte)3]);
                WriteLong(w, l);
                break;
            case double d:
                w.Write([(byte)4]);
                WriteLong(w, BitConverter.DoubleToInt64Bits(d));
                break;
            case decimal m:
                w.Write([(byte)5]);
                WriteString(w, m.ToString(CultureInfo.InvariantCulture));
                break;
            case string s:
                w.Write([(byte)6]);
                WriteString(w, s);
                break;
            case byte[] bytes:
                w.Write([(byte)7]);
                WriteInt(w, bytes.Length);
                w.Write(bytes);
                break;
            case DateOnly date:
                w.Write([(byte)8]);
                WriteInt(w, date.DayNumber);
                break;
            case TimeOnly time:
                w.Write([(byte)9]);
                WriteLong(w, time.Ticks);
                break;
            case DateTime ts:
                w.Write([(byte)10]);
                WriteLong(w, ts.Ticks);
                break;
            case List<object?> list:
                {
                    w.Write([(byte)11]);
                    WriteInt(w, list.Count);
                    var element = (type as SqlArrayType)?.ElementType;
                    foreach (var e in list)
                    {
                        Write(w, element, e);
                    }

                    break;
                }

            case Dictionary<object, object?> map:
                {
                    w.Write([(byte)12]);
                    WriteInt(w, map.Count);
                    var mt = type as SqlMapType;
                    foreach (var (k, v) in map)
                    {
                        Write(w, mt?.KeyType, k);
                        Write(w, mt?.ValueType, v);
                    }

                    break;
                }

            case SqlStruct st:
                {
                    w.Write([(byte)13]);
                    WriteString(w, SerializeStructType(st.Type));
                    WriteInt(w, st.Values.Count);
                    for (var i = 0; i < st.Values.Count; i++)
                    {
                        Write(w, st.Type.Fields[i].Type, st.Values[i]);
                    }

                    break;
                }

            case object?[] nested:
                w.Write([(byte)14]);
                WriteRow(w, [], nested);
                break;
            default:
                throw new InvalidCastException($"Cannot serialize a {value.GetType().Name} in an internal topic.");
        }
    }

    private static object? Read(ReadOnlySpan<byte> data, ref int pos, SqlType? type)
    {
        var tag = data[pos++];
        switch (tag)
        {
            case 0:
                return null;
            case 1:
                return data[pos++] != 0;
            case 2:
                return ReadInt(data, ref pos);
            case 3:
                return ReadLong(data, ref pos);
            case 4:
                return BitConverter.Int64BitsToDouble(ReadLong(data, ref pos));
            case 5:
                return decimal.Parse(ReadString(data, ref pos), NumberStyles.Number, CultureInfo.InvariantCulture);
            case 6:
                return ReadString(data, ref pos);
            case 7:
                {
                    var n = ReadInt(data, ref pos);
                    var b = data.Slice(pos, n).ToArray();
                    pos += n;
                    return b;
                }

            case 8:
                return DateOnly.FromDayNumber(ReadInt(data, ref pos));
            case 9:
                return new TimeOnly(ReadLong(data, ref pos));
            case 10:
                return new DateTime(ReadLong(data, ref pos), DateTimeKind.Utc);
            case 11:
                {
                    var n = ReadInt(data, ref pos);
                    var element = (type as SqlArrayType)?.ElementType;
                    var list = new List<object?>(n);
                    for (var i = 0; i < n; i++)
                    {
                        list.Add(Read(data, ref pos, element));
                    }

                    return list;
                }

            case 12:
                {
                    var n = ReadInt(data, ref pos);
                    var mt = type as SqlMapType;
                    var map = new Dictionary<object, object?>(n, SqlValueComparer.Instance!);
                    for (var i = 0; i < n; i++)
                    {
                        var k = Read(data, ref pos, mt?.KeyType)!;
                        map[k] = Read(data, ref pos, mt?.ValueType);
                    }

                    return map;
                }

            case 13:
                {
                    var st = (SqlStructType)StructTypes.GetOrAdd(ReadString(data, ref pos), ParseStructType);
                    var n = ReadInt(data, ref pos);
                    var values = new object?[n];
                    for (var i = 0; i < n; i++)
                    {
                        values[i] = Read(data, ref pos, st.Fields[i].Type);
                    }

                    return new SqlStruct(st, values);
                }

            case 14:
                return ReadRow(data, ref pos, []);
            default:
                throw new FormatException($"Unknown value tag {tag} in an internal topic record.");
        }
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, SqlType> StructTypes = new(StringComparer.Ordinal);
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<SqlStructType, string> StructTexts = new();

    private static string SerializeStructType(SqlStructType type) => StructTexts.GetOrAdd(type, t =>
    {
        var text = t.ToString();
        StructTypes.TryAdd(text, t);
        return text;
    });

    private static SqlType ParseStructType(string text) =>
        throw new FormatException($"Unknown struct type {text} in an internal topic record (written by another process).");

    private static void WriteInt(ArrayBufferWriter<byte> w, int v)
    {
        BinaryPrimitives.WriteInt32BigEndian(w.GetSpan(4), v);
        w.Advance(4);
    }

    private static void WriteLong(ArrayBufferWriter<byte> w, long v)
    {
        BinaryPrimitives.WriteInt64BigEndian(w.GetSpan(8), v);
        w.Advance(8);
    }

    private static void WriteString(ArrayBufferWriter<byte> w, string s)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        WriteInt(w, bytes.Length);
        w.Write(bytes);
    }

    private static int ReadInt(ReadOnlySpan<byte> d, ref int pos)
    {
        var v = BinaryPrimitives.ReadInt32BigEndian(d[pos..]);
        pos += 4;
        return v;
    }

    private static long ReadLong(ReadOnlySpan<byte> d, ref int pos)
    {
        var v = BinaryPrimitives.ReadInt64BigEndian(d[pos..]);
        pos += 8;
        return v;
    }

    private static string ReadString(ReadOnlySpan<byte> d, ref int pos)
    {
        var n = ReadInt(d, ref pos);
        var s = Encoding.UTF8.GetString(d.Slice(pos, n));
        pos += n;
        return s;
    }
}
