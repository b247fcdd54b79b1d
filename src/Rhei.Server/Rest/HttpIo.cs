using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Rhei.Server.Rest.Entities;
using Rhei.Server.Rest.Json;

namespace Rhei.Server.Rest;

/// <summary>Reading request bodies and writing JSON responses, straight from and to Kestrel's pipes.</summary>
internal static class HttpIo
{
    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    /// <summary>
    /// Reads the whole request body and deserializes it. Returns null after writing a 400 (malformed JSON) or 413
    /// (too large) response; an empty body reads as <paramref name="empty"/>.
    /// </summary>
    public static async ValueTask<T?> ReadJsonAsync<T>(HttpContext context, JsonTypeInfo<T> type, int maxBytes, Func<T> empty)
        where T : class
    {
        var reader = context.Request.BodyReader;
        while (true)
        {
            var read = await reader.ReadAsync(context.RequestAborted);
            var buffer = read.Buffer;
            if (buffer.Length > maxBytes)
            {
                reader.AdvanceTo(buffer.End);
                await WriteErrorAsync(context, 413, ErrorCodes.BadRequest,
                    $"The request body is larger than the {maxBytes} bytes this server accepts.");
                return null;
            }

            if (!read.IsCompleted)
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
                continue;
            }

            try
            {
                if (IsBlank(buffer))
                {
                    return empty();
                }

                var json = new Utf8JsonReader(buffer, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
                return JsonSerializer.Deserialize(ref json, type) ?? empty();
            }
            catch (JsonException e)
            {
                await WriteErrorAsync(context, 400, ErrorCodes.BadRequest, "Invalid JSON in request: " + Describe(e));
                return null;
            }
            finally
            {
                reader.AdvanceTo(buffer.End);
            }
        }
    }

    /// <summary>A JSON error in words a person can act on: what is wrong and where (line and byte in the line).</summary>
    public static string Describe(JsonException e)
    {
        var message = e.Message;
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        if (cut >= 0)
        {
            message = message[..cut];
        }

        return e.LineNumber is { } line && e.BytePositionInLine is { } position
            ? $"{message.TrimEnd('.')} (at line {line + 1}, position {position + 1})."
            : message;
    }

    private static bool IsBlank(ReadOnlySequence<byte> buffer)
    {
        foreach (var segment in buffer)
        {
            foreach (var b in segment.Span)
            {
                if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>Writes <paramref name="value"/> as the whole response, with a Content-Length.</summary>
    public static Task WriteJsonAsync<T>(HttpContext context, int status, T value, JsonTypeInfo<T> type, string contentType = MediaTypes.Json)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        var writer = RentWriter(buffer);
        JsonSerializer.Serialize(writer, value, type);
        writer.Flush();
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength = buffer.WrittenCount;
        var pipe = response.BodyWriter;
        Copy(buffer.WrittenSpan, pipe);
        if (buffer.Capacity > 1024 * 1024)
        {
            t_buffer = null;
        }

        return FlushAsync(pipe, context.RequestAborted);
    }

    /// <summary>
    /// Copies <paramref name="source"/> into <paramref name="pipe"/>. Always with a size hint: Kestrel's response pipe,
    /// hosted without the generic host, answers <c>GetSpan()</c> with an empty span.
    /// </summary>
    public static void Copy(ReadOnlySpan<byte> source, PipeWriter pipe)
    {
        while (source.Length > 0)
        {
            var span = pipe.GetSpan(source.Length);
            var n = Math.Min(span.Length, source.Length);
            source[..n].CopyTo(span);
            pipe.Advance(n);
            source = source[n..];
        }
    }

    /// <summary>A <see cref="Utf8JsonWriter"/> for this thread, reset onto <paramref name="output"/>. Use it without awaiting in between.</summary>
    public static Utf8JsonWriter RentWriter(IBufferWriter<byte> output)
    {
        var writer = t_writer;
        if (writer is null)
        {
            writer = new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = true });
            t_writer = writer;
        }
        else
        {
            writer.Reset(output);
        }

        return writer;
    }

    public static Task WriteErrorAsync(HttpContext context, int status, int errorCode, string message) =>
        WriteJsonAsync<KsqlErrorMessage>(context, status, new KsqlErrorMessage { ErrorCode = errorCode, Message = message },
            RestJsonContext.Default.KsqlErrorMessage);

    public static Task WriteErrorAsync(HttpContext context, KsqlErrorMessage error) =>
        WriteJsonAsync(context, ErrorCodes.HttpStatus(error.ErrorCode), error, RestJsonContext.Default.KsqlErrorMessage);

    private static async Task FlushAsync(PipeWriter pipe, CancellationToken cancellationToken)
    {
        try
        {
            await pipe.FlushAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away; nothing to tell it.
        }
    }
}
