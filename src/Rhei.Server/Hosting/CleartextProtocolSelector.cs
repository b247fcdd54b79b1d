using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;

namespace Rhei.Server.Hosting;

/// <summary>
/// Serves HTTP/1.1 and HTTP/2 with prior knowledge (h2c) on one cleartext port, as ksqlDB does. Kestrel serves h2c only
/// on an HTTP/2-only endpoint, so the public endpoint is HTTP/1.1 with this connection middleware in front: it peeks
/// at the first bytes without consuming them, and a connection that opens with the HTTP/2 connection preface
/// (<c>PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n</c>) is handed over whole to the internal HTTP/2 endpoint. A request line
/// differs from the preface by its second byte at the latest, so HTTP/1.1 connections are never delayed.
/// </summary>
internal static class CleartextProtocolSelector
{
    private static ReadOnlySpan<byte> Preface => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8;

    public static Func<ConnectionDelegate, ConnectionDelegate> Create(HandoffTransport handoff) =>
        next => connection => SelectAsync(connection, next, handoff);

    private static async Task SelectAsync(ConnectionContext connection, ConnectionDelegate http1, HandoffTransport handoff)
    {
        var input = connection.Transport.Input;
        while (true)
        {
            ReadResult read;
            try
            {
                read = await input.ReadAsync(connection.ConnectionClosed);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var buffer = read.Buffer;
            var verdict = Classify(buffer);
            if (verdict is null && !read.IsCompleted && !read.IsCanceled)
            {
                // Not enough bytes to tell: look at everything, consume nothing, and wait for more.
                input.AdvanceTo(buffer.Start, buffer.End);
                continue;
            }

            // Leave every byte for the pipeline that serves the connection.
            input.AdvanceTo(buffer.Start);
            if (verdict == true)
            {
                await handoff.HandOverAsync(connection);
            }
            else
            {
                await http1(connection);
            }

            return;
        }
    }

    /// <summary>True: an HTTP/2 preface; false: anything else; null: a prefix of the preface, too short to tell.</summary>
    internal static bool? Classify(ReadOnlySequence<byte> buffer)
    {
        var length = (int)Math.Min(buffer.Length, Preface.Length);
        Span<byte> head = stackalloc byte[24];
        buffer.Slice(0, length).CopyTo(head);
        if (!head[..length].SequenceEqual(Preface[..length]))
        {
            return false;
        }

        return length == Preface.Length ? true : null;
    }
}
