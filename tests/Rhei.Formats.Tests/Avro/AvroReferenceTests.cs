using Rhei.Formats.SchemaRegistry;
using Rhei.Formats.Serde;
using Rhei.Formats.Tests.SchemaRegistry;
using Rhei.Formats.Types;

namespace Rhei.Formats.Tests.Avro;

public class AvroReferenceTests
{
    [Fact]
    public async Task Named_types_of_referenced_subjects_resolve_for_inference_and_reading()
    {
        var f = new RegistryFixture();
        await f.Store.RegisterAsync("address", SchemaDefinition.Avro("""{"type":"record","name":"Address","namespace":"com.acme","fields":[{"name":"city","type":"string"}]}"""));
        var customer = await f.Store.RegisterAsync("customers-value", new SchemaDefinition(
            SchemaType.Avro,
            """{"type":"record","name":"Customer","namespace":"com.acme","fields":[{"name":"name","type":"string"},{"name":"home","type":"com.acme.Address"}]}""",
            [new SchemaReference("com.acme.Address", "address", 1)]));
        var format = (SchemaRegistryFormat)f.Formats.Get("AVRO");
        var inferred = await format.InferAsync("customers", SerdeTarget.Value, schemaId: customer.Id);
        Assert.Equal("[`name` STRING, `home` STRUCT<`city` STRING>]", inferred.Columns.ToString());
        var options = f.Options("AVRO", inferred.Columns, topic: "customers", properties: new Dictionary<string, string> { [FormatPropertyNames.SchemaId] = customer.Id.ToString() });
        object?[] row = ["ada", new SqlStruct((SqlStructType)inferred.Columns[1].Type, ["Lyon"])];
        var bytes = format.CreateSerializer(inferred.Columns, options).Serialize(row);
        Assert.Equal(row, format.CreateDeserializer(inferred.Columns, options).Deserialize(bytes));

        var missing = await Assert.ThrowsAsync<SchemaRegistryException>(async () => await f.Store.RegisterAsync("x", new SchemaDefinition(
            SchemaType.Avro, """{"type":"record","name":"X","fields":[{"name":"a","type":"com.acme.Nope"}]}""", [new SchemaReference("com.acme.Nope", "nope", 1)])));
        Assert.Equal(42201, missing.ErrorCode);
    }
}
