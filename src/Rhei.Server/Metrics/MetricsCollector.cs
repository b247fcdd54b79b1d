using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Rhei.Server.Metrics;

/// <summary>
/// Listens to Rhei's meters (every meter whose name starts with <c>Rhei.</c>, plus .NET's <c>System.Runtime</c>) and
/// keeps one aggregate per instrument and tag set: sums for counters, last values for gauges and observed counters,
/// buckets for histograms. <see cref="Collect"/> observes the observable instruments and returns a snapshot; the
/// Prometheus exposition and the web console's charts both read from it. Measurements arrive from any thread.
/// </summary>
public sealed class MetricsCollector : IDisposable
{
    /// <summary>Histogram bucket upper bounds for durations in seconds: 100 µs to 10 s.</summary>
    private static readonly double[] SecondsBuckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private static readonly double[] DefaultBuckets = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];

    private readonly MeterListener _listener;
    private readonly ConcurrentDictionary<Instrument, InstrumentAggregate> _instruments = new();
    private readonly Func<Meter, bool> _include;
    private readonly Lock _collectSync = new();

    /// <param name="include">Which meters to listen to; by default those named <c>Rhei.*</c> and <c>System.Runtime</c>.</param>
    public MetricsCollector(Func<Meter, bool>? include = null)
    {
        _include = include ?? IsRheiOrRuntime;
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (_include(instrument.Meter))
                {
                    var aggregate = new InstrumentAggregate(instrument, BucketsFor(instrument));
                    _instruments[instrument] = aggregate;
                    listener.EnableMeasurementEvents(instrument, aggregate);
                }
            },
            MeasurementsCompleted = (instrument, state) => _instruments.TryRemove(instrument, out var removed),
        };
        _listener.SetMeasurementEventCallback<long>(static (i, m, tags, state) => ((InstrumentAggregate)state!).Record(m, tags));
        _listener.SetMeasurementEventCallback<int>(static (i, m, tags, state) => ((InstrumentAggregate)state!).Record(m, tags));
        _listener.SetMeasurementEventCallback<short>(static (i, m, tags, state) => ((InstrumentAggregate)state!).Record(m, tags));
        _listener.SetMeasurementEventCallback<byte>(static (i, m, tags, state) => ((InstrumentAggregate)state!).Record(m, tags));
        _listener.SetMeasurementEventCallback<double>(static (i, m, tags, state) => ((InstrumentAggregate)state!).Record(m, tags));
        _listener.SetMeasurementEventCallback<float>(static (i, m, tags, state) => ((InstrumentAggregate)state!).Record(m, tags));
        _listener.SetMeasurementEventCallback<decimal>(static (i, m, tags, state) => ((InstrumentAggregate)state!).Record((double)m, tags));
        _listener.Start();
    }

    /// <summary>True for the meters Rhei exports by default.</summary>
    public static bool IsRheiOrRuntime(Meter meter) =>
        meter.Name.StartsWith("Rhei.", StringComparison.Ordinal) || meter.Name == "System.Runtime";

    /// <summary>Observes the observable instruments, then returns every instrument's series (ordered by name).</summary>
    public IReadOnlyList<MetricSnapshot> Collect()
    {
        lock (_collectSync)
        {
            foreach (var aggregate in _instruments.Values)
            {
                if (aggregate.IsObservable)
                {
                    aggregate.BeginObservation();
                }
            }

            _listener.RecordObservableInstruments();
        }

        // Several meters may publish an instrument of the same name (two brokers in one test process): their series merge.
        return
        [
            .. _instruments.Values
                .GroupBy(a => a.Name, StringComparer.Ordinal)
                .Select(g => Merge([.. g]))
                .OrderBy(s => s.Name, StringComparer.Ordinal),
        ];
    }

    private static MetricSnapshot Merge(List<InstrumentAggregate> aggregates)
    {
        var first = aggregates[0];
        var series = new Dictionary<TagSet, SeriesSnapshot>();
        foreach (var aggregate in aggregates)
        {
            foreach (var s in aggregate.Snapshot())
            {
                series[s.Tags] = series.TryGetValue(s.Tags, out var existing) ? existing.Add(s, first.Kind) : s;
            }
        }

        return new MetricSnapshot(first.Name, first.Unit, first.Description, first.Kind, first.Buckets, [.. series.Values]);
    }

    private static double[]? BucketsFor(Instrument instrument)
    {
        if (!instrument.GetType().IsGenericType || instrument.GetType().GetGenericTypeDefinition() != typeof(Histogram<>))
        {
            return null;
        }

        return instrument.Unit is "s" ? SecondsBuckets : DefaultBuckets;
    }

    public void Dispose() => _listener.Dispose();

    /// <summary>The aggregates of one instrument, per tag set.</summary>
    private sealed class InstrumentAggregate
    {
        private readonly ConcurrentDictionary<object, Series> _bySingleTag = new();
        private readonly ConcurrentDictionary<TagSet, Series> _byTags = new();
        private readonly Series _untagged;
        private readonly bool _cumulativeObservation;

        public InstrumentAggregate(Instrument instrument, double[]? buckets)
        {
            Name = instrument.Name;
            Unit = instrument.Unit;
            Description = instrument.Description;
            Buckets = buckets;
            var type = instrument.GetType().IsGenericType ? instrument.GetType().GetGenericTypeDefinition() : instrument.GetType();
            Kind = type == typeof(Counter<>) || type == typeof(ObservableCounter<>) ? MetricKind.Counter
                : type == typeof(Histogram<>) ? MetricKind.Histogram
                : type == typeof(UpDownCounter<>) || type == typeof(ObservableUpDownCounter<>) ? MetricKind.UpDownCounter
                : MetricKind.Gauge;
            IsObservable = instrument.IsObservable;
            _cumulativeObservation = !instrument.IsObservable && Kind is MetricKind.Counter or MetricKind.UpDownCounter;
            MeterTags = [.. instrument.Meter.Tags ?? []];
            _untagged = new Series(TagSet.From(MeterTags, []), buckets);
        }

        public string Name { get; }

        public string? Unit { get; }

        public string? Description { get; }

        public MetricKind Kind { get; }

        public double[]? Buckets { get; }

        public bool IsObservable { get; }

        private KeyValuePair<string, object?>[] MeterTags { get; }

        /// <summary>Observable instruments report whole values: series not observed again disappear.</summary>
        public void BeginObservation()
        {
            _untagged.Seen = false;
            foreach (var s in _bySingleTag.Values)
            {
                s.Seen = false;
            }

            foreach (var s in _byTags.Values)
            {
                s.Seen = false;
            }
        }

        public void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var series = Find(tags);
            if (_cumulativeObservation)
            {
                Interlocked.Add(ref series.LongSum, value);
            }
            else if (Kind == MetricKind.Histogram)
            {
                series.Observe(value);
            }
            else
            {
                Volatile.Write(ref series.LongSum, value);
                series.IsDouble = false;
            }

            series.Seen = true;
        }

        public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var series = Find(tags);
            if (_cumulativeObservation)
            {
                series.AddDouble(value);
            }
            else if (Kind == MetricKind.Histogram)
            {
                series.Observe(value);
            }
            else
            {
                series.SetDouble(value);
            }

            series.Seen = true;
        }

        private Series Find(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            if (tags.Length == 0)
            {
                return _untagged;
            }

            if (tags.Length == 1 && MeterTags.Length == 0 && tags[0].Value is { } value)
            {
                // The hot case (a counter per topic or per API): one lookup by the tag's value, no allocation.
                if (_bySingleTag.TryGetValue(value, out var found))
                {
                    return found;
                }

                var name = tags[0].Key;
                return _bySingleTag.GetOrAdd(value, v => new Series(TagSet.From([], [new(name, v)]), Buckets));
            }

            var key = TagSet.From(MeterTags, tags);
            return _byTags.GetOrAdd(key, k => new Series(k, Buckets));
        }

        public IEnumerable<SeriesSnapshot> Snapshot()
        {
            IEnumerable<Series> all = [_untagged, .. _bySingleTag.Values, .. _byTags.Values];
            foreach (var s in all)
            {
                if (!s.Seen)
                {
                    continue;
                }

                yield return s.ToSnapshot();
            }
        }
    }

    /// <summary>One time series: a sum or last value, or a histogram's counts.</summary>
    private sealed class Series(TagSet tags, double[]? buckets)
    {
        private readonly Lock _sync = new();
        private readonly long[]? _bucketCounts = buckets is null ? null : new long[buckets.Length + 1];
        private double _doubleValue;
        public long LongSum;
        public long Count;
        public volatile bool Seen;
        public volatile bool IsDouble;

        public TagSet Tags { get; } = tags;

        public void AddDouble(double value)
        {
            lock (_sync)
            {
                _doubleValue += value;
                IsDouble = true;
            }
        }

        public void SetDouble(double value)
        {
            lock (_sync)
            {
                _doubleValue = value;
                IsDouble = true;
            }
        }

        public void Observe(double value)
        {
            var bounds = buckets!;
            var i = 0;
            while (i < bounds.Length && value > bounds[i])
            {
                i++;
            }

            lock (_sync)
            {
                _bucketCounts![i]++;
                _doubleValue += value;
                Count++;
            }
        }

        public SeriesSnapshot ToSnapshot()
        {
            lock (_sync)
            {
                var value = IsDouble ? _doubleValue : Volatile.Read(ref LongSum);
                return new SeriesSnapshot(Tags, value, Count, _bucketCounts is null ? null : [.. _bucketCounts]);
            }
        }
    }
}

/// <summary>What kind of aggregate an instrument has (how Prometheus types it).</summary>
public enum MetricKind
{
    Counter,
    UpDownCounter,
    Gauge,
    Histogram,
}

/// <summary>One instrument at collection time: its series, one per tag set.</summary>
public sealed record MetricSnapshot(string Name, string? Unit, string? Description, MetricKind Kind, double[]? Buckets, IReadOnlyList<SeriesSnapshot> Series)
{
    /// <summary>The sum of the values of every series (0 when there is none).</summary>
    public double Total => Series.Sum(s => s.Value);

    /// <summary>The values summed per value of one tag (series without the tag are left out).</summary>
    public Dictionary<string, double> SumBy(string tag)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var s in Series)
        {
            if (s.Tags.Get(tag) is { } value)
            {
                result[value] = result.GetValueOrDefault(value) + s.Value;
            }
        }

        return result;
    }
}

/// <summary>
/// One series: for counters and gauges <see cref="Value"/>; for histograms the sum of the observations in
/// <see cref="Value"/>, their number in <see cref="Count"/>, and the (non-cumulative) counts per bucket.
/// </summary>
public sealed record SeriesSnapshot(TagSet Tags, double Value, long Count, long[]? BucketCounts)
{
    internal SeriesSnapshot Add(SeriesSnapshot other, MetricKind kind)
    {
        if (kind == MetricKind.Gauge)
        {
            return other;
        }

        long[]? buckets = null;
        if (BucketCounts is not null && other.BucketCounts is not null)
        {
            buckets = new long[BucketCounts.Length];
            for (var i = 0; i < buckets.Length; i++)
            {
                buckets[i] = BucketCounts[i] + other.BucketCounts[i];
            }
        }

        return new SeriesSnapshot(Tags, Value + other.Value, Count + other.Count, buckets);
    }
}
