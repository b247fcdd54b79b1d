using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Rhei.Storage.Cleaning;
using Rhei.Storage.Groups;
using Rhei.Storage.Partitions;
using Rhei.Storage.Topics;

namespace Rhei.Storage;

/// <summary>
/// The storage engine of one broker: topics and their partition logs under <c>log.dirs</c>, committed
/// group offsets, and the background work (retention, compaction, time-based flush). Open with
/// <see cref="OpenAsync"/>; dispose to shut down cleanly (a marker in each log dir lets the next start skip
/// recovery). Thread-safe: topic changes are serialized; partitions are used concurrently.
/// </summary>
public sealed class LogManager : IAsyncDisposable
{
    /// <summary>The marker a clean shutdown leaves in each log dir.</summary>
    public const string CleanShutdownFile = ".rhei-clean-shutdown";

    private readonly ConcurrentDictionary<string, TopicState> _topics = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _adminLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private GroupOffsetStore? _groupOffsets;
    private StorageMetrics? _metrics;
    private bool _cleanStart;
    private int _disposed;

    private LogManager(StorageOptions options, ILoggerFactory loggerFactory, TimeProvider time)
    {
        Options = options;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<LogManager>();
        _time = time;
    }

    public StorageOptions Options { get; }

    /// <summary>Committed offsets and group metadata (backed by <c>__consumer_offsets</c>).</summary>
    public GroupOffsetStore GroupOffsets => _groupOffsets ?? throw new InvalidOperationException("The log manager is not open.");

    /// <summary>True when the last start found every log dir shut down cleanly.</summary>
    public bool WasCleanStart => _cleanStart;

    /// <summary>Test seam: called at each step of a compaction swap (a throw simulates a crash there).</summary>
    internal Action<string>? CleanerCrashPoint { get; set; }

    /// <summary>
    /// Opens the log dirs: loads topic metadata, opens every partition (recovering after an unclean
    /// shutdown), creates <c>__consumer_offsets</c> when missing and loads committed offsets, then starts the
    /// background loops (unless <see cref="StorageOptions.RunBackgroundTasks"/> is false).
    /// </summary>
    public static async Task<LogManager> OpenAsync(StorageOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        if (options.LogDirs.Count == 0)
        {
            throw new ArgumentException("log.dirs names no directory.", nameof(options));
        }

        var manager = new LogManager(options, loggerFactory ?? NullLoggerFactory.Instance, timeProvider ?? TimeProvider.System);
        await manager.LoadAsync(cancellationToken);
        return manager;
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var clean = true;
        foreach (var dir in Options.LogDirs)
        {
            Directory.CreateDirectory(dir);
            var marker = Path.Combine(dir, CleanShutdownFile);
            var hasPartitions = Directory.EnumerateDirectories(dir).Any(d => Path.GetFileName(d).Contains('-', StringComparison.Ordinal));
            if (!File.Exists(marker) && hasPartitions)
            {
                clean = false;
            }

            File.Delete(marker);
            foreach (var doomed in Directory.EnumerateDirectories(dir, "*-delete"))
            {
                Directory.Delete(doomed, recursive: true);
            }
        }

        _cleanStart = clean;
        var known = new HashSet<string>(StringComparer.Ordinal);
        var partitionCount = 0;
        foreach (var entry in TopicMetadataStore.LoadAll(Options.LogDirs))
        {
            var config = TopicConfig.Create(Options, entry.Overrides);
            var partitions = new PartitionLog[entry.Partitions];
            for (var p = 0; p < entry.Partitions; p++)
            {
                partitions[p] = OpenPartition(entry.Name, p, config, clean);
                known.Add(Path.GetFileName(partitions[p].Directory));
            }

            partitionCount += partitions.Length;
            _topics[entry.Name] = new TopicState(entry.Name, entry.TopicId, config, entry.Overrides, partitions);
        }

        foreach (var dir in Options.LogDirs)
        {
            foreach (var folder in Directory.EnumerateDirectories(dir))
            {
                var name = Path.GetFileName(folder);
                if (name != TopicMetadataStore.FolderName && !known.Contains(name))
                {
                    _logger.StrayFolder(folder);
                }
            }
        }

        _logger.Opened(partitionCount, _topics.Count, string.Join(',', Options.LogDirs), clean ? "clean" : "recovery");
        if (!_topics.ContainsKey(TopicNames.ConsumerOffsets))
        {
            await CreateTopicAsync(
                TopicNames.ConsumerOffsets,
                Options.OffsetsTopicNumPartitions,
                new Dictionary<string, string> { ["cleanup.policy"] = "compact", ["segment.bytes"] = Options.OffsetsTopicSegmentBytes.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                cancellationToken);
        }

        _metrics = new StorageMetrics(this, () => _topics.Values.Select(t => (t.Name, (IReadOnlyList<PartitionLog>)t.Partitions)));
        _groupOffsets = await GroupOffsetStore.LoadAsync(_topics[TopicNames.ConsumerOffsets].Partitions, Options, _time, _loggerFactory.CreateLogger<GroupOffsetStore>(), cancellationToken);
        if (Options.RunBackgroundTasks)
        {
            StartLoops();
        }
    }

    private PartitionLog OpenPartition(string topic, int partition, TopicConfig config, bool cleanStart)
    {
        var folderName = $"{topic}-{partition}";
        var directory = Options.LogDirs.Select(d => Path.Combine(d, folderName)).FirstOrDefault(Directory.Exists) ?? Path.Combine(ChooseLogDir(), folderName);
        return PartitionLog.Open(topic, partition, directory, config, Options, _time, _loggerFactory.CreateLogger<PartitionLog>(), cleanStart);
    }

    /// <summary>The log dir with the fewest partition folders.</summary>
    private string ChooseLogDir()
    {
        if (Options.LogDirs.Count == 1)
        {
            return Options.LogDirs[0];
        }

        return Options.LogDirs.OrderBy(d => Directory.Exists(d) ? Directory.EnumerateDirectories(d).Count() : 0).First();
    }

    /// <summary>Topic names, internal ones (<c>__consumer_offsets</c>) included when asked.</summary>
    public IReadOnlyList<string> ListTopics(bool includeInternal = true) =>
        [.. _topics.Keys.Where(n => includeInternal || !TopicNames.IsInternal(n)).Order(StringComparer.Ordinal)];

    /// <summary>The topic, or null when it does not exist.</summary>
    public TopicInfo? DescribeTopic(string name) => _topics.TryGetValue(name, out var t) ? t.Info : null;

    /// <summary>A partition's log, or null when the topic or partition does not exist.</summary>
    public PartitionLog? GetPartition(string topic, int partition) =>
        _topics.TryGetValue(topic, out var t) && (uint)partition < (uint)t.Partitions.Length ? t.Partitions[partition] : null;

    public bool TryGetPartition(string topic, int partition, [NotNullWhen(true)] out PartitionLog? log)
    {
        log = GetPartition(topic, partition);
        return log is not null;
    }

    /// <summary>The partition logs of a topic (empty when it does not exist).</summary>
    public IReadOnlyList<PartitionLog> GetPartitions(string topic) => _topics.TryGetValue(topic, out var t) ? t.Partitions : [];

    /// <summary>
    /// Creates a topic with <paramref name="partitions"/> partitions (-1: <c>num.partitions</c>) and config
    /// overrides (Kafka's names). Fails with <see cref="StorageException"/>: TOPIC_ALREADY_EXISTS,
    /// INVALID_TOPIC_EXCEPTION (bad name, or one that collides with an existing topic once '.' and '_' are
    /// confused), INVALID_PARTITIONS, INVALID_CONFIG.
    /// </summary>
    public async Task<TopicInfo> CreateTopicAsync(string name, int partitions = -1, IReadOnlyDictionary<string, string>? configs = null, CancellationToken cancellationToken = default)
    {
        TopicNames.ThrowIfInvalid(name);
        if (partitions == -1)
        {
            partitions = Options.NumPartitions;
        }

        if (partitions <= 0)
        {
            throw new StorageException(StorageError.InvalidPartitions, $"Number of partitions must be larger than 0 (topic {name}).");
        }

        var config = TopicConfig.Create(Options, configs);
        await _adminLock.WaitAsync(cancellationToken);
        try
        {
            if (_topics.ContainsKey(name))
            {
                throw new StorageException(StorageError.TopicAlreadyExists, $"Topic '{name}' already exists.");
            }

            var collision = Collapse(name);
            if (_topics.Keys.FirstOrDefault(existing => Collapse(existing) == collision) is { } other)
            {
                throw new StorageException(StorageError.InvalidTopicException, $"Topic '{name}' collides with existing topic '{other}': '.' and '_' are the same in metric names.");
            }

            var overrides = configs is null ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(configs, StringComparer.Ordinal);
            var entry = new TopicMetadataStore.Entry(name, Guid.NewGuid(), partitions, overrides);
            TopicMetadataStore.Save(Options.LogDirs[0], entry);
            var logs = new PartitionLog[partitions];
            for (var p = 0; p < partitions; p++)
            {
                logs[p] = OpenPartition(name, p, config, cleanStart: true);
            }

            var state = new TopicState(name, entry.TopicId, config, overrides, logs);
            _topics[name] = state;
            return state.Info;
        }
        finally
        {
            _adminLock.Release();
        }
    }

    private static string Collapse(string name) => name.Replace('.', '_');

    /// <summary>Deletes a topic and its data; its committed offsets go too. UNKNOWN_TOPIC_OR_PARTITION when missing.</summary>
    public async Task DeleteTopicAsync(string name, CancellationToken cancellationToken = default)
    {
        if (name == TopicNames.ConsumerOffsets)
        {
            throw new StorageException(StorageError.InvalidRequest, $"The internal topic {name} cannot be deleted.");
        }

        TopicState? state;
        await _adminLock.WaitAsync(cancellationToken);
        try
        {
            if (!_topics.TryRemove(name, out state))
            {
                throw new StorageException(StorageError.UnknownTopicOrPartition, $"Topic '{name}' does not exist.");
            }

            TopicMetadataStore.Delete(Options.LogDirs, name);
            foreach (var partition in state.Partitions)
            {
                partition.Close(clean: false);
                var doomed = $"{partition.Directory}.{Guid.NewGuid():N}-delete";
                Directory.Move(partition.Directory, doomed);
                Directory.Delete(doomed, recursive: true);
            }
        }
        finally
        {
            _adminLock.Release();
        }

        await GroupOffsets.RemoveTopicAsync(name, cancellationToken);
    }

    /// <summary>Grows a topic to <paramref name="totalPartitions"/> (CreatePartitions). INVALID_PARTITIONS when not more than now.</summary>
    public async Task<TopicInfo> CreatePartitionsAsync(string name, int totalPartitions, CancellationToken cancellationToken = default)
    {
        await _adminLock.WaitAsync(cancellationToken);
        try
        {
            if (!_topics.TryGetValue(name, out var state))
            {
                throw new StorageException(StorageError.UnknownTopicOrPartition, $"Topic '{name}' does not exist.");
            }

            if (totalPartitions <= state.Partitions.Length)
            {
                throw new StorageException(StorageError.InvalidPartitions, $"Topic '{name}' has {state.Partitions.Length} partitions; the new count {totalPartitions} must be larger.");
            }

            TopicMetadataStore.Save(Options.LogDirs[0], new TopicMetadataStore.Entry(name, state.TopicId, totalPartitions, state.Overrides));
            var logs = new PartitionLog[totalPartitions];
            state.Partitions.CopyTo(logs, 0);
            for (var p = state.Partitions.Length; p < totalPartitions; p++)
            {
                logs[p] = OpenPartition(name, p, state.Config, cleanStart: true);
            }

            var updated = state with { Partitions = logs };
            _topics[name] = updated;
            return updated.Info;
        }
        finally
        {
            _adminLock.Release();
        }
    }

    /// <summary>
    /// Changes config overrides of a topic (IncrementalAlterConfigs): a value sets, null removes (back to
    /// the broker default). Applies to the partitions at once and persists.
    /// </summary>
    public async Task<TopicInfo> AlterTopicConfigsAsync(string name, IReadOnlyDictionary<string, string?> changes, CancellationToken cancellationToken = default)
    {
        await _adminLock.WaitAsync(cancellationToken);
        try
        {
            if (!_topics.TryGetValue(name, out var state))
            {
                throw new StorageException(StorageError.UnknownTopicOrPartition, $"Topic '{name}' does not exist.");
            }

            var overrides = new Dictionary<string, string>(state.Overrides, StringComparer.Ordinal);
            foreach (var (key, value) in changes)
            {
                if (value is null)
                {
                    overrides.Remove(key);
                }
                else
                {
                    overrides[key] = value;
                }
            }

            var config = TopicConfig.Create(Options, overrides);
            TopicMetadataStore.Save(Options.LogDirs[0], new TopicMetadataStore.Entry(name, state.TopicId, state.Partitions.Length, overrides));
            foreach (var partition in state.Partitions)
            {
                partition.Config = config;
            }

            var updated = state with { Config = config, Overrides = overrides };
            _topics[name] = updated;
            return updated.Info;
        }
        finally
        {
            _adminLock.Release();
        }
    }

    /// <summary>Runs retention on every partition now (the background loop does this every <c>log.retention.check.interval.ms</c>). Returns segments deleted.</summary>
    public int EnforceRetention()
    {
        var deleted = 0;
        foreach (var topic in _topics.Values)
        {
            foreach (var partition in topic.Partitions)
            {
                deleted += partition.EnforceRetention();
            }
        }

        return deleted;
    }

    /// <summary>
    /// Runs a compaction pass on every compacted partition now. Without <paramref name="force"/> a partition
    /// is cleaned only when its dirty ratio reaches <c>min.cleanable.dirty.ratio</c>. Returns segments rewritten.
    /// </summary>
    public Task<int> CompactAsync(bool force = false, CancellationToken cancellationToken = default) => Task.Run(
        async () =>
        {
            var rewritten = 0;
            foreach (var topic in _topics.Values)
            {
                if (!topic.Config.IsCompacted)
                {
                    continue;
                }

                foreach (var partition in topic.Partitions)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    await partition.WhenRolledSegmentsFlushedAsync();
                    rewritten += LogCleaner.Clean(partition, Options, _logger, force, CleanerCrashPoint).SegmentsRewritten;
                }
            }

            return rewritten;
        },
        cancellationToken);

    /// <summary>fsyncs every partition with unflushed data.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        foreach (var topic in _topics.Values)
        {
            foreach (var partition in topic.Partitions)
            {
                await partition.FlushAsync(cancellationToken);
            }
        }
    }

    private void StartLoops()
    {
        var token = _stop.Token;
        _loops.Add(Loop("retention", Options.LogRetentionCheckIntervalMs, () => { EnforceRetention(); return Task.CompletedTask; }, token));
        _loops.Add(Loop("offsets-expiry", Options.OffsetsRetentionCheckIntervalMs, async () => await GroupOffsets.ExpireOffsetsAsync(token), token));
        if (Options.LogCleanerEnable)
        {
            _loops.Add(Loop("cleaner", Options.LogCleanerBackoffMs, () => CompactAsync(false, token), token));
        }

        _loops.Add(Loop("flush", Options.LogFlushSchedulerIntervalMs, () => { FlushByTime(); return Task.CompletedTask; }, token));
    }

    /// <summary>Flushes partitions whose data waited longer than <c>flush.ms</c> (the flush loop runs this each <c>log.flush.scheduler.interval.ms</c>).</summary>
    public void FlushByTime()
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var topic in _topics.Values)
        {
            foreach (var partition in topic.Partitions)
            {
                partition.MaybeFlushByTime(now);
            }
        }
    }

    private Task Loop(string name, long intervalMs, Func<Task> work, CancellationToken token) => Task.Run(
        async () =>
        {
            var interval = TimeSpan.FromMilliseconds(Math.Clamp(intervalMs, 10, int.MaxValue));
            while (!token.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(interval, _time, token);
                    await work();
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    _logger.BackgroundTaskFailed(e, name);
                }
            }
        },
        CancellationToken.None);

    /// <summary>Stops the background loops and closes every partition cleanly, leaving the clean-shutdown marker.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync();
        await Task.WhenAll(_loops);
        _metrics?.Dispose();
        await _adminLock.WaitAsync();
        try
        {
            foreach (var topic in _topics.Values)
            {
                foreach (var partition in topic.Partitions)
                {
                    await partition.WhenRolledSegmentsFlushedAsync();
                    partition.Close(clean: true);
                }
            }

            foreach (var dir in Options.LogDirs)
            {
                await File.WriteAllTextAsync(Path.Combine(dir, CleanShutdownFile), string.Empty);
            }
        }
        finally
        {
            _adminLock.Release();
            _stop.Dispose();
        }
    }

    private sealed record TopicState(string Name, Guid TopicId, TopicConfig Config, Dictionary<string, string> Overrides, PartitionLog[] Partitions)
    {
        public TopicInfo Info => new(Name, TopicId, Partitions.Length, Config, Overrides);
    }
}
