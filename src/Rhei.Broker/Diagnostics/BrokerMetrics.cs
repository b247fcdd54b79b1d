using System.Diagnostics;
using System.Diagnostics.Metrics;
using Rhei.Protocol;

namespace Rhei.Broker.Diagnostics;

/// <summary>
/// The broker's metrics on the Meter "Rhei.Broker": bytes and records in and out per topic, request duration
/// per API, open connections. Counters cost a check when nobody listens.
/// </summary>
internal sealed class BrokerMetrics : IDisposable
{
    public const string MeterName = "Rhei.Broker";

    private readonly Meter _meter;
    private readonly Counter<long> _bytesIn;
    private readonly Counter<long> _recordsIn;
    private readonly Counter<long> _bytesOut;
    private readonly Counter<long> _recordsOut;
    private readonly Counter<long> _bytesSent;
    private readonly Histogram<double> _requestDuration;
    private readonly UpDownCounter<long> _connections;
    private readonly string[] _apiNames;

    public BrokerMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _bytesIn = _meter.CreateCounter<long>("rhei.broker.produce.bytes", "By", "Record batch bytes appended by Produce requests, per topic.");
        _recordsIn = _meter.CreateCounter<long>("rhei.broker.produce.records", "{record}", "Records appended by Produce requests, per topic.");
        _bytesOut = _meter.CreateCounter<long>("rhei.broker.fetch.bytes", "By", "Record batch bytes returned by Fetch requests, per topic.");
        _recordsOut = _meter.CreateCounter<long>("rhei.broker.fetch.records", "{record}", "Records in the batches returned by Fetch requests, per topic.");
        _bytesSent = _meter.CreateCounter<long>("rhei.broker.network.sent", "By", "Bytes sent to clients.");
        _requestDuration = _meter.CreateHistogram<double>("rhei.broker.request.duration", "s", "Time to handle a request, per API.");
        _connections = _meter.CreateUpDownCounter<long>("rhei.broker.connections", "{connection}", "Open client connections.");
        _apiNames = new string[256];
        foreach (var value in Enum.GetValues<ApiKey>())
        {
            if ((uint)(short)value < (uint)_apiNames.Length)
            {
                _apiNames[(short)value] = value.ToString();
            }
        }
    }

    public bool RecordsOutEnabled => _recordsOut.Enabled;

    public void Produced(string topic, long bytes, long records)
    {
        if (_bytesIn.Enabled)
        {
            _bytesIn.Add(bytes, new KeyValuePair<string, object?>("topic", topic));
        }

        if (_recordsIn.Enabled)
        {
            _recordsIn.Add(records, new KeyValuePair<string, object?>("topic", topic));
        }
    }

    public void Fetched(string topic, long bytes, long records)
    {
        if (_bytesOut.Enabled)
        {
            _bytesOut.Add(bytes, new KeyValuePair<string, object?>("topic", topic));
        }

        if (_recordsOut.Enabled && records > 0)
        {
            _recordsOut.Add(records, new KeyValuePair<string, object?>("topic", topic));
        }
    }

    public void BytesSent(long bytes) => _bytesSent.Add(bytes);

    public void RequestHandled(ApiKey apiKey, TimeSpan elapsed)
    {
        if (_requestDuration.Enabled)
        {
            var name = (uint)(short)apiKey < (uint)_apiNames.Length ? _apiNames[(short)apiKey] : null;
            _requestDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("api", name ?? ((short)apiKey).ToString()));
        }
    }

    public void ConnectionOpened() => _connections.Add(1);

    public void ConnectionClosed() => _connections.Add(-1);

    public void Dispose() => _meter.Dispose();

    /// <summary>Elapsed time since a <see cref="Stopwatch.GetTimestamp"/> value.</summary>
    public static TimeSpan Since(long timestamp) => Stopwatch.GetElapsedTime(timestamp);
}
