using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Rhei.Engine.Queries;

namespace Rhei.Server.Rest;

/// <summary>
/// Streams a query's rows into a response: each row is written straight to the response pipe, and the pipe is
/// flushed whenever no further row is ready at once (so a burst goes out in few writes, and a quiet push query's
/// last row is not held back). Ends when the rows end, the client goes away, or the server stops.
/// </summary>
internal static class QueryWriter
{
    /// <summary>
    /// Writes the rows with <paramref name="writeRow"/>: each after <paramref name="separator"/> (from the second on,
    /// or from the first with <paramref name="firstNeedsSeparator"/>) and before <paramref name="terminator"/>.
    /// </summary>
    /// <returns>The number of rows written, and the error that ended the query early (null if none).</returns>
    public static async Task<(long Rows, Exception? Error)> WriteRowsAsync(
        HttpContext context, TransientQuery query, ReadOnlyMemory<byte> separator, bool firstNeedsSeparator, ReadOnlyMemory<byte> terminator,
        Action<Utf8JsonWriter, QueryRow> writeRow, CancellationToken stopping)
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

        var rows = query.ReadAsync(cancel.Token).GetAsyncEnumerator(cancel.Token);
        try
        {
            while (true)
            {
                var next = rows.MoveNextAsync();
                if (!next.IsCompleted && pipe.UnflushedBytes > 0)
                {
                    await pipe.FlushAsync(cancel.Token);
                }

                if (!await next)
                {
                    return (count, null);
                }

                WriteOne(pipe, rows.Current, separator, count > 0 || firstNeedsSeparator, terminator, writeRow);
                count++;
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
            await rows.DisposeAsync();
        }
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
