using Rhei.Streams.Processors;

namespace Rhei.Streams.Runtime;

/// <summary>
/// The punctuations of one task. A schedule fires once when its time is reached, then moves to the next
/// multiple of its interval after the current time (missed intervals are not replayed, as Kafka Streams does).
/// </summary>
internal sealed class PunctuationQueue
{
    private sealed class Entry(long next, long interval, PunctuationType type, Action<long> callback) : IDisposable
    {
        public long Next = next;
        public readonly long Interval = interval;
        public readonly PunctuationType Type = type;
        public readonly Action<long> Callback = callback;
        public bool Cancelled;

        public void Dispose() => Cancelled = true;
    }

    private readonly List<Entry> _schedules = [];

    public IDisposable Schedule(long intervalMs, PunctuationType type, Action<long> callback, long start)
    {
        if (intervalMs < 1) { throw new ArgumentOutOfRangeException(nameof(intervalMs), "A punctuation interval must be at least 1 ms."); }
        var s = new Entry(start, intervalMs, type, callback);
        _schedules.Add(s);
        return s;
    }

    public bool HasAny(PunctuationType type)
    {
        foreach (var s in _schedules) { if (s.Type == type && !s.Cancelled) { return true; } }
        return false;
    }

    /// <summary>Fires the due schedules of this type; true when any fired.</summary>
    public bool MaybePunctuate(PunctuationType type, long now)
    {
        if (_schedules.Count == 0 || now < 0) { return false; }
        var fired = false;
        for (var i = 0; i < _schedules.Count; i++)
        {
            var s = _schedules[i];
            if (s.Cancelled)
            {
                _schedules.RemoveAt(i--);
                continue;
            }

            if (s.Type != type || s.Next > now) { continue; }
            var next = s.Next + s.Interval;
            if (now >= next) { next = now - ((now - s.Next) % s.Interval) + s.Interval; }
            s.Next = next;
            s.Callback(now);
            fired = true;
        }

        return fired;
    }
}
