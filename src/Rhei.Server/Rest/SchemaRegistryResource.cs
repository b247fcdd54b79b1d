using System.Buffers;
using Microsoft.AspNetCore.Http;
using Rhei.Formats.SchemaRegistry;

namespace Rhei.Server.Rest;

/// <summary>
/// The embedded schema registry's Confluent-compatible REST API on the HTTP listener, under a prefix
/// (<c>rhei.schema.registry.prefix</c>, default <c>/schema-registry</c>): <c>GET /schema-registry/subjects</c> is
/// <see cref="SchemaRegistryApi"/>'s <c>GET /subjects</c>. Answers are <c>application/vnd.schemaregistry.v1+json</c>.
/// </summary>
internal sealed class SchemaRegistryResource(SchemaRegistryApi api, string prefix, int maxBodyBytes)
{
    private static readonly string[] s_roots = ["subjects", "schemas", "config", "compatibility", "mode", "contexts"];
    private readonly string _prefix = prefix.TrimEnd('/');

    /// <summary>The path below the prefix when <paramref name="path"/> is a registry path (the root, or one of Confluent's resources), else null.</summary>
    public string? Match(string path)
    {
        if (!path.StartsWith(_prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = path[_prefix.Length..];
        if (rest.Length == 0 || rest == "/")
        {
            return _prefix.Length == 0 ? null : "/";
        }

        if (rest[0] != '/')
        {
            return null;
        }

        var end = rest.IndexOf('/', 1);
        var first = end < 0 ? rest[1..] : rest[1..end];
        return s_roots.Contains(first, StringComparer.Ordinal) ? rest : null;
    }

    public async Task HandleAsync(HttpContext context, string path)
    {
        var request = context.Request;
        var body = await ReadBodyAsync(context);
        if (body is null)
        {
            return;
        }

        var query = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in request.Query)
        {
            query[key] = value.ToString();
        }

        // The raw (still escaped) path, so that a subject with '/' in it stays one segment.
        var raw = request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget;
        if (raw is not null)
        {
            var q = raw.IndexOf('?', StringComparison.Ordinal);
            var rawPath = q < 0 ? raw : raw[..q];
            if (rawPath.StartsWith(_prefix, StringComparison.Ordinal))
            {
                path = rawPath[_prefix.Length..];
            }
        }

        var response = await api.HandleAsync(request.Method, path, query, body.Value, context.RequestAborted);
        context.Response.StatusCode = response.Status;
        context.Response.ContentType = response.ContentType;
        context.Response.ContentLength = response.Body.Length;
        await context.Response.Body.WriteAsync(response.Body, context.RequestAborted);
    }

    private async Task<ReadOnlyMemory<byte>?> ReadBodyAsync(HttpContext context)
    {
        var reader = context.Request.BodyReader;
        while (true)
        {
            var read = await reader.ReadAsync(context.RequestAborted);
            var buffer = read.Buffer;
            if (buffer.Length > maxBodyBytes)
            {
                reader.AdvanceTo(buffer.End);
                context.Response.StatusCode = 413;
                context.Response.ContentType = SchemaRegistryApi.MediaType;
                await context.Response.WriteAsync($"{{\"error_code\":413,\"message\":\"The request body is larger than the {maxBodyBytes} bytes this server accepts.\"}}", context.RequestAborted);
                return null;
            }

            if (read.IsCompleted)
            {
                var bytes = buffer.ToArray();
                reader.AdvanceTo(buffer.End);
                return bytes;
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }
}
