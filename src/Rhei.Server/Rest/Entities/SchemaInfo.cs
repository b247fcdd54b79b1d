using System.Text.Json.Serialization;

namespace Rhei.Server.Rest.Entities;

/// <summary>
/// A column type as ksqlDB's REST API describes it: <c>{"type":"ARRAY","fields":null,"memberSchema":{"type":"INTEGER",...}}</c>;
/// STRUCT has <see cref="Fields"/>, ARRAY and MAP have <see cref="MemberSchema"/> (the element / value type), DECIMAL has
/// <c>precision</c> and <c>scale</c> in <see cref="Parameters"/>.
/// </summary>
public sealed record SchemaInfo(string Type, IReadOnlyList<FieldInfo>? Fields = null, SchemaInfo? MemberSchema = null)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, int>? Parameters { get; init; }
}

/// <summary>A column or struct field; <see cref="Type"/> is <c>KEY</c> or <c>HEADER</c> for such columns, absent for values.</summary>
public sealed record FieldInfo(string Name, SchemaInfo Schema)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Type { get; init; }

    /// <summary>For a <c>HEADER('key')</c> column, the header's key.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? HeaderKey { get; init; }
}
