using System.Text;
using System.Text.Json;
using Rhei.Conformance;
using Rhei.Formats.Serde;
using Rhei.Formats.Types;
using Rhei.Sql.Schema;

namespace Rhei.Engine.Tests.Conformance;

/// <summary>The conformance runner's comparison of expected and actual records, case expansion and the baseline ratchet.</summary>
public class RunnerTests
{
    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    [Theory]
    [InlineData("""{"A":1,"B":[1,2]}""", """{"B":[1,2],"A":1.0}""", true)]
    [InlineData("""{"A":1}""", """{"A":2}""", false)]
    [InlineData("""{"A":1}""", """{"A":1,"B":null}""", false)]
    [InlineData("4.6116860184273879E18", "4.611686018427388E18", true)]
    [InlineData("""["a"]""", """["a","b"]""", false)]
    [InlineData("true", "false", false)]
    public void Json_trees_compare_by_member_and_by_number_value(string a, string b, bool equal) =>
        Assert.Equal(equal, JsonComparer.Equal(Json(a), Json(b)));

    private static RecordCodec Codec(string format, SerdeFeatures features, params (string Name, SqlType Type)[] columns) =>
        new(FormatRegistry.CreateDefault(), FormatInfo.Of(format), features, SerdeSchema.Of(columns), SerdeTarget.Value, "t");

    [Fact]
    public void Json_values_match_with_case_insensitive_names_and_decimal_strings()
    {
        var codec = Codec("JSON", SerdeFeatures.None, ("VAL", SqlTypes.Decimal(4, 2)), ("NAME", SqlTypes.String));
        Assert.True(codec.Matches(Json("""{"val":"3.40","name":"x"}"""), Encoding.UTF8.GetBytes("""{"VAL":3.40,"NAME":"x"}"""), out _));
        Assert.False(codec.Matches(Json("""{"val":"3.41","name":"x"}"""), Encoding.UTF8.GetBytes("""{"VAL":3.40,"NAME":"x"}"""), out var actual));
        Assert.Equal("""{"VAL":3.40,"NAME":"x"}""", actual);
    }

    [Fact]
    public void Tombstones_match_only_null_expectations()
    {
        var codec = Codec("JSON", SerdeFeatures.None, ("A", SqlTypes.Integer), ("B", SqlTypes.Integer));
        Assert.True(codec.Matches(Json("null"), null, out _));
        Assert.False(codec.Matches(Json("""{"A":1,"B":2}"""), null, out _));
        Assert.False(codec.Matches(Json("null"), Encoding.UTF8.GetBytes("""{"A":1,"B":2}"""), out _));
    }

    [Fact]
    public void Kafka_values_are_encoded_and_compared_by_type()
    {
        var codec = Codec("KAFKA", SerdeFeatures.None, ("V", SqlTypes.BigInt));
        var bytes = codec.Encode(Json("42"));
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0, 0, 0, 42 }, bytes);
        Assert.True(codec.Matches(Json("42"), bytes, out _));
        Assert.True(codec.Matches(Json("\"42\""), bytes, out _));
        Assert.False(codec.Matches(Json("43"), bytes, out _));
    }

    [Fact]
    public void Delimited_values_compare_as_text()
    {
        var codec = Codec("DELIMITED", SerdeFeatures.None, ("A", SqlTypes.Integer), ("B", SqlTypes.String));
        Assert.Equal("1,x", Encoding.UTF8.GetString(codec.Encode(Json("\"1,x\""))!));
        Assert.True(codec.Matches(Json("\"1,x\""), Encoding.UTF8.GetBytes("1,x"), out _));
        Assert.False(codec.Matches(Json("\"1,y\""), Encoding.UTF8.GetBytes("1,x"), out _));
    }

    [Fact]
    public void Cases_expand_per_format_and_substitute_it()
    {
        var path = Path.Combine(Path.GetTempPath(), "qtt-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, """
            {"tests": [
              {"name": "a", "format": ["JSON", "AVRO"], "statements": ["CREATE STREAM S (A INT) WITH (kafka_topic='t', value_format='{FORMAT}');"]},
              {"name": "b", "enabled": false, "statements": ["SELECT 1;"]}
            ]}
            """);
        try
        {
            var cases = QttCase.Load(path).ToList();
            Assert.Equal(3, cases.Count);
            Assert.Equal("CREATE STREAM S (A INT) WITH (kafka_topic='t', value_format='JSON');", cases[0].Statements[0]);
            Assert.False(cases[0].NeedsSchemaRegistry);
            Assert.True(cases[1].NeedsSchemaRegistry);
            Assert.False(cases[2].Enabled);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_baseline_only_goes_up()
    {
        var path = Path.Combine(Path.GetTempPath(), "baseline-" + Guid.NewGuid().ToString("N") + ".json");
        try
        {
            Assert.Equal(0, Baseline.Check(path, 10, new Dictionary<string, int> { ["a.json"] = 10 }, update: true, filtered: false));
            Assert.Equal(1, Baseline.Check(path, 9, new Dictionary<string, int> { ["a.json"] = 9 }, update: true, filtered: false));
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            Assert.Equal(10, doc.RootElement.GetProperty("passed").GetInt32());
            Assert.Equal(10, doc.RootElement.GetProperty("files").GetProperty("a.json").GetInt32());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
