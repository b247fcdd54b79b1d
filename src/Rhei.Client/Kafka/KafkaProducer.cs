using System.Runtime.InteropServices;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Rhei.Client.Kafka;

/// <summary>
/// The producer over Confluent.Kafka. Delivery reports arrive on librdkafka's background poll thread; an
/// outstanding-record count lets <see cref="FlushAsync"/> await them without blocking a thread.
/// Keys and values that are whole arrays are passed as they are; slices are copied (Confluent takes arrays).
/// </summary>
public sealed class KafkaProducer : IProducer
{
    private readonly IProducer<byte[], byte[]> _producer;
    private readonly ILogger _logger;
    private readonly Action<DeliveryReport<byte[], byte[]>> _untracked;
    private long _outstanding;
    private TaskCompletionSource? _drained;
    private Exception? _firstError;
    private int _disposed;

    public KafkaProducer(KafkaClientFactory factory, ProducerOptions options)
    {
        if (options.TransactionalId is not null)
        {
            throw new NotSupportedException($"The client contracts have no transaction calls yet (transactional.id '{options.TransactionalId}'); leave transactional.id unset.");
        }

        _logger = factory.LoggerFactory.CreateLogger<KafkaProducer>();
        _producer = new ProducerBuilder<byte[], byte[]>(KafkaConfig.Producer(factory, options))
            .SetLogHandler((_, m) => KafkaConfig.Log(_logger, m))
            .SetErrorHandler((p, e) => _logger.KafkaError(p.Name, KafkaErrors.Describe(e)))
            .Build();
        _untracked = report => Delivered(report, null, null);
    }

    public ValueTask<RecordMetadata> ProduceAsync(ProduceRecord record, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var completion = new TaskCompletionSource<RecordMetadata>(TaskCreationOptions.RunContinuationsAsynchronously);
        Send(record, report => Delivered(report, null, completion), null, completion);
        return new ValueTask<RecordMetadata>(completion.Task);
    }

    public void Produce(ProduceRecord record, Action<RecordMetadata, Exception?>? onDelivery = null) =>
        Send(record, onDelivery is null ? _untracked : report => Delivered(report, onDelivery, null), onDelivery, null);

    /// <summary>Hands the record to librdkafka; a refusal there (unknown topic, full queue) is reported like a failed delivery.</summary>
    private void Send(in ProduceRecord record, Action<DeliveryReport<byte[], byte[]>> handler, Action<RecordMetadata, Exception?>? callback, TaskCompletionSource<RecordMetadata>? completion)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var message = new Message<byte[], byte[]>
        {
            Key = ToArray(record.Key)!,
            Value = ToArray(record.Value)!,
            Timestamp = record.Timestamp is { } ts ? new Timestamp(ts, Confluent.Kafka.TimestampType.CreateTime) : Timestamp.Default,
        };
        if (record.Headers is { Count: > 0 } headers)
        {
            message.Headers = [];
            foreach (var h in headers)
            {
                message.Headers.Add(h.Key, ToArray(h.Value));
            }
        }

        Interlocked.Increment(ref _outstanding);
        try
        {
            if (record.Partition >= 0)
            {
                _producer.Produce(new Confluent.Kafka.TopicPartition(record.Topic, record.Partition), message, handler);
            }
            else
            {
                _producer.Produce(record.Topic, message, handler);
            }
        }
        catch (ProduceException<byte[], byte[]> e)
        {
            var error = new ProduceException(KafkaErrors.Name(e.Error), $"Producing to {record.Topic} failed: {KafkaErrors.Describe(e.Error)}", e);
            if (completion is not null)
            {
                completion.TrySetException(error);
            }
            else
            {
                Interlocked.CompareExchange(ref _firstError, error, null);
                InvokeCallback(callback, new RecordMetadata(record.Topic, record.Partition, -1, -1), error);
            }

            if (Interlocked.Decrement(ref _outstanding) == 0)
            {
                Volatile.Read(ref _drained)?.TrySetResult();
            }
        }
    }

    private static byte[]? ToArray(ReadOnlyMemory<byte>? bytes)
    {
        if (bytes is not { } b)
        {
            return null;
        }

        return MemoryMarshal.TryGetArray(b, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length ? segment.Array : b.ToArray();
    }

    private void Delivered(DeliveryReport<byte[], byte[]> report, Action<RecordMetadata, Exception?>? callback, TaskCompletionSource<RecordMetadata>? completion)
    {
        try
        {
            var metadata = new RecordMetadata(report.Topic, report.Partition.Value, report.Offset.Value, report.Timestamp.UnixTimestampMs);
            ProduceException? error = null;
            if (report.Error.IsError)
            {
                error = new ProduceException(KafkaErrors.Name(report.Error), $"Producing to {report.Topic} failed: {KafkaErrors.Describe(report.Error)}");
                if (completion is null)
                {
                    Interlocked.CompareExchange(ref _firstError, error, null);
                }
            }

            if (completion is not null)
            {
                if (error is null)
                {
                    completion.TrySetResult(metadata);
                }
                else
                {
                    completion.TrySetException(error);
                }
            }

            InvokeCallback(callback, metadata, error);
        }
        finally
        {
            if (Interlocked.Decrement(ref _outstanding) == 0)
            {
                Volatile.Read(ref _drained)?.TrySetResult();
            }
        }
    }

    private void InvokeCallback(Action<RecordMetadata, Exception?>? callback, RecordMetadata metadata, Exception? error)
    {
        if (callback is null)
        {
            return;
        }

        try
        {
            callback(metadata, error);
        }
        catch (Exception e)
        {
            _logger.CallbackThrew(e);
        }
    }

    /// <summary>Asks librdkafka to send at once (ignoring linger.ms) and awaits every outstanding delivery report.</summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        _producer.Flush(TimeSpan.Zero);
        if (Volatile.Read(ref _outstanding) > 0)
        {
            var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _drained, drained);
            if (Volatile.Read(ref _outstanding) > 0)
            {
                await drained.Task.WaitAsync(cancellationToken);
            }
        }

        if (Interlocked.Exchange(ref _firstError, null) is { } error)
        {
            throw error;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        try
        {
            await FlushAsync();
        }
        catch (ProduceException e)
        {
            _logger.FailedAtClose(e, e.Message);
        }

        Volatile.Write(ref _disposed, 1);
        _producer.Dispose();
    }
}
