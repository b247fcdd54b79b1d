using static Rhei.Client.Tests.TestHelpers;

namespace Rhei.Client.Tests.Contract;

/// <summary>Consumer-group behaviour every implementation must show: range assignment, rebalances with callbacks, handover without loss.</summary>
public abstract class GroupContract : IAsyncLifetime
{
    private ClientCluster? _cluster;

    protected IClientFactory Factory => _cluster!.Factory;

    protected abstract Task<ClientCluster> StartAsync();

    public async Task InitializeAsync() => _cluster = await StartAsync();

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task Three_members_split_six_partitions_by_range_and_hand_over_without_loss_when_one_leaves()
    {
        var topic = UniqueTopic();
        var group = UniqueTopic("g");
        await Factory.CreateTopicAsync(topic, 6);
        await ProduceAsync(topic, 6, 100, 0);
        var tracker = new Tracker();
        var members = new[] { "c1", "c2", "c3" }.Select(id => new Member(Factory, id, group, topic, tracker)).ToList();
        foreach (var m in members)
        {
            m.Start();
        }

        try
        {
            await EventuallyAsync(() => tracker.Distinct == 600 && members.All(m => m.Current.Count == 2), "600 records read and 2 partitions per member");
            Assert.Equal([0, 1], members[0].Current.Select(p => p.Partition).Order());
            Assert.Equal([2, 3], members[1].Current.Select(p => p.Partition).Order());
            Assert.Equal([4, 5], members[2].Current.Select(p => p.Partition).Order());

            await members[2].StopAsync();
            Assert.Equal("revoked", members[2].Events[^1].Kind);

            await ProduceAsync(topic, 6, 100, 100);
            await EventuallyAsync(() => tracker.Distinct == 1200 && members[0].Current.Count == 3 && members[1].Current.Count == 3, "1200 records read and 3 partitions per remaining member");
            Assert.Equal([0, 1, 2], members[0].Current.Select(p => p.Partition).Order());
            Assert.Equal([3, 4, 5], members[1].Current.Select(p => p.Partition).Order());
            foreach (var m in members.Take(2))
            {
                var kinds = m.Events.Select(e => e.Kind).ToList();
                var firstAssigned = kinds.IndexOf("assigned");
                var revoked = kinds.IndexOf("revoked", firstAssigned + 1);
                Assert.True(revoked > firstAssigned, $"{m.Id} saw no revocation after its first assignment: {string.Join(',', kinds)}");
                Assert.Equal("assigned", kinds[^1]);
            }

            Assert.Empty(tracker.Violations);
        }
        finally
        {
            foreach (var m in members)
            {
                await m.StopAsync();
            }
        }

        Assert.All(members, m => Assert.Null(m.Failure));
        Assert.Empty(tracker.Violations);
        await using var admin = Factory.CreateAdmin();
        var committed = await admin.ListConsumerGroupOffsetsAsync(group);
        Assert.Equal(Enumerable.Range(0, 6), committed.Select(c => c.Partition).Order());
        Assert.All(committed, c => Assert.Equal(200, c.Offset));
    }

    [Fact]
    public async Task A_member_resumes_from_the_committed_offsets_of_its_group()
    {
        var topic = UniqueTopic();
        var group = UniqueTopic("g");
        await Factory.CreateTopicAsync(topic, 2);
        await ProduceAsync(topic, 2, 10, 0);
        await using (var first = Factory.CreateConsumer(new ConsumerOptions { GroupId = group, AutoOffsetReset = AutoOffsetReset.Earliest }))
        {
            first.Subscribe([topic]);
            var got = await first.ConsumeAsync(20);
            Assert.Equal(20, got.Count);
            await first.CommitAsync([new TopicPartitionOffset(topic, 0, 6), new TopicPartitionOffset(topic, 1, 8)]);
            await first.CloseAsync();
        }

        await using var second = Factory.CreateConsumer(new ConsumerOptions { GroupId = group, AutoOffsetReset = AutoOffsetReset.Earliest });
        second.Subscribe([topic]);
        var rest = await second.ConsumeAsync(6);
        Assert.Equal([6L, 7, 8, 9], rest.Where(r => r.Partition == 0).Select(r => r.Offset));
        Assert.Equal([8L, 9], rest.Where(r => r.Partition == 1).Select(r => r.Offset));
    }

    private async Task ProduceAsync(string topic, int partitions, int perPartition, int start)
    {
        await using var producer = Factory.CreateProducer(FastProducer);
        for (var p = 0; p < partitions; p++)
        {
            for (var i = start; i < start + perPartition; i++)
            {
                producer.Produce(new ProduceRecord(topic, Bytes($"k{i}"), Bytes($"p{p}-{i}"), p));
            }
        }

        await producer.FlushAsync();
    }

    /// <summary>What the group read and committed: a record at an offset below the group's committed offset must never be read again.</summary>
    private sealed class Tracker
    {
        private readonly object _lock = new();
        private readonly Dictionary<int, long> _committed = [];
        private readonly HashSet<(int, long)> _read = [];

        public List<string> Violations { get; } = [];

        public int Distinct
        {
            get
            {
                lock (_lock)
                {
                    return _read.Count;
                }
            }
        }

        public void Read(string member, int partition, long offset)
        {
            lock (_lock)
            {
                if (_committed.TryGetValue(partition, out var c) && offset < c)
                {
                    Violations.Add($"{member} read offset {offset} of partition {partition} after offset {c} was committed.");
                }

                _read.Add((partition, offset));
            }
        }

        public void Committed(IEnumerable<TopicPartitionOffset> offsets)
        {
            lock (_lock)
            {
                foreach (var o in offsets)
                {
                    _committed[o.Partition] = Math.Max(o.Offset, _committed.GetValueOrDefault(o.Partition));
                }
            }
        }
    }

    private sealed record Event(string Kind, IReadOnlyList<TopicPartition> Partitions);

    /// <summary>A group member polling in its own loop, committing after each poll and when partitions are revoked.</summary>
    private sealed class Member
    {
        private readonly IConsumer _consumer;
        private readonly Tracker _tracker;
        private readonly string _topic;
        private readonly Dictionary<int, long> _positions = [];
        private readonly CancellationTokenSource _stop = new();
        private Task? _loop;

        public Member(IClientFactory factory, string id, string group, string topic, Tracker tracker)
        {
            Id = id;
            _tracker = tracker;
            _topic = topic;
            _consumer = factory.CreateConsumer(new ConsumerOptions
            {
                ClientId = id,
                GroupId = group,
                AutoOffsetReset = AutoOffsetReset.Earliest,
                OnPartitionsAssigned = partitions =>
                {
                    lock (Events)
                    {
                        Events.Add(new Event("assigned", partitions));
                        Current = partitions;
                    }
                },
                OnPartitionsRevokedAsync = async partitions =>
                {
                    lock (Events)
                    {
                        Events.Add(new Event("revoked", partitions));
                        Current = [];
                    }

                    await CommitAsync();
                },
            });
        }

        public string Id { get; }

        public List<Event> Events { get; } = [];

        public IReadOnlyList<TopicPartition> Current { get; private set; } = [];

        public Exception? Failure { get; private set; }

        public void Start() => _loop = Task.Run(RunAsync);

        public async Task StopAsync()
        {
            if (_loop is null)
            {
                return;
            }

            await _stop.CancelAsync();
            await _loop;
            _loop = null;
        }

        private async Task RunAsync()
        {
            try
            {
                _consumer.Subscribe([_topic]);
                while (!_stop.IsCancellationRequested)
                {
                    var records = await _consumer.PollAsync(TimeSpan.FromMilliseconds(100));
                    foreach (var r in records)
                    {
                        _tracker.Read(Id, r.Partition, r.Offset);
                        _positions[r.Partition] = r.Offset + 1;
                    }

                    if (records.Count > 0)
                    {
                        await CommitAsync();
                    }
                }

                await _consumer.CloseAsync();
            }
            catch (Exception e)
            {
                Failure = e;
                throw;
            }
            finally
            {
                await _consumer.DisposeAsync();
            }
        }

        private async Task CommitAsync()
        {
            if (_positions.Count == 0)
            {
                return;
            }

            var offsets = _positions.Select(p => new TopicPartitionOffset(_topic, p.Key, p.Value)).ToList();
            await _consumer.CommitAsync(offsets);
            _tracker.Committed(offsets);
            _positions.Clear();
        }
    }
}
