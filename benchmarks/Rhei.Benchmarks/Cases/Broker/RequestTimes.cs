using System.Diagnostics.Metrics;
using Rhei.Benchmarks.Harness;

namespace Rhei.Benchmarks.Cases.Broker;

/// <summary>
/// Listens to the broker's <c>rhei.broker.request.duration</c> histogram (Meter "Rhei.Broker") and keeps the
/// time the broker spent handling Produce and Fetch requests: where end-to-end latency goes.
/// </summary>
internal sealed class RequestTimes : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Dictionary<string, LatencyRecorder> _byApi = new(StringComparer.Ordinal);
    private volatile bool _recording;

    public RequestTimes()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Rhei.Broker" && instrument.Name == "rhei.broker.request.duration")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, seconds, tags, _) =>
        {
            if (!_recording)
            {
                return;
            }

            foreach (var tag in tags)
            {
                if (tag.Key == "api" && tag.Value is string api && api is "Produce" or "Fetch")
                {
                    lock (_byApi)
                    {
                        if (!_byApi.TryGetValue(api, out var recorder))
                        {
                            _byApi[api] = recorder = new LatencyRecorder();
                        }

                        recorder.RecordNanos((long)(seconds * 1e9));
                    }
                }
            }
        });
        _listener.Start();
    }

    public void StartRecording() => _recording = true;

    public void StopRecording() => _recording = false;

    /// <summary>"p50 / p99 ms (count)" of the handling time of <paramref name="api"/> requests.</summary>
    public string Describe(string api)
    {
        lock (_byApi)
        {
            if (!_byApi.TryGetValue(api, out var recorder))
            {
                return "none";
            }

            var s = recorder.Summarize();
            return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"p50 {s.P50Ms:0.###} ms, p99 {s.P99Ms:0.###} ms, max {s.MaxMs:0.###} ms ({s.Count:#,0} requests)");
        }
    }

    public void Dispose() => _listener.Dispose();
}
