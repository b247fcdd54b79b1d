using Rhei.Formats.Serde;
using static Rhei.Formats.Tests.SerdeHelper;

namespace Rhei.Formats.Tests.Serde;

public class FormatRegistryTests
{
    [Fact]
    public void Has_the_built_in_formats_by_case_insensitive_name()
    {
        var registry = FormatRegistry.CreateDefault();
        Assert.Equal(["DELIMITED", "JSON", "KAFKA", "NONE"], registry.Formats.Select(f => f.Name).Order());
        Assert.Same(registry.Get("JSON"), registry.Get("json"));
        Assert.True(registry.TryGet("KafkA", out var kafka));
        Assert.Equal("KAFKA", kafka.Name);
    }

    [Fact]
    public void Unknown_formats_fail_with_ksqlDB_text()
    {
        var e = Assert.Throws<FormatValidationException>(() => Registry.Get("FOO"));
        Assert.Equal("Unknown format: FOO", e.Message);
    }

    [Fact]
    public void Later_formats_register_through_the_same_seam()
    {
        var registry = FormatRegistry.CreateDefault();
        registry.Register(new FakeRegistryFormat());
        Assert.True(registry.Get("avro").RequiresSchemaRegistry);
        Assert.True(registry.Get("AVRO").Supports(SerdeFeatures.SchemaInference));
    }

    [Fact]
    public void Wrap_single_value_needs_a_single_column()
    {
        var e = Assert.Throws<FormatValidationException>(() => Registry.Get("JSON").ResolveValueFeatures(2, wrapSingleValue: true));
        Assert.Equal("'WRAP_SINGLE_VALUE' is only valid for single-field value schemas", e.Message);
        e = Assert.Throws<FormatValidationException>(() => Registry.Get("JSON").ResolveValueFeatures(2, wrapSingleValue: false));
        Assert.Equal("'WRAP_SINGLE_VALUE' is only valid for single-field value schemas", e.Message);
    }

    [Fact]
    public void Keys_are_unwrapped_when_single()
    {
        Assert.Equal(SerdeFeatures.UnwrapSingles, Registry.Get("JSON").ResolveKeyFeatures(1));
        Assert.Equal(SerdeFeatures.None, Registry.Get("JSON").ResolveKeyFeatures(2));
        Assert.Equal(SerdeFeatures.UnwrapSingles, Registry.Get("KAFKA").ResolveKeyFeatures(1));
        Assert.Equal(SerdeFeatures.None, Registry.Get("NONE").ResolveKeyFeatures(0));
    }

    [Fact]
    public void Format_without_wrapping_refuses_unwrapped_explicitly()
    {
        var e = Assert.Throws<FormatValidationException>(() => new FakeRegistryFormat("PROTOBUF", SerdeFeatures.WrapSingles).ResolveValueFeatures(1, wrapSingleValue: false));
        Assert.Equal("Format 'PROTOBUF' does not support 'WRAP_SINGLE_VALUE' set to 'false'.", e.Message);
    }

    private sealed class FakeRegistryFormat(string name = "AVRO", SerdeFeatures features = SerdeFeatures.WrapSingles | SerdeFeatures.UnwrapSingles | SerdeFeatures.SchemaInference)
        : SerdeFormat(name)
    {
        public override SerdeFeatures SupportedFeatures => features;

        public override bool RequiresSchemaRegistry => true;

        public override RowSerializer CreateSerializer(SerdeSchema schema, SerdeOptions options) => throw new NotSupportedException();

        public override RowDeserializer CreateDeserializer(SerdeSchema schema, SerdeOptions options) => throw new NotSupportedException();

        protected override string? FindSchemaProblem(SerdeSchema schema, SerdeTarget target) => null;
    }
}
