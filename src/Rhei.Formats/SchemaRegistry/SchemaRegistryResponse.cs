namespace Rhei.Formats.SchemaRegistry;

/// <summary>An HTTP answer of <see cref="SchemaRegistryApi"/>: status, body (UTF-8 JSON) and content type.</summary>
public sealed record SchemaRegistryResponse(int Status, byte[] Body, string ContentType = SchemaRegistryApi.MediaType)
{
    public string BodyText => System.Text.Encoding.UTF8.GetString(Body);
}
