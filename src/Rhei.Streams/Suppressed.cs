namespace Rhei.Streams;

/// <summary>How a table's updates are held back (see <see cref="Suppressed"/>).</summary>
public sealed record Suppressed<K>
{
    internal bool UntilWindowClose { get; init; }

    internal long TimeLimitMs { get; init; }

    /// <summary>The name of the suppression node.</summary>
    public string? Name { get; init; }
}

/// <summary>Suppression kinds (unbounded buffers; the buffer is kept in memory).</summary>
public static class Suppressed
{
    /// <summary>Emits each window's final result once, when stream time passes its end plus grace; deletes are not emitted.</summary>
    public static Suppressed<Windowed<K>> UntilWindowCloses<K>(string? name = null) => new() { UntilWindowClose = true, Name = name };

    /// <summary>Emits each key's latest update once <paramref name="limit"/> of stream time has passed since the update.</summary>
    public static Suppressed<K> UntilTimeLimit<K>(TimeSpan limit, string? name = null) => new() { TimeLimitMs = (long)limit.TotalMilliseconds, Name = name };
}
