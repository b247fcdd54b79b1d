using Rhei.Client;

namespace Rhei.Streams.Tests.EndToEnd;

/// <summary>What a killed process's clients throw at the code still running in it.</summary>
public sealed class ProcessKilledException() : Exception("The process was killed (test fault injection).");

/// <summary>
/// Client fault injection for crash tests: wraps a client factory so that a test can kill the application that uses
/// it at a chosen moment. After <see cref="Crash"/>, nothing the application does reaches the cluster any more:
/// records it produces are dropped, polls, flushes and commits throw <see cref="ProcessKilledException"/>, and
/// closing its consumers does nothing — no commit, no revocation callback, no leaving the group (the test then
/// starts the next instance on a fresh client factory, as a restarted process would). Records the producer had
/// queued before the crash are still written when the application disposes it, before the test restarts anything:
/// they stand for what reached the broker before the process died.
/// <para>
/// With <paramref name="disconnectOnCrash"/> (the Kafka client), closing a killed application's consumer closes the
/// underlying client without committing anything — what the broker sees when a process dies and its sockets close —
/// so that the group hands its partitions on without waiting for the session timeout; the application's own
/// callbacks see nothing of it (its tasks are closed dirty first).
/// </para>
/// </summary>
public sealed class CrashableClients(IClientFactory inner, bool disconnectOnCrash = false) : IClientFactory
{
    private readonly bool _disconnectOnCrash = disconnectOnCrash;
    private volatile bool _crashed;
    private volatile bool _crashAtNextCommit;

    public bool Crashed => _crashed;

    /// <summary>Kills the application now.</summary>
    public void Crash() => _crashed = true;

    /// <summary>Kills the application when it next commits offsets to its group, instead of committing them (its commit points are written by then).</summary>
    public void CrashAtNextGroupCommit() => _crashAtNextCommit = true;

    public IProducer CreateProducer(ProducerOptions options) => new Producer(inner.CreateProducer(options), this);

    public IConsumer CreateConsumer(ConsumerOptions options) => new Consumer(inner.CreateConsumer(options), this, options.GroupId is not null);

    public IAdmin CreateAdmin() => inner.CreateAdmin();

    private void ThrowIfCrashed()
    {
        if (_crashed) { throw new ProcessKilledException(); }
    }

    private sealed class Producer(IProducer inner, CrashableClients owner) : IProducer
    {
        public ValueTask<RecordMetadata> ProduceAsync(ProduceRecord record, CancellationToken cancellationToken = default)
        {
            owner.ThrowIfCrashed();
            return inner.ProduceAsync(record, cancellationToken);
        }

        public void Produce(ProduceRecord record, Action<RecordMetadata, Exception?>? onDelivery = null)
        {
            if (!owner.Crashed) { inner.Produce(record, onDelivery); }
        }

        public async ValueTask FlushAsync(CancellationToken cancellationToken = default)
        {
            owner.ThrowIfCrashed();
            await inner.FlushAsync(cancellationToken);
        }

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }

    private sealed class Consumer(IConsumer inner, CrashableClients owner, bool grouped) : IConsumer
    {
        public IReadOnlyList<TopicPartition> Assignment => inner.Assignment;

        public void Subscribe(IEnumerable<string> topics) => inner.Subscribe(topics);

        public void Unsubscribe() => inner.Unsubscribe();

        public ValueTask UnsubscribeAsync(CancellationToken cancellationToken = default) => inner.UnsubscribeAsync(cancellationToken);

        public void Assign(IEnumerable<TopicPartitionOffset> partitions) => inner.Assign(partitions);

        public async ValueTask<IReadOnlyList<ConsumedRecord>> PollAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
        {
            owner.ThrowIfCrashed();
            var records = await inner.PollAsync(timeout, cancellationToken);
            owner.ThrowIfCrashed();
            return records;
        }

        public void Seek(TopicPartitionOffset position) => inner.Seek(position);

        public long Position(TopicPartition partition) => inner.Position(partition);

        public void Pause(IEnumerable<TopicPartition> partitions) => inner.Pause(partitions);

        public void Resume(IEnumerable<TopicPartition> partitions) => inner.Resume(partitions);

        public async ValueTask CommitAsync(IEnumerable<TopicPartitionOffset> offsets, CancellationToken cancellationToken = default)
        {
            if (grouped && owner._crashAtNextCommit) { owner.Crash(); }
            owner.ThrowIfCrashed();
            await inner.CommitAsync(offsets, cancellationToken);
        }

        public ValueTask<IReadOnlyList<TopicPartitionOffset>> CommittedAsync(IEnumerable<TopicPartition> partitions, CancellationToken cancellationToken = default) =>
            inner.CommittedAsync(partitions, cancellationToken);

        public ValueTask CloseAsync(CancellationToken cancellationToken = default) =>
            owner.Crashed && !owner._disconnectOnCrash ? ValueTask.CompletedTask : inner.CloseAsync(cancellationToken);

        public ValueTask DisposeAsync() => owner.Crashed && !owner._disconnectOnCrash ? ValueTask.CompletedTask : inner.DisposeAsync();
    }
}
