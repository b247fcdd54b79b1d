using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Rhei.Server.Rest;

namespace Rhei.Server.Console;

/// <summary>
/// The console's files (<c>wwwroot/</c>, embedded in the assembly so a single binary carries them): served with their
/// content type, a strong ETag (304 when the browser has it), and <c>Cache-Control: no-cache</c> so a new server version
/// is picked up at once while unchanged files cost a revalidation only. Nothing is fetched from the network.
/// </summary>
internal sealed class StaticAssets
{
    private const string Prefix = "Rhei.Server.wwwroot.";

    private readonly FrozenDictionary<string, Asset> _assets;

    private sealed record Asset(byte[] Content, string ContentType, string ETag);

    public StaticAssets()
    {
        var assembly = typeof(StaticAssets).Assembly;
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames())
        {
            if (!name.StartsWith(Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(name)!;
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            var content = memory.ToArray();
            var path = "/" + name[Prefix.Length..].Replace('\\', '/');
            var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(content))[..20] + "\"";
            assets[path] = new Asset(content, ContentTypeOf(path), etag);
        }

        _assets = assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The logical names of the embedded files (<c>/index.html</c>, <c>/assets/app.js</c>...).</summary>
    public IEnumerable<string> Paths => _assets.Keys;

    /// <summary>Serves the file at <paramref name="path"/> (<c>/</c> is <c>/index.html</c>); false when there is none.</summary>
    public async Task<bool> TryServeAsync(HttpContext context, string path)
    {
        var get = HttpMethods.IsGet(context.Request.Method);
        if (!get && !HttpMethods.IsHead(context.Request.Method))
        {
            return false;
        }

        if (path == "/")
        {
            path = "/index.html";
        }

        if (!_assets.TryGetValue(path, out var asset))
        {
            return false;
        }

        var response = context.Response;
        response.Headers.ETag = asset.ETag;
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Content-Type-Options"] = "nosniff";
        if (path == "/index.html")
        {
            // Everything the page loads comes from this server; no inline script, no framing by other sites.
            response.Headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'";
            response.Headers["Referrer-Policy"] = "no-referrer";
        }

        var ifNoneMatch = context.Request.Headers.IfNoneMatch.ToString();
        if (ifNoneMatch.Length > 0 && (ifNoneMatch == asset.ETag || ifNoneMatch.Split(',').Any(t => t.Trim() == asset.ETag)))
        {
            response.StatusCode = 304;
            return true;
        }

        response.StatusCode = 200;
        response.ContentType = asset.ContentType;
        response.ContentLength = asset.Content.Length;
        if (get)
        {
            HttpIo.Copy(asset.Content, response.BodyWriter);
            await ConsoleHttp.FlushAsync(context);
        }

        return true;
    }

    private static string ContentTypeOf(string path) => Path.GetExtension(path) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".json" => "application/json",
        ".png" => "image/png",
        ".ico" => "image/x-icon",
        ".txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    };
}
