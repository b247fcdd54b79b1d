using Rhei.Client;
using Rhei.Formats.Windowed;
using Rhei.Streams;
using Rhei.Streams.State;

namespace Rhei.Engine.Runtime;

/// <summary>
/// Runs each persistent query as a <see cref="StreamsApp"/> on a client factory (the embedded broker by default, or a
/// Kafka cluster): its consumer group and internal topics are named after the query's application id. PAUSE stops the
/// application and keeps its state; RESUME starts it again, restoring its stores from their changelogs.
/// </summary>
public sealed class StreamsQueryRuntime(IClientFactory clients) : QueryRuntime
{
    public override async ValueTask<IQueryHandle> StartAsync(QueryStart query, CancellationToken cancellationToken = default)
    {
        var handle = new Handle(query, clients);
        await handle.StartAsync(cancellationToken);
        return handle;
    }

    private sealed class Handle(QueryStart query, IClientFactory clients) : IQueryHandle
    {
        private StreamsApp? _app;

        public Exception? Error => _app?.Error;

        public TopicTableStore? OutputStore { get; private set; }

        public async Task StartAsync(CancellationToken cancellationToken)
        {
            var app = new StreamsApp(query.Topology, query.Options, clients);
            TopicTableStore? store = null;
            if (query.Sink is { IsTable: true } sink && query.Topology.SinkTopics.Contains(sink.KafkaTopicName, StringComparer.Ordinal))
            {
                var layout = sink.Topic.KeyFormat.Window?.Type switch
                {
                    null => TopicKeyLayout.Plain,
                    WindowType.Session => TopicKeyLayout.SessionWindowed,
                    _ => TopicKeyLayout.TimeWindowed,
                };
                store = app.MaterializeSinkTopic(sink.KafkaTopicName, layout);
            }

            await app.StartAsync(cancellationToken);
            _app = app;
            if (store is not null)
            {
                OutputStore = store;
            }
        }

        public async ValueTask PauseAsync(CancellationToken cancellationToken = default)
        {
            if (_app is { } app)
            {
                _app = null;
                await app.DisposeAsync();
            }
        }

        public async ValueTask ResumeAsync(CancellationToken cancellationToken = default)
        {
            if (_app is null)
            {
                await StartAsync(cancellationToken);
            }
        }

        public async ValueTask StopAsync(bool cleanUp, CancellationToken cancellationToken = default)
        {
            await PauseAsync(cancellationToken);
            OutputStore = null;
            if (cleanUp)
            {
                var directory = Path.Combine(query.Options.StateDir, query.ApplicationId);
                if (Directory.Exists(directory))
                {
                    Directory.Delete(directory, recursive: true);
                }
            }
        }

        public ValueTask DisposeAsync() => PauseAsync();
    }
}
