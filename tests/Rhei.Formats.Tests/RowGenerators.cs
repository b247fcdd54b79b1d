using System.Collections.Immutable;
using CsCheck;
using Rhei.Formats.Serde;
using Rhei.Formats.Types;

namespace Rhei.Formats.Tests;

/// <summary>CsCheck generators of SQL types, schemas and rows of values of those types.</summary>
internal static class RowGenerators
{
    private static readonly string[] Pieces = ["a", "Z", "0", " ", ",", "\"", "\\", "\n", "\r", "\t", "é", "😀", "{", "}", "[", "]", "null", "-", "#", ";", "|", "'"];
    private static readonly string[] Names = ["A", "a", "B", "Name", "NAME", "x_1", "ÉTÉ", "f0", "F0", "@ts"];

    public static readonly Gen<SqlType> PrimitiveType = Gen.Frequency(
        (1, Gen.Const<SqlType>(SqlTypes.Boolean)),
        (1, Gen.Const<SqlType>(SqlTypes.Integer)),
        (1, Gen.Const<SqlType>(SqlTypes.BigInt)),
        (1, Gen.Const<SqlType>(SqlTypes.Double)),
        (1, Gen.Const<SqlType>(SqlTypes.String)),
        (1, Gen.Const<SqlType>(SqlTypes.Bytes)),
        (1, Gen.Const<SqlType>(SqlTypes.Date)),
        (1, Gen.Const<SqlType>(SqlTypes.Time)),
        (1, Gen.Const<SqlType>(SqlTypes.Timestamp)),
        (2, Gen.Int[1, 18].SelectMany(p => Gen.Int[0, p].Select(s => (SqlType)SqlTypes.Decimal(p, s)))));

    public static readonly Gen<string> Text =
        Gen.Int[0, Pieces.Length - 1].Array[0, 6].Select(ix => string.Concat(ix.Select(i => Pieces[i])));

    public static Gen<SqlType> Type(int depth) => depth == 0
        ? PrimitiveType
        : Gen.Frequency(
            (6, PrimitiveType),
            (1, Type(depth - 1).Select(e => (SqlType)SqlTypes.Array(e))),
            (1, Type(depth - 1).Select(v => (SqlType)SqlTypes.Map(SqlTypes.String, v))),
            (1, Fields(Type(depth - 1)).Select(f => (SqlType)new SqlStructType(f))));

    public static Gen<(SerdeSchema Schema, object?[] Row)> SchemaAndRow(Gen<SqlType> types) =>
        Fields(types).SelectMany(fields =>
        {
            var schema = new SerdeSchema(fields.Select(f => new SerdeColumn(f.Name, f.Type)));
            return Sequence(fields.Select(f => Value(f.Type)).ToList()).Select(row => (schema, row));
        });

    public static Gen<object?> Value(SqlType type) => Gen.Frequency((1, Gen.Bool.Select(_ => (object?)null)), (6, NonNull(type)));

    private static Gen<object?> NonNull(SqlType type) => type switch
    {
        { BaseType: SqlBaseType.Boolean } => Gen.Bool.Select(b => (object?)b),
        { BaseType: SqlBaseType.Integer } => Gen.Int.Select(i => (object?)i),
        { BaseType: SqlBaseType.BigInt } => Gen.Long.Select(l => (object?)l),
        { BaseType: SqlBaseType.Double } => Gen.Double.Select(d => (object?)d),
        { BaseType: SqlBaseType.String } => Text.Select(s => (object?)s),
        { BaseType: SqlBaseType.Bytes } => Gen.Byte.Array[0, 8].Select(b => (object?)b),
        { BaseType: SqlBaseType.Date } => Gen.Int[-719162, 2932896].Select(d => (object?)DateOnly.FromDayNumber(d + 719162)),
        { BaseType: SqlBaseType.Time } => Gen.Int[0, 86_399_999].Select(ms => (object?)new TimeOnly(ms * TimeSpan.TicksPerMillisecond)),
        { BaseType: SqlBaseType.Timestamp } => Gen.Long[-62_135_596_800_000L, 253_402_300_799_999L]
            .Select(ms => (object?)new DateTime(DateTime.UnixEpoch.Ticks + (ms * TimeSpan.TicksPerMillisecond), DateTimeKind.Utc)),
        SqlDecimalType d => Gen.Long[-(Pow10(d.Precision) - 1), Pow10(d.Precision) - 1].Select(u => (object?)Decimal(u, d.Scale)),
        SqlArrayType a => Value(a.ElementType).List[0, 4].Select(l => (object?)l),
        SqlMapType m => Gen.Select(Text, Value(m.ValueType)).List[0, 4].Select(entries =>
        {
            var map = new Dictionary<object, object?>();
            foreach (var (k, v) in entries)
            {
                map[k] = v;
            }

            return (object?)map;
        }),
        SqlStructType s => Sequence(s.Fields.Select(f => Value(f.Type)).ToList()).Select(v => (object?)new SqlStruct(s, v)),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    private static Gen<ImmutableArray<SqlField>> Fields(Gen<SqlType> types) =>
        Gen.Int[0, Names.Length - 1].Array[1, 5].SelectMany(ix =>
        {
            var names = ix.Distinct().Select(i => Names[i]).ToList();
            return types.Array[names.Count].Select(t => names.Select((n, i) => new SqlField(n, t[i])).ToImmutableArray());
        });

    private static Gen<object?[]> Sequence(IReadOnlyList<Gen<object?>> gens) =>
        gens.Aggregate(Gen.Const(ImmutableList<object?>.Empty), (acc, g) => acc.SelectMany(list => g.Select(list.Add)))
            .Select(l => l.ToArray());

    private static long Pow10(int n)
    {
        var p = 1L;
        for (var i = 0; i < n; i++)
        {
            p *= 10;
        }

        return p;
    }

    private static decimal Decimal(long unscaled, int scale)
    {
        var abs = (ulong)Math.Abs(unscaled);
        return new decimal((int)(uint)abs, (int)(uint)(abs >> 32), 0, unscaled < 0, (byte)scale);
    }
}
