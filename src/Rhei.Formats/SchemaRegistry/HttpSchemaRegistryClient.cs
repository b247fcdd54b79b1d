using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Rhei.Formats.SchemaRegistry;

/// <summary>
/// A client for a registry with Confluent's REST API (an external one, <c>ksql.schema.registry.url</c>, or Rhei's own
/// over HTTP). Record-path lookups use <see cref="HttpClient.Send(HttpRequestMessage)"/> (synchronous, then cached).
/// </summary>
public sealed class HttpSchemaRegistryClient : SchemaRegistryClient, IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;

    /// <param name="baseUrl">The registry's URL (<c>http://host:8081</c>, with any path prefix).</param>
    /// <param name="basicAuthUserInfo"><c>user:password</c> for HTTP basic authentication, or null.</param>
    public HttpSchemaRegistryClient(string baseUrl, string? basicAuthUserInfo = null, HttpClient? http = null)
    {
        _ownsHttp = http is null;
        _http = http ?? new HttpClient();
        BaseUrl = baseUrl.TrimEnd('/');
        if (basicAuthUserInfo is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(basicAuthUserInfo)));
        }
    }

    public string BaseUrl { get; }

    public override SchemaDefinition GetSchemaById(int id)
    {
        using var doc = Send(HttpMethod.Get, $"/schemas/ids/{id}", null);
        return ReadDefinition(doc.RootElement);
    }

    public override RegisteredSchema GetVersion(string subject, int version)
    {
        using var doc = Send(HttpMethod.Get, $"/subjects/{Uri.EscapeDataString(subject)}/versions/{(version < 0 ? "latest" : version.ToString())}?deleted=true", null);
        return ReadRegistered(doc.RootElement);
    }

    public override RegisteredSchema? TryLookup(string subject, SchemaDefinition definition)
    {
        try
        {
            using var doc = Send(HttpMethod.Post, $"/subjects/{Uri.EscapeDataString(subject)}", Body(definition));
            return ReadRegistered(doc.RootElement, definition);
        }
        catch (SchemaRegistryException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public override async ValueTask<RegisteredSchema?> GetLatestAsync(string subject, CancellationToken cancellationToken = default)
    {
        try
        {
            using var doc = await SendAsync(HttpMethod.Get, $"/subjects/{Uri.EscapeDataString(subject)}/versions/latest", null, cancellationToken);
            return ReadRegistered(doc.RootElement);
        }
        catch (SchemaRegistryException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public override async ValueTask<RegisteredSchema> RegisterAsync(string subject, SchemaDefinition definition, CancellationToken cancellationToken = default)
    {
        using (var doc = await SendAsync(HttpMethod.Post, $"/subjects/{Uri.EscapeDataString(subject)}/versions", Body(definition), cancellationToken))
        {
            doc.RootElement.GetProperty("id").GetInt32();
        }

        using var found = await SendAsync(HttpMethod.Post, $"/subjects/{Uri.EscapeDataString(subject)}", Body(definition), cancellationToken);
        return ReadRegistered(found.RootElement, definition);
    }

    public override async ValueTask<IReadOnlyList<string>> CheckCompatibilityAsync(string subject, SchemaDefinition definition, CancellationToken cancellationToken = default)
    {
        try
        {
            using var doc = await SendAsync(HttpMethod.Post, $"/compatibility/subjects/{Uri.EscapeDataString(subject)}/versions/latest?verbose=true", Body(definition), cancellationToken);
            if (doc.RootElement.GetProperty("is_compatible").GetBoolean())
            {
                return [];
            }

            return doc.RootElement.TryGetProperty("messages", out var messages)
                ? [.. messages.EnumerateArray().Select(m => m.GetString() ?? "")]
                : ["incompatible"];
        }
        catch (SchemaRegistryException e) when (e.ErrorCode == 40401)
        {
            return [];
        }
    }

    public override async ValueTask<CompatibilityLevel> GetCompatibilityAsync(string subject, CancellationToken cancellationToken = default)
    {
        using var doc = await SendAsync(HttpMethod.Get, $"/config/{Uri.EscapeDataString(subject)}?defaultToGlobal=true", null, cancellationToken);
        var text = doc.RootElement.TryGetProperty("compatibilityLevel", out var l) ? l.GetString() : doc.RootElement.GetProperty("compatibility").GetString();
        return CompatibilityLevels.TryParse(text, out var level) ? level : CompatibilityLevel.Backward;
    }

    public override async ValueTask<IReadOnlyList<string>> GetSubjectsAsync(CancellationToken cancellationToken = default)
    {
        using var doc = await SendAsync(HttpMethod.Get, "/subjects", null, cancellationToken);
        return [.. doc.RootElement.EnumerateArray().Select(e => e.GetString()!)];
    }

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private JsonDocument Send(HttpMethod method, string path, string? body)
    {
        using var request = Request(method, path, body);
        using var response = _http.Send(request);
        using var stream = response.Content.ReadAsStream();
        var doc = JsonDocument.Parse(stream);
        return Check(response, doc);
    }

    private async ValueTask<JsonDocument> SendAsync(HttpMethod method, string path, string? body, CancellationToken cancellationToken)
    {
        using var request = Request(method, path, body);
        using var response = await _http.SendAsync(request, cancellationToken);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var doc = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
        return Check(response, doc);
    }

    private HttpRequestMessage Request(HttpMethod method, string path, string? body)
    {
        var request = new HttpRequestMessage(method, BaseUrl + path);
        request.Headers.Accept.ParseAdd(SchemaRegistryApi.MediaType);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, SchemaRegistryApi.MediaType);
        }

        return request;
    }

    private static JsonDocument Check(HttpResponseMessage response, JsonDocument doc)
    {
        if (response.IsSuccessStatusCode)
        {
            return doc;
        }

        using (doc)
        {
            var root = doc.RootElement;
            var code = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error_code", out var c) ? c.GetInt32() : (int)response.StatusCode;
            var message = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("message", out var m) ? m.GetString() ?? "" : response.ReasonPhrase ?? "";
            throw new SchemaRegistryException((int)response.StatusCode, code, message);
        }
    }

    private static string Body(SchemaDefinition definition)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            SchemaRegistryJson.WriteDefinition(w, definition, includeSchema: true);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static SchemaDefinition ReadDefinition(JsonElement e) => SchemaRegistryJson.ReadDefinition(e);

    private static RegisteredSchema ReadRegistered(JsonElement e, SchemaDefinition? known = null) => new(
        e.GetProperty("subject").GetString()!,
        e.GetProperty("version").GetInt32(),
        e.GetProperty("id").GetInt32(),
        e.TryGetProperty("schema", out _) ? ReadDefinition(e) : known!);
}
