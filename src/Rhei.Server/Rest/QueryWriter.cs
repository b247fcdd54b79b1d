using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Rhei.Engine.Queries;

namespace Rhei.Server.Rest;

/// <summary>
/// Streams a query's rows into a response: each row is written straight to the response pipe, and the pipe is
/// flushed whenever no further row is ready at once (so a burst goes out in few writes, and a quiet push query's
/// last row is not held back). A chunk of rows shared by several push queries is encoded once, by the first response
/// to write it, and its bytes are copied by the others. Ends when the rows end, the client goes away, or the server
/// stops.
/// </summary>
internal static class QueryWriter
{
    /// <summary>Rows of <c>/query-stream</c> in <c>application/vnd.ksqlapi.delimited.v1</c>: one array per line.</summary>
    public const int DelimitedRows = 1;

    /// <summary>Rows of <c>/query-stream</c> in <c>application/json</c>: arrays after commas.</summary>
    public const int JsonArrayRows = 2;

    /// <summary>Rows of <c>/query</c>: <c>{"row":{"columns":[...]}}</c> objects after commas.</summary>
    public const int QueryRows = 3;

    [ThreadStatic]
    private static (ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Writer)? t_chunk;

    /// <summary>
    /// Writes the rows with <paramref name="writeRow"/>: each after <paramref name="separator"/> (from the second on,
    /// or from the first with <paramref name="firstNeedsSeparator"/>) and before <paramref name="terminator"/>.
    /// <paramref name="format"/> names that layout (one of the constants here): responses that share a chunk of rows
    /// share its encoding only when they write the same layout.
    /// </summary>
    /// <returns>The number of rows written, and the error that ended the query early (null if none).</returns>
    public static async Task<(long Rows, Exception? Error)> WriteRowsAsync(
        HttpContext context, TransientQuery query, ReadOnlyMemory<byte> separator, bool firstNeedsSeparator, ReadOnlyMemory<byte> terminator,
        Action<Utf8JsonWriter, QueryRow> writeRow, int format, CancellationToken stopping)
    {
        var pipe = context.Response.BodyWriter;
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        long count = 0;
        if (query.ImmediateRows is { } immediate)
        {
            try
            {
                foreach (var row in immediate)
                {
                    WriteOne(pipe, row, separator, count > 0 || firstNeedsSeparator, terminator, writeRow);
                    count++;
                    if (pipe.UnflushedBytes > 64 * 1024)
                    {
                        await pipe.FlushAsync(cancel.Token);
                    }
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return (count, e);
            }

            return (count, null);
        }

        var chunks = query.ReadChunksAsync(cancel.Token).GetAsyncEnumerator(cancel.Token);
        try
        {
            while (true)
            {
                var next = chunks.MoveNextAsync();
                if (!next.IsCompleted && pipe.UnflushedBytes > 0)
                {
                    await pipe.FlushAsync(cancel.Token);
                }

                if (!await next)
                {
                    return (count, null);
                }

                var chunk = chunks.Current;
                if (chunk.Shared is { } shared)
                {
                    var bytes = shared.Get(format) ?? Encode(chunk, shared, format, separator.Span, terminator.Span, writeRow);
                    HttpIo.Copy(count == 0 && !firstNeedsSeparator ? bytes.AsSpan(separator.Length) : bytes, pipe);
                    count += chunk.Rows.Length;
                }
                else
                {
                    foreach (var row in chunk.Rows)
                    {
                        WriteOne(pipe, row, separator, count > 0 || firstNeedsSeparator, terminator, writeRow);
                        count++;
                    }
                }

                if (pipe.UnflushedBytes > 64 * 1024)
                {
                    await pipe.FlushAsync(cancel.Token);
                }
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            return (count, null);
        }
        catch (Exception e)
        {
            return (count, e);
        }
        finally
        {
            await chunks.DisposeAsync();
        }
    }

    /// <summary>Encodes a shared chunk (every row after its separator and before its terminator) and keeps the bytes in its slot.</summary>
    private static byte[] Encode(RowChunk chunk, SharedRow shared, int format, ReadOnlySpan<byte> separator, ReadOnlySpan<byte> terminator, Action<Utf8JsonWriter, QueryRow> writeRow)
    {
        var (buffer, writer) = t_chunk ??= (new ArrayBufferWriter<byte>(4096), new Utf8JsonWriter(new ArrayBufferWriter<byte>(1), new JsonWriterOptions { SkipValidation = true }));
        buffer.ResetWrittenCount();
        foreach (var row in chunk.Rows)
        {
            buffer.Write(separator);
            writer.Reset(buffer);
            writeRow(writer, row);
            writer.Flush();
            buffer.Write(terminator);
        }

        var bytes = buffer.WrittenSpan.ToArray();
        if (buffer.Capacity > 1024 * 1024)
        {
            t_chunk = null;
        }

        shared.Set(format, bytes);
        return bytes;
    }

    private static void WriteOne(PipeWriter pipe, QueryRow row, ReadOnlyMemory<byte> separator, bool withSeparator, ReadOnlyMemory<byte> terminator, Action<Utf8JsonWriter, QueryRow> writeRow)
    {
        if (withSeparator)
        {
            HttpIo.Copy(separator.Span, pipe);
        }

        var writer = HttpIo.RentWriter(pipe);
        writeRow(writer, row);
        writer.Flush();
        if (!terminator.IsEmpty)
        {
            HttpIo.Copy(terminator.Span, pipe);
        }
    }
}
