using Rhei.Client;
using Rhei.Streams.Testing;

namespace Rhei.Streams.Tests.Fakes;

/// <summary>
/// A small in-memory implementation of Rhei.Client for testing <see cref="StreamsApp"/> until the real
/// clients exist: topics are <see cref="TestTopics"/>; a group coordinator assigns partitions with range
/// semantics and rebalances (eagerly: revoke all, assign all) whenever a member joins or leaves.
/// </summary>
internal sealed class InMemoryClients(TestTopics topics) : IClientFactory
{
    internal sealed class Group
    {
        public readonly List<Consumer> Members = [];
        public readonly Dictionary<TopicPartition, long> Committed = [];
        public int Generation;
    }

    private readonly Dictionary<string, Group> _groups = new(StringComparer.Ordinal);
    private int _memberIds;

    public TestTopics Topics { get; } = topics;

    public Lock Sync { get; } = new();

    public IProducer CreateProducer(ProducerOptions options) => new Producer(this);

    public IConsumer CreateConsumer(ConsumerOptions options) => new Consumer(this, options, Interlocked.Increment(ref _memberIds));

    public IAdmin CreateAdmin() => new Admin(this);

    public Group GroupOf(string id)
    {
        lock (Sync)
        {
            if (!_groups.TryGetValue(id, out var g)) { _groups[id] = g = new Group(); }
            return g;
        }
    }

    internal sealed class Producer(InMemoryClients clients) : IProducer
    {
        public ValueTask<RecordMetadata> ProduceAsync(ProduceRecord record, CancellationToken cancellationToken = default)
        {
            var (p, o) = clients.Topics.Append(record.Topic, record.Partition, record.Key?.ToArray(), record.Value?.ToArray(), record.Timestamp ?? 0, record.Headers);
            return ValueTask.FromResult(new RecordMetadata(record.Topic, p, o, record.Timestamp ?? 0));
        }

        public void Produce(ProduceRecord record, Action<RecordMetadata, Exception?>? onDelivery = null)
        {
            var (p, o) = clients.Topics.Append(record.Topic, record.Partition, record.Key?.ToArray(), record.Value?.ToArray(), record.Timestamp ?? 0, record.Headers);
            onDelivery?.Invoke(new RecordMetadata(record.Topic, p, o, record.Timestamp ?? 0), null);
        }

        public ValueTask FlushAsync(CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    internal sealed class Consumer(InMemoryClients clients, ConsumerOptions options, int memberId) : IConsumer
    {
        private readonly Dictionary<TopicPartition, long> _positions = [];
        private readonly HashSet<TopicPartition> _paused = [];
        private List<string> _topics = [];
        private Group? _group;
        private int _generation = -1;

        public int MemberId { get; } = memberId;

        public IReadOnlyList<TopicPartition> Assignment { get { lock (clients.Sync) { return [.. _positions.Keys]; } } }

        public void Subscribe(IEnumerable<string> topics)
        {
            _topics = [.. topics];
            _group = clients.GroupOf(options.GroupId ?? throw new InvalidOperationException("group.id is required to subscribe."));
            lock (clients.Sync)
            {
                _group.Members.Add(this);
                _group.Generation++;
            }
        }

        public void Unsubscribe() => Leave();

        public void Assign(IEnumerable<TopicPartitionOffset> partitions)
        {
            lock (clients.Sync)
            {
                _positions.Clear();
                foreach (var p in partitions) { _positions[p.TopicPartition] = p.Offset < 0 ? 0 : p.Offset; }
            }
        }

        public async ValueTask<IReadOnlyList<ConsumedRecord>> PollAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
        {
            MaybeRebalance();
            var result = new List<ConsumedRecord>();
            lock (clients.Sync)
            {
                foreach (var (tp, pos) in _positions.ToList())
                {
                    if (_paused.Contains(tp)) { continue; }
                    var records = clients.Topics.Read(tp.Topic, tp.Partition, pos);
                    foreach (var r in records.Take(options.MaxPollRecords - result.Count))
                    {
                        result.Add(new ConsumedRecord { Topic = r.Topic, Partition = r.Partition, Offset = r.Offset, Timestamp = r.Timestamp, Key = r.Key, Value = r.Value, Headers = r.Headers });
                        _positions[tp] = r.Offset + 1;
                    }

                    if (result.Count >= options.MaxPollRecords) { break; }
                }
            }

            if (result.Count == 0) { await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5, timeout.TotalMilliseconds)), cancellationToken); }
            return result;
        }

        /// <summary>
        /// Eager rebalance in two phases: on a new generation every member first revokes what it has (it may
        /// commit then); assignments are handed out only once all members have revoked for that generation.
        /// </summary>
        private void MaybeRebalance()
        {
            if (_group is null) { return; }
            List<TopicPartition>? revoked = null;
            int generation;
            lock (clients.Sync)
            {
                generation = _group.Generation;
                if (_generation == generation || !_group.Members.Contains(this)) { return; }
                if (RevokedGeneration != generation) { revoked = [.. _positions.Keys]; }
            }

            if (revoked is not null)
            {
                if (revoked.Count > 0) { options.OnPartitionsRevoked?.Invoke(revoked); }
                lock (clients.Sync)
                {
                    _positions.Clear();
                    _paused.Clear();
                    RevokedGeneration = generation;
                }
            }

            List<TopicPartition> assigned = [];
            lock (clients.Sync)
            {
                if (_group.Generation != generation || _group.Members.Any(m => m.RevokedGeneration != generation)) { return; }
                _generation = generation;
                var members = _group.Members.OrderBy(m => m.MemberId).ToList();
                var me = members.IndexOf(this);
                foreach (var topic in _topics.Order(StringComparer.Ordinal))
                {
                    var n = clients.Topics.PartitionCount(topic);
                    var per = n / members.Count;
                    var extra = n % members.Count;
                    var start = me * per + Math.Min(me, extra);
                    var count = per + (me < extra ? 1 : 0);
                    for (var p = start; p < start + count; p++) { assigned.Add(new TopicPartition(topic, p)); }
                }

                foreach (var tp in assigned) { _positions[tp] = _group.Committed.GetValueOrDefault(tp, 0); }
            }

            options.OnPartitionsAssigned?.Invoke(assigned);
        }

        public int RevokedGeneration { get; private set; } = -1;

        public void Seek(TopicPartitionOffset position)
        {
            lock (clients.Sync) { _positions[position.TopicPartition] = position.Offset; }
        }

        public long Position(TopicPartition partition)
        {
            lock (clients.Sync) { return _positions.GetValueOrDefault(partition, -1); }
        }

        public void Pause(IEnumerable<TopicPartition> partitions)
        {
            lock (clients.Sync) { _paused.UnionWith(partitions); }
        }

        public void Resume(IEnumerable<TopicPartition> partitions)
        {
            lock (clients.Sync) { _paused.ExceptWith(partitions); }
        }

        public ValueTask CommitAsync(IEnumerable<TopicPartitionOffset> offsets, CancellationToken cancellationToken = default)
        {
            lock (clients.Sync)
            {
                foreach (var o in offsets)
                {
                    if (_group is null || !_positions.ContainsKey(o.TopicPartition)) { throw new InvalidOperationException($"Cannot commit {o.TopicPartition}: not assigned."); }
                    _group.Committed[o.TopicPartition] = o.Offset;
                }
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask<IReadOnlyList<TopicPartitionOffset>> CommittedAsync(IEnumerable<TopicPartition> partitions, CancellationToken cancellationToken = default)
        {
            lock (clients.Sync)
            {
                return ValueTask.FromResult<IReadOnlyList<TopicPartitionOffset>>([.. partitions.Select(p => new TopicPartitionOffset(p.Topic, p.Partition, _group?.Committed.GetValueOrDefault(p, -1001) ?? -1001))]);
            }
        }

        public ValueTask CloseAsync(CancellationToken cancellationToken = default)
        {
            Leave();
            return ValueTask.CompletedTask;
        }

        private void Leave()
        {
            if (_group is null) { return; }
            lock (clients.Sync)
            {
                if (_group.Members.Remove(this)) { _group.Generation++; }
                _positions.Clear();
            }
        }

        public ValueTask DisposeAsync()
        {
            Leave();
            return ValueTask.CompletedTask;
        }
    }

    internal sealed class Admin(InMemoryClients clients) : IAdmin
    {
        public ValueTask CreateTopicsAsync(IEnumerable<TopicSpec> topics, CancellationToken cancellationToken = default)
        {
            foreach (var t in topics)
            {
                if (clients.Topics.Exists(t.Name)) { throw new AdminException("TOPIC_ALREADY_EXISTS", $"Topic {t.Name} already exists."); }
                clients.Topics.CreateTopic(t.Name, t.Partitions);
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask DeleteTopicsAsync(IEnumerable<string> topics, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask<IReadOnlyList<TopicDescription>> DescribeTopicsAsync(IEnumerable<string> topics, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<IReadOnlyList<TopicDescription>>([.. topics.Where(clients.Topics.Exists).Select(t => new TopicDescription(t, clients.Topics.PartitionCount(t), 1, new Dictionary<string, string>(), false))]);

        public ValueTask<IReadOnlyList<string>> ListTopicsAsync(bool includeInternal = false, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(clients.Topics.Names);

        public ValueTask CreatePartitionsAsync(string topic, int totalPartitions, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask<IReadOnlyList<ListOffsetsResult>> ListOffsetsAsync(IEnumerable<(TopicPartition Partition, OffsetSpec Spec)> requests, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<IReadOnlyList<ListOffsetsResult>>([.. requests.Select(r => new ListOffsetsResult(r.Partition, r.Spec == OffsetSpec.Earliest ? 0 : clients.Topics.EndOffset(r.Partition.Topic, r.Partition.Partition), -1))]);

        public ValueTask<IReadOnlyList<string>> ListConsumerGroupsAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask<IReadOnlyList<TopicPartitionOffset>> ListConsumerGroupOffsetsAsync(string groupId, CancellationToken cancellationToken = default)
        {
            var g = clients.GroupOf(groupId);
            lock (clients.Sync) { return ValueTask.FromResult<IReadOnlyList<TopicPartitionOffset>>([.. g.Committed.Select(c => new TopicPartitionOffset(c.Key.Topic, c.Key.Partition, c.Value))]); }
        }

        public ValueTask DeleteConsumerGroupAsync(string groupId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
