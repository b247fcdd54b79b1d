using System.Buffers;
using System.Text.Json;

namespace Rhei.Formats.SchemaRegistry;

/// <summary>
/// Confluent's Schema Registry REST API over a <see cref="SchemaStore"/>, independent of any HTTP server: the host
/// passes the method, the path below its prefix, the query and the body, and writes back the status and JSON body.
/// Routes: <c>/subjects</c>, <c>/subjects/{s}/versions[/{v}[/schema|/referencedby]]</c>, <c>POST /subjects/{s}</c>
/// (look-up), <c>DELETE /subjects/{s}[/versions/{v}][?permanent=true]</c>, <c>/schemas/ids/{id}[/schema|/versions|/subjects]</c>,
/// <c>/schemas/types</c>, <c>POST /compatibility/subjects/{s}/versions[/{v}]</c>, <c>/config[/{s}]</c>, <c>/mode</c>.
/// Errors are <c>{"error_code": 40401, "message": "..."}</c> with Confluent's codes.
/// </summary>
public sealed class SchemaRegistryApi
{
    public const string MediaType = "application/vnd.schemaregistry.v1+json";

    private readonly SchemaStore _store;

    public SchemaRegistryApi(SchemaStore store)
    {
        _store = store;
    }

    /// <param name="method">GET, POST, PUT or DELETE.</param>
    /// <param name="path">The path below the API's prefix, e.g. <c>/subjects/orders-value/versions</c> (segments URL-encoded).</param>
    /// <param name="query">Query parameters (<c>deleted</c>, <c>permanent</c>, <c>verbose</c>, <c>defaultToGlobal</c>, <c>subjectPrefix</c>, <c>normalize</c>).</param>
    /// <param name="body">The request body (JSON), empty when none.</param>
    public async ValueTask<SchemaRegistryResponse> HandleAsync(
        string method,
        string path,
        IReadOnlyDictionary<string, string>? query,
        ReadOnlyMemory<byte> body,
        CancellationToken cancellationToken = default)
    {
        query ??= new Dictionary<string, string>();
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        try
        {
            return await RouteAsync(method.ToUpperInvariant(), segments, query, body, cancellationToken);
        }
        catch (SchemaRegistryException e)
        {
            return Error(e.Status, e.ErrorCode, e.Message);
        }
        catch (JsonException e)
        {
            return Error(400, 400, $"Unrecognized request body: {e.Message}");
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception e)
        {
            return Error(500, 50001, $"Error in the backend data store - {e.Message}");
        }
    }

    private async ValueTask<SchemaRegistryResponse> RouteAsync(string method, string[] s, IReadOnlyDictionary<string, string> q, ReadOnlyMemory<byte> body, CancellationToken ct)
    {
        var deleted = Flag(q, "deleted");
        switch (s)
        {
            case []:
                return Json(200, w => { w.WriteStartObject(); w.WriteEndObject(); });

            case ["subjects"] when method == "GET":
                {
                    var subjects = _store.GetSubjects(deleted, q.GetValueOrDefault("subjectPrefix"));
                    return Json(200, w => WriteStrings(w, subjects));
                }

            case ["subjects", var subject] when method == "POST":
                {
                    var definition = ReadDefinition(body);
                    var found = _store.Lookup(subject, definition, deleted);
                    return Json(200, w => SchemaRegistryJson.WriteRegistered(w, found));
                }

            case ["subjects", var subject] when method == "DELETE":
                {
                    var versions = await _store.DeleteSubjectAsync(subject, Flag(q, "permanent"), ct);
                    return Json(200, w => WriteInts(w, versions));
                }

            case ["subjects", var subject, "versions"] when method == "GET":
                {
                    var versions = _store.GetVersions(subject, deleted);
                    return Json(200, w => WriteInts(w, versions));
                }

            case ["subjects", var subject, "versions"] when method == "POST":
                {
                    using var doc = ParseBody(body);
                    var definition = SchemaRegistryJson.ReadDefinition(doc.RootElement);
                    int? id = doc.RootElement.TryGetProperty("id", out var idElement) && idElement.TryGetInt32(out var i) && i > 0 ? i : null;
                    var registered = await _store.RegisterAsync(subject, definition, id, ct);
                    return Json(200, w => { w.WriteStartObject(); w.WriteNumber("id", registered.Id); w.WriteEndObject(); });
                }

            case ["subjects", var subject, "versions", var v] when method == "GET":
                {
                    var found = _store.GetVersion(subject, ParseVersion(v), deleted);
                    return Json(200, w => SchemaRegistryJson.WriteRegistered(w, found));
                }

            case ["subjects", var subject, "versions", var v] when method == "DELETE":
                {
                    var version = await _store.DeleteVersionAsync(subject, ParseVersion(v), Flag(q, "permanent"), ct);
                    return Json(200, w => w.WriteNumberValue(version));
                }

            case ["subjects", var subject, "versions", var v, "schema"] when method == "GET":
                return Raw(_store.GetVersion(subject, ParseVersion(v), deleted).Schema);

            case ["subjects", var subject, "versions", var v, "referencedby"] when method == "GET":
                {
                    var ids = _store.GetReferencedBy(subject, ParseVersion(v));
                    return Json(200, w => WriteInts(w, ids));
                }

            case ["schemas", "types"] when method == "GET":
                return Json(200, w => WriteStrings(w, SchemaTypes.Names));

            case ["schemas", "ids", var idText] when method == "GET":
                {
                    var definition = _store.GetById(ParseId(idText));
                    return Json(200, w => SchemaRegistryJson.WriteDefinition(w, definition, includeSchema: true));
                }

            case ["schemas", "ids", var idText, "schema"] when method == "GET":
                return Raw(_store.GetById(ParseId(idText)).Schema);

            case ["schemas", "ids", var idText, "versions"] when method == "GET":
                {
                    var pairs = _store.GetSubjectVersionsById(ParseId(idText), deleted);
                    return Json(200, w =>
                    {
                        w.WriteStartArray();
                        foreach (var (subject, version) in pairs)
                        {
                            w.WriteStartObject();
                            w.WriteString("subject", subject);
                            w.WriteNumber("version", version);
                            w.WriteEndObject();
                        }

                        w.WriteEndArray();
                    });
                }

            case ["schemas", "ids", var idText, "subjects"] when method == "GET":
                {
                    var subjects = _store.GetSubjectVersionsById(ParseId(idText), deleted).Select(p => p.Subject).Distinct().ToList();
                    return Json(200, w => WriteStrings(w, subjects));
                }

            case ["compatibility", "subjects", var subject, "versions", ..] when method == "POST" && s.Length <= 5:
                return CheckCompatibility(subject, s.Length == 5 ? s[4] : null, body, Flag(q, "verbose"));

            case ["config"] when method == "GET":
                return Level(_store.GetGlobalCompatibility(), "compatibilityLevel");

            case ["config"] when method == "PUT":
                {
                    var level = ReadLevel(body);
                    await _store.SetCompatibilityAsync(null, level, ct);
                    return Level(level, "compatibility");
                }

            case ["config"] when method == "DELETE":
                {
                    var previous = _store.GetGlobalCompatibility();
                    await _store.SetCompatibilityAsync(null, null, ct);
                    return Level(previous, "compatibilityLevel");
                }

            case ["config", var subject] when method == "GET":
                {
                    var level = _store.GetSubjectCompatibility(subject);
                    if (level is null)
                    {
                        if (!Flag(q, "defaultToGlobal"))
                        {
                            throw SchemaRegistryException.SubjectConfigNotFound(subject);
                        }

                        level = _store.GetGlobalCompatibility();
                    }

                    return Level(level.Value, "compatibilityLevel");
                }

            case ["config", var subject] when method == "PUT":
                {
                    var level = ReadLevel(body);
                    await _store.SetCompatibilityAsync(subject, level, ct);
                    return Level(level, "compatibility");
                }

            case ["config", var subject] when method == "DELETE":
                {
                    var previous = _store.GetSubjectCompatibility(subject) ?? throw SchemaRegistryException.SubjectNotFound(subject);
                    await _store.SetCompatibilityAsync(subject, null, ct);
                    return Level(previous, "compatibilityLevel");
                }

            case ["mode"] or ["mode", _] when method == "GET":
                return Json(200, w => { w.WriteStartObject(); w.WriteString("mode", "READWRITE"); w.WriteEndObject(); });

            case ["subjects", ..] or ["schemas", ..] or ["config", ..] or ["compatibility", ..] or ["mode", ..] when IsKnownShape(s):
                return Error(405, 405, "HTTP 405 Method Not Allowed");

            default:
                return Error(404, 404, "HTTP 404 Not Found");
        }
    }

    private SchemaRegistryResponse CheckCompatibility(string subject, string? versionText, ReadOnlyMemory<byte> body, bool verbose)
    {
        var definition = ReadDefinition(body);
        IReadOnlyList<string> problems;
        if (versionText is null)
        {
            problems = _store.CheckCompatibility(subject, definition);
        }
        else
        {
            var version = ParseVersion(versionText);
            if (version == -1 && _store.TryGetLatest(subject) is null)
            {
                problems = []; // nothing to be incompatible with
            }
            else
            {
                problems = _store.CheckCompatibility(subject, definition, version);
            }
        }

        return Json(200, w =>
        {
            w.WriteStartObject();
            w.WriteBoolean("is_compatible", problems.Count == 0);
            if (verbose)
            {
                w.WriteStartArray("messages");
                foreach (var p in problems)
                {
                    w.WriteStringValue(p);
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
        });
    }

    private static bool IsKnownShape(string[] s) => s switch
    {
        ["subjects", _] or ["subjects", _, "versions"] or ["subjects", _, "versions", _] or ["subjects", _, "versions", _, "schema" or "referencedby"] => true,
        ["schemas", "types"] or ["schemas", "ids", _] or ["schemas", "ids", _, "schema" or "versions" or "subjects"] => true,
        ["config"] or ["config", _] or ["mode"] or ["mode", _] => true,
        ["compatibility", "subjects", _, "versions", ..] => true,
        _ => false,
    };

    private static SchemaDefinition ReadDefinition(ReadOnlyMemory<byte> body)
    {
        using var doc = ParseBody(body);
        return SchemaRegistryJson.ReadDefinition(doc.RootElement);
    }

    private static CompatibilityLevel ReadLevel(ReadOnlyMemory<byte> body)
    {
        using var doc = ParseBody(body);
        var root = doc.RootElement;
        string? text = null;
        if (root.ValueKind == JsonValueKind.Object)
        {
            if (root.TryGetProperty("compatibility", out var c))
            {
                text = c.GetString();
            }
            else if (root.TryGetProperty("compatibilityLevel", out var cl))
            {
                text = cl.GetString();
            }
        }

        return CompatibilityLevels.TryParse(text, out var level) ? level : throw SchemaRegistryException.InvalidCompatibilityLevel();
    }

    private static JsonDocument ParseBody(ReadOnlyMemory<byte> body)
    {
        if (body.IsEmpty)
        {
            throw SchemaRegistryException.InvalidSchema("The request has no body");
        }

        return JsonDocument.Parse(body);
    }

    private static int ParseVersion(string text)
    {
        if (text == "latest")
        {
            return -1;
        }

        if (int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var v) && (v >= 1 || v == -1))
        {
            return v;
        }

        throw SchemaRegistryException.InvalidVersion(text);
    }

    private static int ParseId(string text) =>
        int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
            ? id
            : throw new SchemaRegistryException(404, 40403, $"Schema {text} not found");

    private static bool Flag(IReadOnlyDictionary<string, string> q, string name) =>
        q.TryGetValue(name, out var v) && string.Equals(v, "true", StringComparison.OrdinalIgnoreCase);

    private static SchemaRegistryResponse Level(CompatibilityLevel level, string property) =>
        Json(200, w => { w.WriteStartObject(); w.WriteString(property, level.Name()); w.WriteEndObject(); });

    private static SchemaRegistryResponse Raw(string schema) =>
        new(200, System.Text.Encoding.UTF8.GetBytes(schema));

    private static SchemaRegistryResponse Error(int status, int code, string message) => Json(status, w =>
    {
        w.WriteStartObject();
        w.WriteNumber("error_code", code);
        w.WriteString("message", message);
        w.WriteEndObject();
    });

    private static SchemaRegistryResponse Json(int status, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return new SchemaRegistryResponse(status, buffer.WrittenSpan.ToArray());
    }

    private static void WriteStrings(Utf8JsonWriter w, IEnumerable<string> values)
    {
        w.WriteStartArray();
        foreach (var v in values)
        {
            w.WriteStringValue(v);
        }

        w.WriteEndArray();
    }

    private static void WriteInts(Utf8JsonWriter w, IEnumerable<int> values)
    {
        w.WriteStartArray();
        foreach (var v in values)
        {
            w.WriteNumberValue(v);
        }

        w.WriteEndArray();
    }
}
