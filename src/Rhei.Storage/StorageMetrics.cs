using System.Diagnostics.Metrics;
using Rhei.Storage.Partitions;

namespace Rhei.Storage;

/// <summary>
/// The storage layer's metrics on the Meter "Rhei.Storage", all observed when a listener collects (nothing on the
/// append or read path but a field update): bytes and records appended and bytes read per topic — every writer and
/// reader, Kafka clients through the broker and in-process clients alike — and the size, end offset and partition
/// count of each topic.
/// </summary>
internal sealed class StorageMetrics : IDisposable
{
    public const string MeterName = "Rhei.Storage";

    private readonly Meter _meter;
    private readonly Func<IEnumerable<(string Topic, IReadOnlyList<PartitionLog> Partitions)>> _topics;

    /// <param name="scope">The meter's scope: the log manager, so a listener can tell two instances in one process apart.</param>
    public StorageMetrics(object scope, Func<IEnumerable<(string Topic, IReadOnlyList<PartitionLog> Partitions)>> topics)
    {
        _topics = topics;
        _meter = new Meter(new MeterOptions(MeterName) { Scope = scope });
        _meter.CreateObservableCounter("rhei.storage.appended.bytes", () => PerTopic(p => p.AppendedBytes), "By",
            "Record batch bytes appended since start, per topic (every producer: Kafka clients, connectors, queries).");
        _meter.CreateObservableCounter("rhei.storage.appended.records", () => PerTopic(p => p.AppendedRecords), "{record}",
            "Records appended since start, per topic.");
        _meter.CreateObservableCounter("rhei.storage.read.bytes", () => PerTopic(p => p.ReadBytes), "By",
            "Record batch bytes read since start, per topic (Fetch requests and in-process consumers).");
        _meter.CreateObservableGauge("rhei.storage.log.size", () => PerTopic(p => p.Size), "By",
            "Bytes of the segment files of each topic.");
        _meter.CreateObservableGauge("rhei.storage.log.end_offset", () => PerTopic(p => p.HighWatermark), "{offset}",
            "The sum over a topic's partitions of their high watermarks.");
        _meter.CreateObservableGauge("rhei.storage.partitions", () => PerTopic(_ => 1), "{partition}",
            "Partitions of each topic.");
    }

    private IEnumerable<Measurement<long>> PerTopic(Func<PartitionLog, long> value)
    {
        foreach (var (topic, partitions) in _topics())
        {
            long sum = 0;
            foreach (var partition in partitions)
            {
                sum += value(partition);
            }

            yield return new Measurement<long>(sum, new KeyValuePair<string, object?>("topic", topic));
        }
    }

    public void Dispose() => _meter.Dispose();
}
