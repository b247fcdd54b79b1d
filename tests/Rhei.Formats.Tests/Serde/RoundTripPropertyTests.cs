using CsCheck;
using Rhei.Formats.Serde;
using Rhei.Formats.Types;
using static Rhei.Formats.Tests.SerdeHelper;

namespace Rhei.Formats.Tests.Serde;

public class RoundTripPropertyTests
{
    [Fact]
    public void Json_round_trips_random_rows_of_random_schemas()
    {
        RowGenerators.SchemaAndRow(RowGenerators.Type(2)).Sample((schema, row) =>
        {
            var back = Deserializer("JSON", schema).Deserialize(Serializer("JSON", schema).Serialize(row));
            AssertRowsEqual(row, back);
        }, iter: 2_000, threads: 1, print: t => Describe(t.Item1, t.Item2));
    }

    [Fact]
    public void Unwrapped_json_round_trips_single_values()
    {
        RowGenerators.Type(2).SelectMany(t => RowGenerators.Value(t).Select(v => (t, v))).Sample((type, value) =>
        {
            var schema = SerdeSchema.Of(("V", type));
            var bytes = Serializer("JSON", schema, wrapSingleValue: false).Serialize([value]);
            var back = Deserializer("JSON", schema, wrapSingleValue: false).Deserialize(bytes);
            if (value is null)
            {
                Assert.Null(bytes);
                Assert.Null(back);
            }
            else
            {
                AssertRowsEqual([value], back);
            }
        }, iter: 2_000, threads: 1);
    }

    [Fact]
    public void Delimited_round_trips_random_rows_with_any_delimiter()
    {
        var delimiters = Gen.OneOf(",", "|", "\t", " ", ";", "☺");
        RowGenerators.SchemaAndRow(RowGenerators.PrimitiveType).Select(delimiters).Sample((t, delimiter) =>
        {
            var (schema, row) = t;
            var props = new Dictionary<string, string> { [FormatPropertyNames.Delimiter] = delimiter };
            var bytes = Serializer("DELIMITED", schema, properties: props).Serialize(row);
            var back = Deserializer("DELIMITED", schema, properties: props).Deserialize(bytes);
            var expected = row.Select(v => v is "" or byte[] { Length: 0 } ? null : v).ToArray(); // an empty field reads as NULL
            AssertRowsEqual(expected, back);
        }, iter: 2_000, threads: 1, print: t => Describe(t.Item1.Schema, t.Item1.Row) + " delimiter " + t.Item2);
    }

    private static void AssertRowsEqual(object?[] expected, object?[]? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(SqlValueComparer.Instance.Equals(expected[i], actual[i]),
                $"column {i}: expected {SqlValueComparer.Format(expected[i])}, got {SqlValueComparer.Format(actual[i])}");
        }
    }

    private static string Describe(SerdeSchema schema, object?[] row) =>
        schema + " " + SqlValueComparer.Format(row.ToList());
}
