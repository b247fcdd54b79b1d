using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using Rhei.Client;
using Rhei.Formats.Serde;
using Rhei.Server.Rest.Entities;
using Rhei.Server.Rest.Json;
using Rhei.Sql.Execution;
using Rhei.Sql.Schema;

namespace Rhei.Server.Rest;

/// <summary>
/// <c>POST /inserts-stream</c>: the request body is a JSON object naming the target stream, then any number of JSON
/// objects, one per row, for as long as the client keeps the request open. Each row is written to the stream's topic
/// with the stream's formats, and acknowledged once stored: <c>{"status":"ok","seq":n}</c> (n counts rows from 0), or
/// <c>{"status":"error","seq":n,"error_code":...,"message":...}</c>. Acks stream back while the request is still being
/// sent (HTTP/2, or HTTP/1.1 with chunked bodies both ways).
/// </summary>
internal sealed class InsertsStreamResource(RestApi api)
{
    private const int MaxRowBytes = 8 * 1024 * 1024;

    public async Task ExecuteAsync(HttpContext context)
    {
        var contentType = MediaTypes.Negotiate(context.Request.Headers.Accept, MediaTypes.Streaming);
        if (contentType is null)
        {
            await RestApi.NotAcceptableAsync(context, MediaTypes.Streaming);
            return;
        }

        var reader = context.Request.BodyReader;
        var cancel = context.RequestAborted;
        Target? target = null;
        Channel<(long Seq, string? Error, int Code)>? acks = null;
        Task? ackWriter = null;
        IProducer? producer = null;
        long seq = 0;
        try
        {
            while (true)
            {
                var read = await reader.ReadAsync(cancel);
                var buffer = read.Buffer;
                var objects = new List<byte[]>();
                SequencePosition consumed;
                try
                {
                    consumed = Extract(buffer, objects);
                }
                catch (JsonException e) when (target is not null)
                {
                    acks!.Writer.TryWrite((seq++, "Invalid JSON in inserts stream: " + HttpIo.Describe(e), ErrorCodes.MalformedRequest));
                    reader.AdvanceTo(buffer.End);
                    break;
                }
                catch (JsonException e)
                {
                    reader.AdvanceTo(buffer.End);
                    await HttpIo.WriteErrorAsync(context, 400, ErrorCodes.MalformedRequest, "Invalid JSON in request args: " + HttpIo.Describe(e));
                    return;
                }

                foreach (var objectBytes in objects)
                {
                    if (target is null)
                    {
                        target = await OpenAsync(context, objectBytes);
                        if (target is null)
                        {
                            reader.AdvanceTo(buffer.End);
                            return;
                        }

                        producer = api.Engine.Options.ClientFactory!.CreateProducer(new ProducerOptions { ClientId = "rhei-inserts", LingerMs = 1 });
                        acks = Channel.CreateUnbounded<(long, string?, int)>(new UnboundedChannelOptions { SingleReader = true });
                        context.Response.StatusCode = 200;
                        context.Response.ContentType = contentType;
                        await context.Response.StartAsync(cancel);
                        ackWriter = WriteAcksAsync(context.Response.BodyWriter, acks.Reader, contentType == MediaTypes.Json, cancel);
                        continue;
                    }

                    Insert(target, producer!, acks!.Writer, seq++, objectBytes);
                }

                if (read.IsCompleted)
                {
                    reader.AdvanceTo(buffer.End);
                    break;
                }

                if (buffer.Slice(consumed).Length > MaxRowBytes)
                {
                    reader.AdvanceTo(buffer.End);
                    acks?.Writer.TryWrite((seq++, $"A row is larger than {MaxRowBytes} bytes.", ErrorCodes.MalformedRequest));
                    break;
                }

                reader.AdvanceTo(consumed, buffer.End);
            }

            if (target is null)
            {
                await HttpIo.WriteErrorAsync(context, 400, ErrorCodes.MissingParam,
                    "The request has no arguments: start the body with {\"target\": \"<stream>\"}, then send one JSON object per row.");
                return;
            }

            await producer!.FlushAsync(cancel);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            return;
        }
        finally
        {
            acks?.Writer.TryComplete();
            if (ackWriter is not null)
            {
                await ackWriter;
            }

            if (producer is not null)
            {
                await producer.DisposeAsync();
            }
        }
    }

    /// <summary>Copies out the complete JSON objects at the start of <paramref name="buffer"/>; returns where the incomplete rest begins.</summary>
    private static SequencePosition Extract(ReadOnlySequence<byte> buffer, List<byte[]> objects)
    {
        var json = new Utf8JsonReader(buffer, new JsonReaderOptions { AllowMultipleValues = true, CommentHandling = JsonCommentHandling.Skip });
        var consumed = buffer.Start;
        while (json.Read())
        {
            if (json.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException($"Expected a JSON object, found {json.TokenType}.");
            }

            var start = json.TokenStartIndex;
            if (!json.TrySkip())
            {
                break;
            }

            objects.Add(buffer.Slice(start, json.BytesConsumed - start).ToArray());
            consumed = buffer.GetPosition(json.BytesConsumed);
        }

        return consumed;
    }

    private async Task<Target?> OpenAsync(HttpContext context, byte[] argsBytes)
    {
        InsertsStreamArgs? args;
        try
        {
            args = JsonSerializer.Deserialize(argsBytes, RestJsonContext.Default.InsertsStreamArgs);
        }
        catch (JsonException e)
        {
            await HttpIo.WriteErrorAsync(context, 400, ErrorCodes.MalformedRequest, "Invalid JSON in request args: " + HttpIo.Describe(e));
            return null;
        }

        if (string.IsNullOrEmpty(args?.Target))
        {
            await HttpIo.WriteErrorAsync(context, 400, ErrorCodes.MissingParam,
                "No target in arguments: start the body with {\"target\": \"<stream>\"}.");
            return null;
        }

        var store = api.Engine.MetaStore;
        var source = store.GetSource(args.Target) ?? store.GetSource(args.Target.ToUpperInvariant()) ?? store.FindCaseInsensitive(args.Target);
        if (source is null)
        {
            await HttpIo.WriteErrorAsync(context, 400, ErrorCodes.BadStatement, $"Cannot insert values into an unknown stream: {args.Target}. SHOW STREAMS lists the streams.");
            return null;
        }

        if (source.IsTable)
        {
            await HttpIo.WriteErrorAsync(context, 400, ErrorCodes.BadStatement, $"Cannot insert into a table: {source.Name}. /inserts-stream inserts into streams.");
            return null;
        }

        if (source.IsSource)
        {
            await HttpIo.WriteErrorAsync(context, 400, ErrorCodes.BadStatement, $"Cannot insert into read-only stream: {source.Name}.");
            return null;
        }

        if (api.Engine.Options.ClientFactory is null)
        {
            await HttpIo.WriteErrorAsync(context, 500, ErrorCodes.InternalError, "This server's engine has no clients to write topics with.");
            return null;
        }

        return new Target(source, api.Engine.Formats);
    }

    private static void Insert(Target target, IProducer producer, ChannelWriter<(long, string?, int)> acks, long seq, byte[] rowBytes)
    {
        ProduceRecord record;
        try
        {
            record = target.Encode(rowBytes);
        }
        catch (Exception e) when (e is SerdeException or FormatException or InvalidCastException or OverflowException or ArgumentException or JsonException)
        {
            acks.TryWrite((seq, $"Failed to insert row {seq} into {target.Source.Name}: {e.Message}", ErrorCodes.CannotCoerceField));
            return;
        }

        producer.Produce(record, (_, error) =>
            acks.TryWrite(error is null ? (seq, null, 0) : (seq, $"Failed to write row {seq} to topic {target.Source.KafkaTopicName}: {error.Message}", ErrorCodes.InternalError)));
    }

    private static async Task WriteAcksAsync(PipeWriter pipe, ChannelReader<(long Seq, string? Error, int Code)> acks, bool jsonArray, CancellationToken cancellationToken)
    {
        var first = true;
        try
        {
            if (jsonArray)
            {
                HttpIo.Copy("["u8, pipe);
            }

            while (await acks.WaitToReadAsync(cancellationToken))
            {
                while (acks.TryRead(out var ack))
                {
                    if (jsonArray && !first)
                    {
                        HttpIo.Copy(","u8, pipe);
                    }

                    first = false;
                    var writer = HttpIo.RentWriter(pipe);
                    writer.WriteStartObject();
                    writer.WriteString("status", ack.Error is null ? "ok" : "error");
                    writer.WriteNumber("seq", ack.Seq);
                    if (ack.Error is not null)
                    {
                        writer.WriteNumber("error_code", ack.Code);
                        writer.WriteString("message", ack.Error);
                    }

                    writer.WriteEndObject();
                    writer.Flush();
                    if (!jsonArray)
                    {
                        HttpIo.Copy("\n"u8, pipe);
                    }
                }

                await pipe.FlushAsync(cancellationToken);
            }

            if (jsonArray)
            {
                HttpIo.Copy("]"u8, pipe);
                await pipe.FlushAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>The stream rows go to, with the serializers of its topic and a reader of row objects into its columns.</summary>
    private sealed class Target
    {
        private readonly RowDeserializer _rows;
        private readonly Streams.Serializer<GenericKey> _key;
        private readonly Streams.Serializer<object?[]> _value;
        private readonly int _keyCount;
        private readonly int _valueCount;

        public Target(DataSource source, FormatRegistry formats)
        {
            Source = source;
            var keySchema = source.Schema.KeySerdeSchema();
            var valueSchema = source.Schema.ValueSerdeSchema();
            _keyCount = keySchema.Count;
            _valueCount = valueSchema.Count;
            var all = new SerdeSchema([.. keySchema.Columns, .. valueSchema.Columns]);
            _rows = formats.Get("JSON").CreateDeserializer(all, SerdeOptions.Value());
            _key = FormatSerdes.Key(formats, source.Topic.KeyFormat, keySchema, source.KafkaTopicName).Serialize;
            _value = FormatSerdes.Value(formats, source.Topic.ValueFormat, valueSchema, source.KafkaTopicName).Serialize;
        }

        public DataSource Source { get; }

        public ProduceRecord Encode(byte[] bytes)
        {
            var row = new object?[_keyCount + _valueCount];
            if (!_rows.Deserialize(bytes, row))
            {
                throw new FormatException("The row is not a JSON object.");
            }

            var key = _keyCount == 0 ? null : _key(new GenericKey(row[.._keyCount]), Source.KafkaTopicName);
            var value = _value(row[_keyCount..], Source.KafkaTopicName);
            return new ProduceRecord(Source.KafkaTopicName, key, value);
        }
    }
}
