using Microsoft.Extensions.Logging;
using Rhei.Client;
using Rhei.Connect.Config;
using Rhei.Connect.Converters;
using Rhei.Connect.Plugins;
using Rhei.Connect.Transforms;
using Rhei.Formats.Serde;

namespace Rhei.Connect.Runtime;

/// <summary>
/// Runs connectors in this process (an embedded Kafka Connect worker): create, delete, list, describe, pause,
/// resume and restart them. Independent of transport: the engine calls it for CREATE SOURCE|SINK CONNECTOR, DROP
/// CONNECTOR, SHOW CONNECTORS, DESCRIBE CONNECTOR and SHOW CONNECTOR PLUGINS, and persists the configs
/// (<see cref="ConnectorConfig"/>) itself; at start it calls <see cref="CreateAsync(ConnectorConfig, bool, ConnectorKind?, CancellationToken)"/>
/// again for each. A failing connector is FAILED with its reason and restarted with backoff; it never stops another
/// connector or the process.
/// </summary>
public sealed class ConnectorRuntime : IAsyncDisposable
{
    private readonly object _lock = new();
    private readonly Dictionary<string, ConnectorWorker> _connectors = new(StringComparer.Ordinal);
    private readonly RuntimeServices _services;
    private readonly IReadOnlyList<ConnectorPlugin> _plugins;
    private readonly ILogger _logger;

    public ConnectorRuntime(IClientFactory clients, FormatRegistry formats, ILoggerFactory loggerFactory, TimeProvider timeProvider, ConnectorRuntimeOptions? options = null, IEnumerable<ConnectorPlugin>? plugins = null)
    {
        options ??= new ConnectorRuntimeOptions();
        _logger = loggerFactory.CreateLogger<ConnectorRuntime>();
        _services = new RuntimeServices(clients, formats, loggerFactory, timeProvider, options,
            new OffsetStore(clients, options, loggerFactory.CreateLogger<OffsetStore>()));
        _plugins = plugins?.ToList() ?? BuiltInPlugins.All;
    }

    public ConnectorRuntimeOptions Options => _services.Options;

    /// <summary>The connector classes this runtime can run (SHOW CONNECTOR PLUGINS).</summary>
    public IReadOnlyList<ConnectorPluginInfo> Plugins =>
        [.. _plugins.Select(p => new ConnectorPluginInfo(p.ClassName, p.Kind, p.Version, p.Aliases, p.Description))];

    /// <summary>The plugin of a class name or alias, or null.</summary>
    public ConnectorPlugin? FindPlugin(string className) => _plugins.FirstOrDefault(p => p.Matches(className.Trim()));

    /// <inheritdoc cref="CreateAsync(ConnectorConfig, bool, ConnectorKind?, CancellationToken)"/>
    public Task<ConnectorInfo> CreateAsync(string name, IReadOnlyDictionary<string, string> config, bool ifNotExists = false, ConnectorKind? expectedKind = null, CancellationToken cancellationToken = default) =>
        CreateAsync(new ConnectorConfig(name, config), ifNotExists, expectedKind, cancellationToken);

    /// <summary>
    /// Validates the config and starts the connector. Problems with the external system (a database down) do not fail
    /// this call: the connector is FAILED and retried. <paramref name="expectedKind"/> is the statement's SOURCE or SINK.
    /// </summary>
    /// <exception cref="ConnectorConfigException">The config is not valid (each error names its property).</exception>
    /// <exception cref="ConnectorAlreadyExistsException">A connector of that name exists and <paramref name="ifNotExists"/> is false.</exception>
    public Task<ConnectorInfo> CreateAsync(ConnectorConfig config, bool ifNotExists = false, ConnectorKind? expectedKind = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var name = config.Name;
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ConnectorConfigException(CommonConfig.Name, "A connector needs a name.");
        }

        lock (_lock)
        {
            if (_connectors.TryGetValue(name, out var existing))
            {
                return ifNotExists ? Task.FromResult(Info(existing)) : throw new ConnectorAlreadyExistsException(name);
            }
        }

        var (plugin, connector, parsed) = Prepare(config, expectedKind);
        var worker = new ConnectorWorker(_services, name, plugin, connector, parsed);
        lock (_lock)
        {
            if (_connectors.TryGetValue(name, out var existing))
            {
                return ifNotExists ? Task.FromResult(Info(existing)) : throw new ConnectorAlreadyExistsException(name);
            }

            _connectors[name] = worker;
        }

        worker.Start();
        ConnectLog.Created(_logger, name, plugin.ClassName);
        return Task.FromResult(Info(worker));
    }

    /// <summary>Every error of a config, without starting anything (empty when valid).</summary>
    public IReadOnlyList<ConfigError> Validate(ConnectorConfig config, ConnectorKind? expectedKind = null)
    {
        try
        {
            Prepare(config, expectedKind);
            return [];
        }
        catch (ConnectorConfigException e)
        {
            return e.Errors;
        }
    }

    /// <summary>Stops and removes a connector (its topics and stored offsets stay, as in Kafka Connect). False when absent and <paramref name="ifExists"/>.</summary>
    /// <exception cref="ConnectorNotFoundException">No such connector and <paramref name="ifExists"/> is false.</exception>
    public async Task<bool> DeleteAsync(string name, bool ifExists = false, CancellationToken cancellationToken = default)
    {
        ConnectorWorker? worker;
        lock (_lock)
        {
            if (!_connectors.Remove(name, out worker))
            {
                return ifExists ? false : throw new ConnectorNotFoundException(name);
            }
        }

        await worker.StopAsync().WaitAsync(cancellationToken);
        ConnectLog.Deleted(_logger, name);
        return true;
    }

    /// <summary>The connectors, by name, optionally only sources or sinks (SHOW [SOURCE|SINK] CONNECTORS).</summary>
    public IReadOnlyList<ConnectorInfo> List(ConnectorKind? kind = null)
    {
        List<ConnectorWorker> workers;
        lock (_lock)
        {
            workers = [.. _connectors.Values];
        }

        return [.. workers.Where(w => kind is null || w.Plugin.Kind == kind).OrderBy(w => w.Name, StringComparer.Ordinal).Select(Info)];
    }

    /// <summary>The state of a connector and its tasks (DESCRIBE CONNECTOR).</summary>
    /// <exception cref="ConnectorNotFoundException">No such connector.</exception>
    public ConnectorStatus Describe(string name) => Get(name).Status();

    public ConnectorStatus? TryDescribe(string name)
    {
        lock (_lock)
        {
            return _connectors.TryGetValue(name, out var w) ? w.Status() : null;
        }
    }

    /// <summary>The config a connector was created with (to persist or show it).</summary>
    public ConnectorConfig GetConfig(string name)
    {
        var worker = Get(name);
        return new ConnectorConfig(worker.Name, worker.Config.Raw);
    }

    /// <summary>Holds the connector's tasks after their current poll (state PAUSED).</summary>
    public void Pause(string name) => Get(name).Pause();

    public void Resume(string name) => Get(name).Resume();

    /// <summary>Restarts a connector (and its tasks) that gave up after errors.retry.timeout.</summary>
    public void Restart(string name) => Get(name).Restart();

    /// <summary>Stops every connector (at shutdown); configs are kept by the caller.</summary>
    public async Task StopAllAsync()
    {
        List<ConnectorWorker> workers;
        lock (_lock)
        {
            workers = [.. _connectors.Values];
            _connectors.Clear();
        }

        await Task.WhenAll(workers.Select(w => w.StopAsync()));
    }

    public async ValueTask DisposeAsync()
    {
        await StopAllAsync();
        await _services.Offsets.DisposeAsync();
    }

    private static ConnectorInfo Info(ConnectorWorker worker)
    {
        var status = worker.Status();
        return new ConnectorInfo(worker.Name, worker.Plugin.Kind, worker.Plugin.ClassName, status.State, status.Summary);
    }

    private ConnectorWorker Get(string name)
    {
        lock (_lock)
        {
            return _connectors.TryGetValue(name, out var w) ? w : throw new ConnectorNotFoundException(name);
        }
    }

    private (ConnectorPlugin, Connector, ParsedConfig) Prepare(ConnectorConfig config, ConnectorKind? expectedKind)
    {
        var properties = new Dictionary<string, string>(config.Properties, StringComparer.Ordinal) { [CommonConfig.Name] = config.Name };
        if (!properties.TryGetValue(CommonConfig.ConnectorClass, out var className) || string.IsNullOrWhiteSpace(className))
        {
            throw ConnectorConfigException.FromErrors(config.Name,
                [new ConfigError(CommonConfig.ConnectorClass, $"Missing required configuration \"{CommonConfig.ConnectorClass}\" which has no default value.")]);
        }

        var plugin = FindPlugin(className) ?? throw ConnectorConfigException.FromErrors(config.Name,
        [
            new ConfigError(CommonConfig.ConnectorClass,
                $"Invalid value {className} for configuration {CommonConfig.ConnectorClass}: Failed to find any class that implements Connector and which name matches {className}. " +
                $"Available connectors: {string.Join(", ", _plugins.Select(p => $"{p.ClassName} ({string.Join(", ", p.Aliases)})"))}"),
        ]);
        if (expectedKind is { } kind && kind != plugin.Kind)
        {
            throw ConnectorConfigException.FromErrors(config.Name,
            [
                new ConfigError(CommonConfig.ConnectorClass,
                    $"Invalid value {className} for configuration {CommonConfig.ConnectorClass}: {plugin.ClassName} is a {plugin.Kind.ToString().ToLowerInvariant()} connector; " +
                    $"use CREATE {plugin.Kind.ToString().ToUpperInvariant()} CONNECTOR."),
            ]);
        }

        var connector = plugin.Factory();
        var def = CommonConfig.Definition.Merge(connector.ConfigDef);
        var parsed = def.Parse(properties);
        var errors = new List<ConfigError>(parsed.Errors);
        if (parsed.IsValid)
        {
            errors.AddRange(connector.Validate(parsed));
        }

        foreach (var isKey in new[] { true, false })
        {
            try
            {
                ConverterFactory.Create(properties, isKey, _services.Formats);
            }
            catch (ConnectorConfigException e)
            {
                errors.AddRange(e.Errors);
            }
        }

        TransformChain.Create(properties, errors);
        if (errors.Count > 0)
        {
            throw ConnectorConfigException.FromErrors(config.Name, errors);
        }

        return (plugin, connector, parsed);
    }
}
