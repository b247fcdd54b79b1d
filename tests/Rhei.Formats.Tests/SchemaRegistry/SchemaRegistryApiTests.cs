using System.Text;
using System.Text.Json;
using Rhei.Formats.SchemaRegistry;

namespace Rhei.Formats.Tests.SchemaRegistry;

/// <summary>The REST handler, endpoint by endpoint, with Confluent's status codes, error codes and messages.</summary>
public class SchemaRegistryApiTests
{
    private const string V1 = """{"type":"record","name":"r","fields":[{"name":"a","type":"int"}]}""";
    private const string V2 = """{"type":"record","name":"r","fields":[{"name":"a","type":"int"},{"name":"b","type":["null","string"],"default":null}]}""";
    private const string Breaking = """{"type":"record","name":"r","fields":[{"name":"a","type":"int"},{"name":"c","type":"string"}]}""";

    private readonly SchemaRegistryApi _api = new(new SchemaStore());

    private async Task<(int Status, JsonElement Body)> Call(string method, string path, object? body = null, string? query = null)
    {
        var q = new Dictionary<string, string>();
        foreach (var part in (query ?? "").Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = part.Split('=');
            q[kv[0]] = kv.Length > 1 ? kv[1] : "";
        }

        var bytes = body switch
        {
            null => [],
            string s => Encoding.UTF8.GetBytes(s),
            _ => JsonSerializer.SerializeToUtf8Bytes(body),
        };
        var response = await _api.HandleAsync(method, path, q, bytes);
        Assert.Equal(SchemaRegistryApi.MediaType, response.ContentType);
        var text = response.BodyText;
        return (response.Status, JsonDocument.Parse(text.Length == 0 ? "null" : text).RootElement.Clone());
    }

    private static void AssertError(int status, int code, (int Status, JsonElement Body) response, string? message = null)
    {
        Assert.Equal(status, response.Status);
        Assert.Equal(code, response.Body.GetProperty("error_code").GetInt32());
        if (message is not null)
        {
            Assert.Equal(message, response.Body.GetProperty("message").GetString());
        }
    }

    [Fact]
    public async Task Register_returns_ids_reuses_them_and_numbers_versions()
    {
        var first = await Call("POST", "/subjects/s-value/versions", new { schema = V1 });
        Assert.Equal(200, first.Status);
        Assert.Equal(1, first.Body.GetProperty("id").GetInt32());
        var again = await Call("POST", "/subjects/s-value/versions", new { schema = V1 });
        Assert.Equal(1, again.Body.GetProperty("id").GetInt32());
        var elsewhere = await Call("POST", "/subjects/other-value/versions", new { schema = V1 });
        Assert.Equal(1, elsewhere.Body.GetProperty("id").GetInt32());
        var second = await Call("POST", "/subjects/s-value/versions", new { schema = V2 });
        Assert.Equal(2, second.Body.GetProperty("id").GetInt32());
        Assert.Equal("[1,2]", (await Call("GET", "/subjects/s-value/versions")).Body.GetRawText());
        Assert.Equal("""["other-value","s-value"]""", (await Call("GET", "/subjects")).Body.GetRawText());
        Assert.Equal("""["s-value"]""", (await Call("GET", "/subjects", query: "subjectPrefix=s-")).Body.GetRawText());
    }

    [Fact]
    public async Task Get_versions_by_number_latest_and_raw_schema()
    {
        await Call("POST", "/subjects/s/versions", new { schema = V1 });
        await Call("POST", "/subjects/s/versions", new { schema = V2 });
        var v1 = await Call("GET", "/subjects/s/versions/1");
        Assert.Equal("s", v1.Body.GetProperty("subject").GetString());
        Assert.Equal(1, v1.Body.GetProperty("version").GetInt32());
        Assert.Equal(1, v1.Body.GetProperty("id").GetInt32());
        Assert.False(v1.Body.TryGetProperty("schemaType", out _)); // AVRO is implied
        var latest = await Call("GET", "/subjects/s/versions/latest");
        Assert.Equal(2, latest.Body.GetProperty("version").GetInt32());
        Assert.Equal(latest.Body.GetRawText(), (await Call("GET", "/subjects/s/versions/-1")).Body.GetRawText());
        var raw = await Call("GET", "/subjects/s/versions/1/schema");
        Assert.Equal("record", raw.Body.GetProperty("type").GetString());

        AssertError(404, 40401, await Call("GET", "/subjects/nope/versions/1"), "Subject 'nope' not found.");
        AssertError(404, 40401, await Call("GET", "/subjects/nope/versions"));
        AssertError(404, 40402, await Call("GET", "/subjects/s/versions/9"), "Version 9 not found.");
        AssertError(422, 42202, await Call("GET", "/subjects/s/versions/0"));
        AssertError(422, 42202, await Call("GET", "/subjects/s/versions/abc"));
    }

    [Fact]
    public async Task Schemas_by_id_types_and_id_versions()
    {
        await Call("POST", "/subjects/a/versions", new { schema = V1 });
        await Call("POST", "/subjects/b/versions", new { schema = V1 });
        var proto = await Call("POST", "/subjects/p/versions", new { schema = "syntax = \"proto3\"; message M { int32 x = 1; }", schemaType = "PROTOBUF" });
        var byId = await Call("GET", "/schemas/ids/1");
        Assert.Equal(200, byId.Status);
        Assert.Contains("\"a\"", byId.Body.GetProperty("schema").GetString());
        var protoById = await Call("GET", $"/schemas/ids/{proto.Body.GetProperty("id").GetInt32()}");
        Assert.Equal("PROTOBUF", protoById.Body.GetProperty("schemaType").GetString());
        Assert.Equal("""[{"subject":"a","version":1},{"subject":"b","version":1}]""", (await Call("GET", "/schemas/ids/1/versions")).Body.GetRawText());
        Assert.Equal("""["a","b"]""", (await Call("GET", "/schemas/ids/1/subjects")).Body.GetRawText());
        Assert.Equal("""["JSON","PROTOBUF","AVRO"]""", (await Call("GET", "/schemas/types")).Body.GetRawText());
        AssertError(404, 40403, await Call("GET", "/schemas/ids/99"), "Schema 99 not found");
    }

    [Fact]
    public async Task Lookup_finds_the_version_of_a_schema()
    {
        await Call("POST", "/subjects/s/versions", new { schema = V1 });
        var found = await Call("POST", "/subjects/s", new { schema = """{"type": "record", "name": "r", "fields": [ {"name": "a", "type": "int"} ]}""" });
        Assert.Equal(200, found.Status);
        Assert.Equal(1, found.Body.GetProperty("version").GetInt32());
        Assert.Equal(1, found.Body.GetProperty("id").GetInt32());
        AssertError(404, 40403, await Call("POST", "/subjects/s", new { schema = V2 }), "Schema not found");
        AssertError(404, 40401, await Call("POST", "/subjects/none", new { schema = V1 }));
    }

    [Fact]
    public async Task Invalid_schemas_and_bodies_are_rejected()
    {
        AssertError(422, 42201, await Call("POST", "/subjects/s/versions", new { schema = "{\"type\":\"nonsense\"}" }));
        AssertError(422, 42201, await Call("POST", "/subjects/s/versions", new { schema = "message {", schemaType = "PROTOBUF" }));
        AssertError(422, 42201, await Call("POST", "/subjects/s/versions", new { schema = "[1,2", schemaType = "JSON" }));
        AssertError(422, 42201, await Call("POST", "/subjects/s/versions", new { notSchema = 1 }));
        AssertError(422, 42201, await Call("POST", "/subjects/s/versions", new
        {
            schema = "syntax = \"proto3\"; import \"dep.proto\"; message M { Dep d = 1; }",
            schemaType = "PROTOBUF",
            references = new[] { new { name = "dep.proto", subject = "dep", version = 1 } },
        }));
        Assert.Equal(400, (await Call("POST", "/subjects/s/versions", "{not json")).Status);
    }

    [Fact]
    public async Task Incompatible_schema_is_409_and_compatibility_endpoint_explains()
    {
        await Call("POST", "/subjects/s/versions", new { schema = V1 });
        var rejected = await Call("POST", "/subjects/s/versions", new { schema = Breaking });
        AssertError(409, 409, rejected);
        Assert.Contains("READER_FIELD_MISSING_DEFAULT_VALUE", rejected.Body.GetProperty("message").GetString());
        Assert.Contains("incompatible with an earlier schema for subject \"s\"", rejected.Body.GetProperty("message").GetString());

        var check = await Call("POST", "/compatibility/subjects/s/versions/latest", new { schema = Breaking }, "verbose=true");
        Assert.False(check.Body.GetProperty("is_compatible").GetBoolean());
        Assert.Contains("'c'", check.Body.GetProperty("messages")[0].GetString());
        Assert.True((await Call("POST", "/compatibility/subjects/s/versions/1", new { schema = V2 })).Body.GetProperty("is_compatible").GetBoolean());
        Assert.True((await Call("POST", "/compatibility/subjects/s/versions", new { schema = V2 })).Body.GetProperty("is_compatible").GetBoolean());
        Assert.True((await Call("POST", "/compatibility/subjects/new/versions/latest", new { schema = Breaking })).Body.GetProperty("is_compatible").GetBoolean());
        AssertError(404, 40402, await Call("POST", "/compatibility/subjects/s/versions/7", new { schema = V2 }));
    }

    [Fact]
    public async Task Config_global_and_per_subject()
    {
        Assert.Equal("BACKWARD", (await Call("GET", "/config")).Body.GetProperty("compatibilityLevel").GetString());
        Assert.Equal("FULL", (await Call("PUT", "/config", new { compatibility = "full" })).Body.GetProperty("compatibility").GetString());
        Assert.Equal("FULL", (await Call("GET", "/config")).Body.GetProperty("compatibilityLevel").GetString());
        AssertError(404, 40408, await Call("GET", "/config/s"));
        Assert.Equal("FULL", (await Call("GET", "/config/s", query: "defaultToGlobal=true")).Body.GetProperty("compatibilityLevel").GetString());
        Assert.Equal("NONE", (await Call("PUT", "/config/s", new { compatibility = "NONE" })).Body.GetProperty("compatibility").GetString());
        Assert.Equal("NONE", (await Call("GET", "/config/s")).Body.GetProperty("compatibilityLevel").GetString());
        AssertError(422, 42203, await Call("PUT", "/config/s", new { compatibility = "SIDEWAYS" }), CompatibilityLevels.InvalidMessage);

        await Call("POST", "/subjects/s/versions", new { schema = V1 });
        Assert.Equal(200, (await Call("POST", "/subjects/s/versions", new { schema = Breaking })).Status); // NONE allows anything
        Assert.Equal("NONE", (await Call("DELETE", "/config/s")).Body.GetProperty("compatibilityLevel").GetString());
        AssertError(404, 40408, await Call("GET", "/config/s"));
        Assert.Equal("FULL", (await Call("DELETE", "/config")).Body.GetProperty("compatibilityLevel").GetString());
        Assert.Equal("BACKWARD", (await Call("GET", "/config")).Body.GetProperty("compatibilityLevel").GetString());
    }

    [Fact]
    public async Task Soft_and_hard_deletes_of_subjects_and_versions()
    {
        await Call("POST", "/subjects/s/versions", new { schema = V1 });
        await Call("POST", "/subjects/s/versions", new { schema = V2 });
        AssertError(404, 40407, await Call("DELETE", "/subjects/s/versions/1", query: "permanent=true"));
        Assert.Equal("1", (await Call("DELETE", "/subjects/s/versions/1")).Body.GetRawText());
        AssertError(404, 40406, await Call("DELETE", "/subjects/s/versions/1"));
        Assert.Equal("[2]", (await Call("GET", "/subjects/s/versions")).Body.GetRawText());
        Assert.Equal("[1,2]", (await Call("GET", "/subjects/s/versions", query: "deleted=true")).Body.GetRawText());
        AssertError(404, 40402, await Call("GET", "/subjects/s/versions/1"));
        Assert.Equal(200, (await Call("GET", "/subjects/s/versions/1", query: "deleted=true")).Status);
        Assert.Equal("1", (await Call("DELETE", "/subjects/s/versions/1", query: "permanent=true")).Body.GetRawText());
        Assert.Equal("[2]", (await Call("GET", "/subjects/s/versions", query: "deleted=true")).Body.GetRawText());
        // id 1 is no longer used by any version
        AssertError(404, 40403, await Call("GET", "/schemas/ids/1"));

        AssertError(404, 40405, await Call("DELETE", "/subjects/s", query: "permanent=true"));
        Assert.Equal("[2]", (await Call("DELETE", "/subjects/s")).Body.GetRawText());
        AssertError(404, 40404, await Call("DELETE", "/subjects/s"));
        Assert.Equal("[]", (await Call("GET", "/subjects")).Body.GetRawText());
        Assert.Equal("""["s"]""", (await Call("GET", "/subjects", query: "deleted=true")).Body.GetRawText());
        Assert.Equal("[2]", (await Call("DELETE", "/subjects/s", query: "permanent=true")).Body.GetRawText());
        AssertError(404, 40401, await Call("DELETE", "/subjects/s"));

        // numbering continues after soft deletes
        await Call("POST", "/subjects/t/versions", new { schema = V1 });
        await Call("DELETE", "/subjects/t/versions/1");
        await Call("POST", "/subjects/t/versions", new { schema = V2 });
        Assert.Equal("[2]", (await Call("GET", "/subjects/t/versions")).Body.GetRawText());
    }

    [Fact]
    public async Task Protobuf_references_resolve_and_protect_the_referenced_schema()
    {
        await Call("POST", "/subjects/event/versions", new { schema = "syntax = \"proto3\";\nmessage Event {\n int64 timestamp = 1;\n}", schemaType = "PROTOBUF" });
        var logistics = await Call("POST", "/subjects/input-value/versions", new
        {
            schema = "syntax = \"proto3\";\n\nimport \"event.proto\"; \n\nmessage Logistics {\n Event event = 1;\n}",
            schemaType = "PROTOBUF",
            references = new[] { new { name = "event.proto", subject = "event", version = 1 } },
        });
        Assert.Equal(200, logistics.Status);
        var id = logistics.Body.GetProperty("id").GetInt32();
        var byId = await Call("GET", $"/schemas/ids/{id}");
        Assert.Equal("event", byId.Body.GetProperty("references")[0].GetProperty("subject").GetString());
        Assert.Equal($"[{id}]", (await Call("GET", "/subjects/event/versions/1/referencedby")).Body.GetRawText());
        AssertError(422, 42206, await Call("DELETE", "/subjects/event/versions/1"));
    }

    [Fact]
    public async Task Register_with_an_explicit_id_imports_the_schema()
    {
        var r = await Call("POST", "/subjects/s/versions", new { schema = V1, id = 102 });
        Assert.Equal(102, r.Body.GetProperty("id").GetInt32());
        Assert.Equal(200, (await Call("GET", "/schemas/ids/102")).Status);
        var next = await Call("POST", "/subjects/t/versions", new { schema = V2 });
        Assert.Equal(103, next.Body.GetProperty("id").GetInt32());
        AssertError(422, 42207, await Call("POST", "/subjects/u/versions", new { schema = """{"type":"string"}""", id = 102 }));
    }

    [Fact]
    public async Task Unknown_routes_and_methods()
    {
        AssertError(404, 404, await Call("GET", "/nothing/here"));
        AssertError(405, 405, await Call("PATCH", "/subjects/s/versions"));
        Assert.Equal(200, (await Call("GET", "/")).Status);
        Assert.Equal("READWRITE", (await Call("GET", "/mode")).Body.GetProperty("mode").GetString());
        AssertError(404, 40401, await Call("GET", "/subjects/a%2Fb/versions"), "Subject 'a/b' not found.");
    }
}
