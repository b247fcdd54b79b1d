using CsCheck;
using Rhei.Formats.Avro;
using Rhei.Formats.SchemaRegistry;
using Rhei.Formats.Serde;
using Rhei.Formats.Types;

namespace Rhei.Formats.Tests.SchemaRegistry;

/// <summary>Random schemas and rows through the schema-registry formats: registration, then serialize and deserialize.</summary>
public class RoundTripPropertyTests
{
    [Theory]
    [InlineData("AVRO")]
    [InlineData("JSON_SR")]
    public async Task Random_rows_of_random_schemas_round_trip(string formatName)
    {
        var fixture = new RegistryFixture();
        var format = (SchemaRegistryFormat)fixture.Formats.Get(formatName);
        var topic = 0;
        await RowGenerators.SchemaAndRow(RowGenerators.Type(2))
            .Where(t => formatName != "AVRO" || AvroSchemaTranslator.FindNameProblem(t.Schema, unwrapped: false) is null)
            .SampleAsync(async t =>
            {
                var (schema, row) = t;
                var name = "p" + topic++;
                var options = fixture.Options(formatName, schema, topic: name);
                await format.RegisterAsync(name, schema, options);
                var back = format.CreateDeserializer(schema, options).Deserialize(format.CreateSerializer(schema, options).Serialize(row));
                Assert.Equal(row, back, SqlValueComparer.Instance);
            }, iter: 300, threads: 1, print: t => t.Item1 + " " + string.Join(", ", t.Item2.Select(SqlValueComparer.Format)));
    }
}
