namespace Rhei.Connect.Runtime;

/// <summary>
/// Restarts of a failing connector or task: the wait doubles from the runtime's initial backoff up to
/// <c>errors.retry.delay.max.ms</c>, for up to <c>errors.retry.timeout</c> of continuous failure (-1: forever).
/// </summary>
internal sealed class RetryPolicy
{
    private readonly TimeSpan _initial;
    private readonly TimeSpan _max;
    private readonly TimeSpan? _timeout;
    private readonly TimeProvider _time;
    private TimeSpan _next;
    private long? _failingSince;

    public RetryPolicy(TimeSpan initial, TimeSpan max, TimeSpan? timeout, TimeProvider time)
    {
        _initial = initial;
        _max = max < initial ? initial : max;
        _timeout = timeout;
        _time = time;
        _next = initial;
    }

    public void Succeeded()
    {
        _next = _initial;
        _failingSince = null;
    }

    /// <summary>The wait before the next try, or null when the retry timeout has passed.</summary>
    public TimeSpan? Failed()
    {
        var now = _time.GetTimestamp();
        _failingSince ??= now;
        if (_timeout is { } timeout && _time.GetElapsedTime(_failingSince.Value, now) >= timeout)
        {
            return null;
        }

        var wait = _next;
        _next = TimeSpan.FromTicks(Math.Min(_next.Ticks * 2, _max.Ticks));
        return wait;
    }
}
