using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Rhei.Server.Rest;

namespace Rhei.Server.Console;

/// <summary>Writing the console API's JSON answers and errors.</summary>
internal static class ConsoleHttp
{
    // Relaxed escaping keeps quotes and non-ASCII text readable; the answers are application/json, never inlined in HTML.
    internal static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes the JSON that <paramref name="write"/> produces as the whole response (not cached by browsers).</summary>
    public static Task WriteJsonAsync(HttpContext context, Action<Utf8JsonWriter> write, int status = 200)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer);
        }

        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        response.ContentLength = buffer.WrittenCount;
        HttpIo.Copy(buffer.WrittenSpan, response.BodyWriter);
        return FlushAsync(context);
    }

    /// <summary>An error a person can act on: <c>{"error_code": 40400, "message": "..."}</c>, as the REST API's errors.</summary>
    public static Task WriteErrorAsync(HttpContext context, int status, string message) =>
        WriteJsonAsync(context, w =>
        {
            w.WriteStartObject();
            w.WriteString("@type", "generic_error");
            w.WriteNumber("error_code", status * 100);
            w.WriteString("message", message);
            w.WriteEndObject();
        }, status);

    public static Task WriteTextAsync(HttpContext context, string text, string contentType, int status = 200)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = contentType;
        response.Headers.CacheControl = "no-store";
        response.ContentLength = bytes.Length;
        HttpIo.Copy(bytes, response.BodyWriter);
        return FlushAsync(context);
    }

    public static async Task FlushAsync(HttpContext context)
    {
        try
        {
            await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The browser went away.
        }
    }

    /// <summary>A query-string value as a long, or null when absent; false when present but not a number.</summary>
    public static bool TryGetLong(HttpContext context, string name, out long? value)
    {
        value = null;
        var text = context.Request.Query[name].ToString();
        if (text.Length == 0)
        {
            return true;
        }

        if (long.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
        {
            value = parsed;
            return true;
        }

        return false;
    }
}
