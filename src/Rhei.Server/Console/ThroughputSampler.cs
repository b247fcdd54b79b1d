using Rhei.Server.Metrics;

namespace Rhei.Server.Console;

/// <summary>
/// Samples the metrics every second into a ring buffer of five minutes: bytes in (appended), bytes out (read) and
/// records in per second over all topics; and keeps the totals of a few seconds back per topic and per streams
/// application, from which the console reports current rates. Reads happen from request threads; one lock guards it.
/// </summary>
internal sealed class ThroughputSampler
{
    public const int Capacity = 300;
    private const int RateWindow = 5;

    private readonly Lock _sync = new();
    private readonly double[] _bytesIn = new double[Capacity];
    private readonly double[] _bytesOut = new double[Capacity];
    private readonly double[] _recordsIn = new double[Capacity];
    private readonly Sample?[] _recent = new Sample?[RateWindow + 1];
    private int _count;
    private int _next;
    private long _lastSampleMs;
    private Sample? _previous;

    /// <summary>The per-key totals at one instant.</summary>
    private sealed record Sample(
        long TimeMs,
        double BytesIn,
        double BytesOut,
        double RecordsIn,
        Dictionary<string, double> TopicRecordsIn,
        Dictionary<string, double> TopicBytesIn,
        Dictionary<string, double> TopicBytesOut,
        Dictionary<string, double> AppProcessed,
        Dictionary<string, double> AppErrors);

    /// <summary>Takes a sample from a metrics snapshot taken at <paramref name="nowMs"/>.</summary>
    public void Add(IReadOnlyList<MetricSnapshot> metrics, long nowMs)
    {
        MetricSnapshot? Find(string name) => metrics.FirstOrDefault(m => m.Name == name);
        var appended = Find("rhei.storage.appended.bytes");
        var records = Find("rhei.storage.appended.records");
        var read = Find("rhei.storage.read.bytes");
        var processed = Find("rhei.streams.records.processed");
        var errors = Find("rhei.streams.processing.errors");
        var sample = new Sample(
            nowMs,
            appended?.Total ?? 0,
            read?.Total ?? 0,
            records?.Total ?? 0,
            records?.SumBy("topic") ?? [],
            appended?.SumBy("topic") ?? [],
            read?.SumBy("topic") ?? [],
            processed?.SumBy("application.id") ?? [],
            errors?.SumBy("application.id") ?? []);

        lock (_sync)
        {
            if (_previous is { } previous)
            {
                var seconds = Math.Max(0.001, (nowMs - previous.TimeMs) / 1000.0);
                _bytesIn[_next] = Math.Max(0, (sample.BytesIn - previous.BytesIn) / seconds);
                _bytesOut[_next] = Math.Max(0, (sample.BytesOut - previous.BytesOut) / seconds);
                _recordsIn[_next] = Math.Max(0, (sample.RecordsIn - previous.RecordsIn) / seconds);
                _next = (_next + 1) % Capacity;
                _count = Math.Min(Capacity, _count + 1);
                _lastSampleMs = nowMs;
            }

            _previous = sample;
            Array.Copy(_recent, 1, _recent, 0, RateWindow);
            _recent[RateWindow] = sample;
        }
    }

    /// <summary>The series, oldest first, and the time of the newest point (0 when empty).</summary>
    public (double[] BytesIn, double[] BytesOut, double[] RecordsIn, long LastMs) Series()
    {
        lock (_sync)
        {
            return (Ordered(_bytesIn), Ordered(_bytesOut), Ordered(_recordsIn), _lastSampleMs);
        }
    }

    private double[] Ordered(double[] ring)
    {
        var result = new double[_count];
        var start = (_next - _count + Capacity) % Capacity;
        for (var i = 0; i < _count; i++)
        {
            result[i] = ring[(start + i) % Capacity];
        }

        return result;
    }

    /// <summary>Rates per second over the last few seconds, per topic.</summary>
    public (double RecordsIn, double BytesIn, double BytesOut) TopicRates(string topic) =>
        (Rate(s => s.TopicRecordsIn.GetValueOrDefault(topic)), Rate(s => s.TopicBytesIn.GetValueOrDefault(topic)), Rate(s => s.TopicBytesOut.GetValueOrDefault(topic)));

    /// <summary>Records processed per second by a streams application over the last few seconds.</summary>
    public double ApplicationRate(string applicationId) => Rate(s => s.AppProcessed.GetValueOrDefault(applicationId));

    /// <summary>The processing errors of a streams application since the server started.</summary>
    public long ApplicationErrors(string applicationId)
    {
        lock (_sync)
        {
            return (long)(_recent[RateWindow]?.AppErrors.GetValueOrDefault(applicationId) ?? 0);
        }
    }

    private double Rate(Func<Sample, double> value)
    {
        lock (_sync)
        {
            var newest = _recent[RateWindow];
            var oldest = _recent.FirstOrDefault(s => s is not null);
            if (newest is null || oldest is null || ReferenceEquals(newest, oldest))
            {
                return 0;
            }

            var seconds = (newest.TimeMs - oldest.TimeMs) / 1000.0;
            return seconds <= 0 ? 0 : Math.Max(0, (value(newest) - value(oldest)) / seconds);
        }
    }
}
