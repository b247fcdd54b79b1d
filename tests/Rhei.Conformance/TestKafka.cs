using Rhei.Client;
using Rhei.Engine.Runtime;
using Rhei.Streams;
using Rhei.Streams.Testing;

namespace Rhei.Conformance;

/// <summary>A record in one of the runner's in-memory topics.</summary>
internal sealed record TopicRecord(string Topic, byte[]? Key, byte[]? Value, long Timestamp, IReadOnlyList<RecordHeader> Headers);

/// <summary>
/// The runner's stand-in for Kafka, as ksqlDB's test executor has it: every persistent query runs on its own
/// <see cref="TopologyTestDriver"/>; records produced to a topic go, in order, to every query that reads the topic, and
/// what a query writes to its sink is produced in turn (so queries feed each other). Topics have one partition in the
/// drivers, as in Kafka Streams' test driver.
/// </summary>
internal sealed class TestKafka : QueryRuntime
{
    private readonly Dictionary<string, List<TopicRecord>> _topics = new(StringComparer.Ordinal);
    private readonly List<QueryDriver> _drivers = [];

    public IReadOnlyList<QueryDriver> Drivers => _drivers;

    /// <summary>Every exception a driver threw while processing (the runtime errors ksqlDB reports as StreamsException).</summary>
    public List<Exception> RuntimeErrors { get; } = [];

    public IReadOnlyList<TopicRecord> Records(string topic) => _topics.TryGetValue(topic, out var list) ? list : [];

    /// <summary>All topic names the runner and the drivers know (internal topics included).</summary>
    public IEnumerable<string> AllTopicNames =>
        _topics.Keys.Concat(_drivers.SelectMany(d => d.Driver.Topics.Names)).Distinct(StringComparer.Ordinal);

    public override ValueTask<IQueryHandle> StartAsync(QueryStart query, CancellationToken cancellationToken = default)
    {
        var options = query.Options with { TimeProvider = new ManualTimeProvider(0), ChangelogEnabled = true };
        var driver = new TopologyTestDriver(query.Topology, options);
        var handle = new QueryDriver(this, query, driver);
        _drivers.Add(handle);
        return ValueTask.FromResult<IQueryHandle>(handle);
    }

    /// <summary>Appends a record and delivers it to the queries reading the topic (and what they write, onward).</summary>
    public void Produce(TopicRecord record)
    {
        if (!_topics.TryGetValue(record.Topic, out var list))
        {
            _topics[record.Topic] = list = [];
        }

        list.Add(record);
        foreach (var d in _drivers.ToList())
        {
            if (d.Running && d.Reads(record.Topic))
            {
                d.Deliver(record);
            }
        }
    }

    internal sealed class QueryDriver(TestKafka kafka, QueryStart query, TopologyTestDriver driver) : IQueryHandle
    {
        private readonly HashSet<string> _sources = new(query.Topology.SourceTopics, StringComparer.Ordinal);
        private readonly Dictionary<string, int> _read = new(StringComparer.Ordinal);

        public QueryStart Query { get; } = query;

        public TopologyTestDriver Driver { get; } = driver;

        public bool Running { get; private set; } = true;

        public bool Failed { get; private set; }

        public Exception? Error { get; private set; }

        public bool Reads(string topic) => _sources.Contains(topic);

        public void Deliver(TopicRecord record)
        {
            if (Failed)
            {
                return;
            }

            try
            {
                var input = Driver.CreateInputTopic(record.Topic, Serdes.ByteArray, Serdes.ByteArray);
                input.PipeRawInput(record.Key, record.Value, record.Timestamp, record.Headers, 0);
            }
            catch (Exception e)
            {
                Failed = true;
                Error = e;
                kafka.RuntimeErrors.Add(e);
            }

            Forward();
        }

        /// <summary>Produces what the query wrote to its (non-internal) sink topics since the last call.</summary>
        public void Forward()
        {
            foreach (var sink in Query.Topology.SinkTopics)
            {
                var records = Driver.Topics.ReadAll(sink);
                var from = _read.GetValueOrDefault(sink);
                _read[sink] = records.Count;
                for (var i = from; i < records.Count; i++)
                {
                    var r = records[i];
                    kafka.Produce(new TopicRecord(sink, r.Key, r.Value, r.Timestamp, r.Headers));
                }
            }
        }

        public ValueTask PauseAsync(CancellationToken cancellationToken = default)
        {
            Running = false;
            return ValueTask.CompletedTask;
        }

        public ValueTask ResumeAsync(CancellationToken cancellationToken = default)
        {
            Running = true;
            return ValueTask.CompletedTask;
        }

        public ValueTask StopAsync(bool cleanUp, CancellationToken cancellationToken = default)
        {
            Running = false;
            return ValueTask.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            Running = false;
            Driver.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
