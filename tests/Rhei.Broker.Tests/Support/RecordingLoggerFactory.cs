using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Rhei.Broker.Tests.Support;

/// <summary>An <see cref="ILoggerFactory"/> that keeps every message at or above a level, for tests that look at what the broker logged.</summary>
internal sealed class RecordingLoggerFactory(LogLevel minimum) : ILoggerFactory
{
    public ConcurrentQueue<(LogLevel Level, EventId Event, string Message)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class Logger(RecordingLoggerFactory owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= owner._minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                owner.Entries.Enqueue((logLevel, eventId, formatter(state, exception)));
            }
        }
    }

    private readonly LogLevel _minimum = minimum;
}
