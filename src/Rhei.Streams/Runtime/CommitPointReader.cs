using Rhei.Client;

namespace Rhei.Streams.Runtime;

/// <summary>
/// The latest commit point of every task, read from the application's commit-point topic. Each refresh reads
/// only what was appended since the previous one (the topic has one partition, keyed by task id).
/// </summary>
internal sealed class CommitPointReader(string topic, IClientFactory clients, IAdmin admin, StreamsOptions options, string clientId)
{
    private readonly Dictionary<TaskId, CommitPoint> _points = [];
    private readonly TopicPartition _partition = new(topic, 0);
    private long _position;

    public string Topic { get; } = topic;

    public CommitPoint? Get(TaskId task) => _points.GetValueOrDefault(task);

    /// <summary>Reads the commit points appended since the last refresh.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var end = (await admin.ListOffsetsAsync([(_partition, OffsetSpec.Latest)], cancellationToken))[0].Offset;
        if (_position >= end) { return; }
        await using var consumer = clients.CreateConsumer(new ConsumerOptions
        {
            ClientId = clientId,
            ReadCommitted = true,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            Extra = options.ClientProperties,
        });
        consumer.Assign([new TopicPartitionOffset(Topic, 0, _position == 0 ? Offsets.Beginning : _position)]);
        while (consumer.Position(_partition) < end)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var r in await consumer.PollAsync(TimeSpan.FromMilliseconds(options.PollMs), cancellationToken))
            {
                if (r.Offset >= end || r.Key is not { } key) { continue; }
                TaskId id;
                try { id = TaskId.Parse(System.Text.Encoding.UTF8.GetString(key.Span)); }
                catch (FormatException) { continue; }
                if (r.Value is { } value && CommitPoint.Parse(value.Span) is { } point) { _points[id] = point; }
                else { _points.Remove(id); }
            }
        }

        _position = end;
    }
}
