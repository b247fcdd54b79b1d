using Microsoft.Extensions.Logging;
using Rhei.Client;
using Rhei.Sql.Schema;

namespace Rhei.Engine.Queries;

/// <summary>The shared readers of sources for push queries, one per source (and row layout), created and stopped with their subscribers.</summary>
internal sealed class SourceFanOuts(IClientFactory clients, ILogger logger) : IAsyncDisposable
{
    private readonly Dictionary<(DataSource Source, bool RowPartition), SourceFanOut> _readers = [];
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>The number of sources being read for push queries now.</summary>
    public int Count
    {
        get
        {
            lock (_readers)
            {
                return _readers.Count;
            }
        }
    }

    /// <summary>Subscribes a push query to its source's shared reader (starting the reader for the first one).</summary>
    public async Task<SharedPushQuery> SubscribeAsync(string queryId, SimpleSelect select, SourceRowShape shape, int? limit, CancellationToken cancellationToken)
    {
        var key = (shape.Source, shape.RowPartitionIndex >= 0);
        if (TrySubscribe(key, queryId, select, shape, limit) is { } joined)
        {
            return joined;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (TrySubscribe(key, queryId, select, shape, limit) is { } raced)
            {
                return raced;
            }

            var reader = await SourceFanOut.StartAsync(shape, clients, logger, cancellationToken);
            lock (_readers)
            {
                _readers[key] = reader;
            }

            return TrySubscribe(key, queryId, select, shape, limit)!;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Joins the source's running reader, if there is one (found and joined under the lock that its last subscriber's leaving takes).</summary>
    private SharedPushQuery? TrySubscribe((DataSource, bool) key, string queryId, SimpleSelect select, SourceRowShape shape, int? limit)
    {
        lock (_readers)
        {
            if (!_readers.TryGetValue(key, out var reader))
            {
                return null;
            }

            if (reader.IsStopped)
            {
                _readers.Remove(key);
                return null;
            }

            var subscriber = reader.Subscribe(select, limit);
            return new SharedPushQuery(queryId, select, shape, subscriber, () => UnsubscribeAsync(key, reader, subscriber));
        }
    }

    private async ValueTask UnsubscribeAsync((DataSource, bool) key, SourceFanOut reader, FanOutSubscriber subscriber)
    {
        bool last;
        lock (_readers)
        {
            last = reader.Unsubscribe(subscriber);
            if (last && _readers.TryGetValue(key, out var current) && ReferenceEquals(current, reader))
            {
                _readers.Remove(key);
            }
        }

        if (last)
        {
            await reader.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<SourceFanOut> readers;
        lock (_readers)
        {
            readers = [.. _readers.Values];
            _readers.Clear();
        }

        foreach (var reader in readers)
        {
            await reader.StopAsync();
        }

        _gate.Dispose();
    }
}
