using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Rhei.Connect.Config;
using Rhei.Connect.Plugins;

namespace Rhei.Connect.Runtime;

/// <summary>
/// One running connector: asks the connector for its task configs (retrying with backoff while that fails, e.g. the
/// database is down), then runs its tasks until stopped. Pause and resume hold the tasks between polls.
/// </summary>
internal sealed class ConnectorWorker
{
    private readonly object _lock = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, byte> _topics = new(StringComparer.Ordinal);
    private readonly ILogger _logger;
    private List<TaskWorker> _tasks = [];
    private ConnectorState _state = ConnectorState.Unassigned;
    private string? _error;
    private string? _trace;
    private Task? _loop;
    private TaskCompletionSource _restart = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConnectorWorker(RuntimeServices services, string name, ConnectorPlugin plugin, Connector connector, ParsedConfig config)
    {
        Services = services;
        Name = name;
        Plugin = plugin;
        Connector = connector;
        Config = config;
        _logger = services.LoggerFactory.CreateLogger<ConnectorWorker>();
        foreach (var topic in connector.ConfiguredTopics(config))
        {
            _topics.TryAdd(topic, 0);
        }
    }

    public RuntimeServices Services { get; }

    public string Name { get; }

    public ConnectorPlugin Plugin { get; }

    public Connector Connector { get; }

    public ParsedConfig Config { get; }

    public PauseGate Gate { get; } = new();

    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    public async Task StopAsync()
    {
        Gate.Resume();
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            try
            {
                await _loop;
            }
            catch (OperationCanceledException)
            {
            }
        }

        _stop.Dispose();
    }

    public void Pause() => Gate.Pause();

    public void Resume() => Gate.Resume();

    /// <summary>Wakes tasks and the connector that gave up after errors.retry.timeout.</summary>
    public void Restart()
    {
        TaskCompletionSource previous;
        lock (_lock)
        {
            previous = _restart;
            _restart = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        previous.TrySetResult();
    }

    public Task WaitForRestartAsync(CancellationToken cancellationToken)
    {
        Task wait;
        lock (_lock)
        {
            wait = _restart.Task;
        }

        return wait.WaitAsync(cancellationToken);
    }

    public RetryPolicy CreateRetryPolicy()
    {
        var maxMs = Config.GetLong(CommonConfig.ErrorsRetryDelayMaxMs);
        var timeoutMs = Config.GetLong(CommonConfig.ErrorsRetryTimeout);
        var max = Config.Raw.ContainsKey(CommonConfig.ErrorsRetryDelayMaxMs) ? TimeSpan.FromMilliseconds(maxMs) : Services.Options.RetryBackoffMax;
        var initial = Services.Options.RetryBackoffInitial < max ? Services.Options.RetryBackoffInitial : max;
        return new RetryPolicy(initial, max, timeoutMs < 0 ? null : TimeSpan.FromMilliseconds(timeoutMs), Services.Time);
    }

    public void AddTopic(string topic) => _topics.TryAdd(topic, 0);

    public ConnectorStatus Status()
    {
        List<TaskWorker> tasks;
        ConnectorState own;
        string? error;
        string? trace;
        lock (_lock)
        {
            tasks = _tasks;
            own = _state;
            error = _error;
            trace = _trace;
        }

        var taskStatuses = tasks.Select(t => t.Status()).ToList();
        if (own == ConnectorState.Running && Gate.IsPaused)
        {
            own = ConnectorState.Paused;
        }

        var overall = own;
        if (own != ConnectorState.Failed && taskStatuses.Any(t => t.State == ConnectorState.Failed))
        {
            overall = ConnectorState.Failed;
            var failed = taskStatuses.First(t => t.State == ConnectorState.Failed);
            error ??= $"Task {failed.Id} failed: {failed.Error}";
        }

        return new ConnectorStatus(Name, Plugin.ClassName, Plugin.Kind, overall, own, Services.Options.WorkerId, error, trace, taskStatuses,
            [.. _topics.Keys.Order(StringComparer.Ordinal)], HidePasswords());
    }

    private Dictionary<string, string> HidePasswords()
    {
        var def = CommonConfig.Definition.Merge(Connector.ConfigDef);
        var shown = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in Config.Raw)
        {
            shown[k] = def.Find(k)?.Type == ConfigType.Password ? "[hidden]" : v;
        }

        return shown;
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var retry = CreateRetryPolicy();
        var context = new ConnectorContext(Name, Services.LoggerFactory, Services.Time);
        IReadOnlyList<IReadOnlyDictionary<string, string>> taskConfigs;
        while (true)
        {
            try
            {
                await Gate.WaitAsync(cancellationToken);
                taskConfigs = await Connector.TaskConfigsAsync(context, Config, Config.GetInt(CommonConfig.TasksMax), cancellationToken);
                break;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                var message = ErrorTrace.Message(e);
                lock (_lock)
                {
                    _state = ConnectorState.Failed;
                    _error = message;
                    _trace = ErrorTrace.Summarize(e);
                }

                var wait = retry.Failed();
                if (wait is null)
                {
                    ConnectLog.ConnectorGaveUp(_logger, Name, message);
                    await WaitForRestartAsync(cancellationToken);
                    retry.Succeeded();
                    continue;
                }

                ConnectLog.ConnectorFailed(_logger, Name, message, (long)wait.Value.TotalMilliseconds, e);
                try
                {
                    await Task.Delay(wait.Value, Services.Time, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }

        var workers = new List<TaskWorker>(taskConfigs.Count);
        for (var i = 0; i < taskConfigs.Count; i++)
        {
            workers.Add(Plugin.Kind == ConnectorKind.Source
                ? new SourceTaskWorker(this, i, taskConfigs[i])
                : new SinkTaskWorker(this, i, taskConfigs[i]));
        }

        lock (_lock)
        {
            _tasks = workers;
            _state = ConnectorState.Running;
            _error = null;
            _trace = null;
        }

        await Task.WhenAll(workers.Select(w => Task.Run(() => w.RunAsync(cancellationToken), CancellationToken.None)));
    }
}
