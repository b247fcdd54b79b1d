using Microsoft.Extensions.Logging;
using Rhei.Client;
using Rhei.Streams.Runtime;
using Rhei.Streams.State;

namespace Rhei.Streams;

/// <summary>
/// Runs a topology against topics through <see cref="IClientFactory"/> (as KafkaStreams does). Instances with
/// the same application id form one consumer group over the input topics of every sub-topology; each of the
/// <c>num.stream.threads</c> threads is a member and owns the tasks of its partitions.
/// <para>
/// Requirement on the client: partitions must be assigned with range semantics (partition p of every topic
/// of a sub-topology goes to the same member, given equal partition counts), so that co-partitioned inputs
/// meet in one task. The runtime asks for it with <c>partition.assignment.strategy=range</c>.
/// </para>
/// <para>
/// Lifecycle: Created → (StartAsync) Rebalancing → Running ⇄ Rebalancing → (CloseAsync) PendingShutdown →
/// NotRunning; a failing thread moves the application to Error (see <see cref="Error"/>).
/// </para>
/// </summary>
public sealed class StreamsApp : IAsyncDisposable
{
    private readonly Topology _topology;
    private readonly StreamsOptions _options;
    private readonly IClientFactory _clients;
    private readonly ILogger _logger;
    private readonly List<(StreamThread Thread, Task Run)> _threads = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _sync = new();
    private readonly Dictionary<string, TopicTableStore> _topicStores = new(StringComparer.Ordinal);
    private readonly List<Task> _restores = [];
    private IAdmin? _admin;
    private bool _disposed;

    public StreamsApp(Topology topology, StreamsOptions options, IClientFactory clients)
    {
        if (options.NumStreamThreads < 1) { throw new ArgumentOutOfRangeException(nameof(options), "num.stream.threads must be at least 1."); }
        _topology = topology;
        _options = options;
        _clients = clients;
        _logger = options.LoggerFactory.CreateLogger("Rhei.Streams.StreamsApp");
    }

    public StreamsState State { get; private set; } = StreamsState.Created;

    /// <summary>Why the application is in <see cref="StreamsState.Error"/>.</summary>
    public Exception? Error { get; private set; }

    /// <summary>Raised on every state change (from the thread that caused it).</summary>
    public event Action<StreamsStateChange>? StateChanged;

    /// <summary>The tasks this instance runs now.</summary>
    public IReadOnlyList<TaskId> ActiveTasks
    {
        get { lock (_sync) { return [.. _threads.SelectMany(t => t.Thread.Tasks).Select(t => t.Id).OrderBy(t => t.SubTopology).ThenBy(t => t.Partition)]; } }
    }

    /// <summary>This instance's instances of a store, per task (for pull queries); empty for tasks it does not run.</summary>
    public IReadOnlyList<(TaskId Task, IStateStore Store)> LocalStores(string storeName)
    {
        var result = new List<(TaskId, IStateStore)>();
        lock (_sync)
        {
            foreach (var (thread, _) in _threads)
            {
                foreach (var task in thread.Tasks)
                {
                    if (task.Initialized && task.State.TryGet(storeName, out var store)) { result.Add((task.Id, store)); }
                }
            }
        }

        return result;
    }

    /// <summary>The store instance of one partition, or null when this instance does not run that task.</summary>
    public TStore? Store<TStore>(string storeName, int partition)
        where TStore : class, IStateStore =>
        LocalStores(storeName).FirstOrDefault(s => s.Task.Partition == partition).Store as TStore;

    /// <summary>
    /// Makes a queryable store of a table topic this application writes (a sink): the latest record of every key, as
    /// bytes, updated by the application's own writes and loaded from the topic itself when the application starts
    /// (no changelog topic is created). Call before <see cref="StartAsync"/>; once per topic.
    /// </summary>
    public TopicTableStore MaterializeSinkTopic(string topic, TopicKeyLayout layout = TopicKeyLayout.Plain)
    {
        if (State != StreamsState.Created) { throw new InvalidOperationException($"The application is {State}; materialize its sink topics before starting it."); }
        if (!_topology.SinkTopics.Contains(topic, StringComparer.Ordinal))
        {
            throw new ArgumentException($"Topic {topic} is not a sink of application {_options.ApplicationId}; its sinks are: {string.Join(", ", _topology.SinkTopics)}.", nameof(topic));
        }

        if (_topicStores.ContainsKey(topic)) { throw new InvalidOperationException($"Topic {topic} is materialized already."); }
        var store = new TopicTableStore(topic, layout);
        _topicStores[topic] = store;
        return store;
    }

    /// <summary>The queryable store of a sink topic made with <see cref="MaterializeSinkTopic"/>, or null.</summary>
    public TopicTableStore? SinkTopicStore(string topic) => _topicStores.GetValueOrDefault(topic);

    /// <summary>
    /// A read-only view of a key-value store over every task this instance runs (all its partitions): gets look in
    /// each partition's store, ranges and scans go partition by partition. Value type as the store holds it
    /// (<see cref="ValueAndTimestamp{V}"/> for tables' stores).
    /// </summary>
    public IReadOnlyKeyValueStore<K, V> KeyValueStore<K, V>(string storeName) => new CompositeKeyValueStore<K, V>(this, storeName);

    /// <summary>A read-only view of a window store over every task this instance runs (see <see cref="KeyValueStore{K, V}"/>).</summary>
    public IReadOnlyWindowStore<K, V> WindowStore<K, V>(string storeName) => new CompositeWindowStore<K, V>(this, storeName);

    /// <summary>Creates the internal topics (repartition, changelogs) and starts the stream threads.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (State != StreamsState.Created) { throw new InvalidOperationException($"The application is {State}; only a new one can start."); }
        if (_options.ProcessingGuarantee == ProcessingGuarantee.ExactlyOnceV2)
        {
            throw new NotSupportedException("processing.guarantee=exactly_once_v2 is not available yet (Rhei.Client has no producer transactions); use at_least_once.");
        }

        _admin = _clients.CreateAdmin();
        var external = _topology.SourceTopics;
        var described = external.Count == 0 ? [] : await _admin.DescribeTopicsAsync(external, cancellationToken);
        var counts = described.ToDictionary(d => d.Name, d => d.Partitions, StringComparer.Ordinal);
        foreach (var t in external)
        {
            if (!counts.ContainsKey(t)) { throw new InvalidOperationException($"Source topic {t} does not exist; create it before starting application {_options.ApplicationId}."); }
        }

        var (topicCounts, subCounts) = _topology.ResolvePartitions(_options.ApplicationId, t => counts[t]);
        var internalTopics = _topology.InternalTopics(_options.ApplicationId, topicCounts, subCounts, _options);
        string? commitPointTopic = null;
        if (internalTopics.Any(t => t.IsChangelog))
        {
            commitPointTopic = CommitPoint.TopicName(_options.ApplicationId);
            internalTopics.Add(new Graph.InternalTopic(commitPointTopic, false, 1, new Dictionary<string, string> { ["cleanup.policy"] = "compact" }));
        }

        if (internalTopics.Count > 0)
        {
            var existing = (await _admin.ListTopicsAsync(true, cancellationToken)).ToHashSet(StringComparer.Ordinal);
            var toCreate = internalTopics.Where(t => !existing.Contains(t.Name))
                .Select(t => new TopicSpec(t.Name, t.Partitions, _options.ReplicationFactor) { Configs = t.Configs }).ToList();
            if (toCreate.Count > 0)
            {
                try { await _admin.CreateTopicsAsync(toCreate, cancellationToken); }
                catch (AdminException e) when (e.ErrorName == "TOPIC_ALREADY_EXISTS") { }
            }
        }

        // Sinks with a partitioner (windowed keys) need their partition counts; a sink that is not there yet is
        // written with the producer's default partitioner.
        var sinks = _topology.SinkTopics.Where(t => !topicCounts.ContainsKey(t)).ToList();
        if (sinks.Count > 0)
        {
            try
            {
                foreach (var d in await _admin.DescribeTopicsAsync(sinks, cancellationToken)) { topicCounts.TryAdd(d.Name, d.Partitions); }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
            }
        }

        foreach (var sink in _topology.SinkTopics) { topicCounts.TryAdd(sink, -1); }
        if (_topicStores.Count > 0)
        {
            var materialized = await _admin.DescribeTopicsAsync(_topicStores.Keys, cancellationToken);
            foreach (var d in materialized) { _topicStores[d.Name].BeginRestore(d.Partitions); }
            foreach (var (topic, store) in _topicStores)
            {
                // The store holds every key only while this instance runs every task that writes the topic.
                var writers = _topology.SubTopologies.Where(sub => sub.SinkTopics.Any(t => !t.Internal && t.Name == topic)).Select(sub => (sub.Id, Count: subCounts[sub.Id])).ToList();
                store.OwnsEveryWriter = () =>
                {
                    var tasks = ActiveTasks;
                    return writers.All(w => tasks.Count(t => t.SubTopology == w.Id) == w.Count);
                };
            }

            var restoreLogger = _options.LoggerFactory.CreateLogger("Rhei.Streams.Restore");
            foreach (var store in _topicStores.Values)
            {
                _restores.Add(Task.Run(() => store.RestoreAsync(_clients, _admin, _options, restoreLogger, _stop.Token), CancellationToken.None));
            }
        }

        if (commitPointTopic is not null) { topicCounts[commitPointTopic] = 1; }
        SetState(StreamsState.Rebalancing);
        lock (_sync)
        {
            for (var i = 0; i < _options.NumStreamThreads; i++)
            {
                var thread = new StreamThread(i, _topology, _options, _clients, _admin, topicCounts, commitPointTopic, _logger, _topicStores);
                thread.RebalanceStateChanged += OnRebalanceStateChanged;
                _threads.Add((thread, Task.Run(() => RunThreadAsync(thread))));
            }
        }
    }

    private async Task RunThreadAsync(StreamThread thread)
    {
        try
        {
            await thread.RunAsync(_stop.Token);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Stream thread {Thread} failed; application {ApplicationId} stops", thread.Name, _options.ApplicationId);
            lock (_sync) { Error ??= ex; }
            SetState(StreamsState.Error);
            await _stop.CancelAsync();
        }
    }

    private void OnRebalanceStateChanged()
    {
        if (State is not (StreamsState.Rebalancing or StreamsState.Running)) { return; }
        bool rebalancing;
        lock (_sync) { rebalancing = _threads.Any(t => t.Thread.Rebalancing); }
        SetState(rebalancing ? StreamsState.Rebalancing : StreamsState.Running);
    }

    /// <summary>Stops the threads (each commits and closes its tasks) and the clients.</summary>
    public async Task CloseAsync()
    {
        if (State is StreamsState.NotRunning) { return; }
        var failed = State == StreamsState.Error;
        if (!failed) { SetState(StreamsState.PendingShutdown); }
        await _stop.CancelAsync();
        List<Task> runs;
        lock (_sync) { runs = [.. _threads.Select(t => t.Run)]; }
        await Task.WhenAll(runs);
        await Task.WhenAll(_restores);
        if (_admin is not null)
        {
            // closing after an error, then disposing, comes here twice: dispose the admin client once
            var admin = _admin;
            _admin = null;
            await admin.DisposeAsync();
        }
        if (!failed) { SetState(StreamsState.NotRunning); }
    }

    private void SetState(StreamsState state)
    {
        StreamsState old;
        lock (_sync)
        {
            old = State;
            if (old == state || old == StreamsState.Error || (old == StreamsState.NotRunning)) { return; }
            if (old == StreamsState.PendingShutdown && state != StreamsState.NotRunning && state != StreamsState.Error) { return; }
            State = state;
        }

        if (_logger.IsEnabled(LogLevel.Information))
        {
            _logger.LogInformation("Application {ApplicationId} state {Old} -> {New}", _options.ApplicationId, old, state);
        }

        StateChanged?.Invoke(new StreamsStateChange(state, old, Error));
    }

    /// <summary>Closes the application (see <see cref="CloseAsync"/>); disposing twice does nothing more.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed) { return; }
        await CloseAsync();
        _disposed = true;
        _stop.Dispose();
    }
}
