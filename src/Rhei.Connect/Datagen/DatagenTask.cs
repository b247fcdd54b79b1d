using Rhei.Connect.Data;
using Rhei.Connect.Datagen.Nexmark;
using Rhei.Connect.Datagen.Quickstarts;
using Rhei.Connect.Plugins;
using Rhei.Formats.Types;

namespace Rhei.Connect.Datagen;

/// <summary>
/// Writes quickstart records or Nexmark events. Each record is drawn from the seed and its iteration number, and the
/// offset stores the iteration (and the seed and Nexmark base time), so a restart continues the same sequence.
/// </summary>
public sealed class DatagenTask : SourceTask
{
    private const int BatchSize = 1000;
    private static readonly IReadOnlyDictionary<string, object?> Partition = new Dictionary<string, object?> { ["task.id"] = 0L };

    private TimeProvider _time = TimeProvider.System;
    private Quickstart? _quickstart;
    private NexmarkGenerator? _nexmark;
    private string _topic = "";
    private string[] _nexmarkTopics = [];
    private int _keyIndex;
    private long _maxInterval;
    private long _iterations;
    private long _seed;
    private long _baseTime;
    private long _next;
    private FastRandom _pacing = new(0);

    public override ValueTask StartAsync(IReadOnlyDictionary<string, string> config, SourceTaskContext context, CancellationToken cancellationToken)
    {
        var parsed = DatagenConfig.Definition.Parse(config).ThrowIfInvalid(context.ConnectorName);
        _time = context.TimeProvider;
        var offset = context.Offset(Partition);
        _next = offset is not null && offset.TryGetValue("current.iteration", out var it) && it is not null ? Convert.ToInt64(it, System.Globalization.CultureInfo.InvariantCulture) : 0;
        _seed = parsed.Get(DatagenConfig.RandomSeed) is long s
            ? s
            : offset is not null && offset.TryGetValue("random.seed", out var os) && os is not null
                ? Convert.ToInt64(os, System.Globalization.CultureInfo.InvariantCulture)
                : Random.Shared.NextInt64();
        _iterations = parsed.GetLong(DatagenConfig.Iterations);
        _pacing = new FastRandom(_seed ^ 0x5DEECE66DL);
        var quickstart = parsed.GetString(DatagenConfig.Quickstart)!;
        if (quickstart.Equals(DatagenConfig.Nexmark, StringComparison.OrdinalIgnoreCase))
        {
            _maxInterval = config.ContainsKey(DatagenConfig.MaxInterval) ? parsed.GetLong(DatagenConfig.MaxInterval) : 0;
            _baseTime = parsed.Get(DatagenConfig.NexmarkBaseTime) is long bt
                ? bt
                : offset is not null && offset.TryGetValue("base.time.ms", out var ob) && ob is not null
                    ? Convert.ToInt64(ob, System.Globalization.CultureInfo.InvariantCulture)
                    : _time.GetUtcNow().ToUnixTimeMilliseconds();
            _nexmark = new NexmarkGenerator(new NexmarkConfig { Seed = _seed, EventsPerSecond = parsed.GetDouble(DatagenConfig.NexmarkRate), BaseTimeMs = _baseTime }, _next);
            _nexmarkTopics = [parsed.GetString(DatagenConfig.NexmarkPersonTopic)!, parsed.GetString(DatagenConfig.NexmarkAuctionTopic)!, parsed.GetString(DatagenConfig.NexmarkBidTopic)!];
        }
        else
        {
            _maxInterval = parsed.GetLong(DatagenConfig.MaxInterval);
            _quickstart = Quickstarts.Quickstarts.Find(quickstart)!;
            _topic = parsed.GetString(DatagenConfig.KafkaTopic)!;
            var keyField = parsed.GetString(DatagenConfig.KeyField) ?? _quickstart.KeyField;
            _keyIndex = _quickstart.Fields.Select((f, i) => (f, i)).First(x => x.f.Name == keyField).i;
        }

        return ValueTask.CompletedTask;
    }

    public override async ValueTask<IReadOnlyList<SourceRecord>> PollAsync(CancellationToken cancellationToken)
    {
        if (_iterations >= 0 && _next >= _iterations)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), _time, cancellationToken);
            return [];
        }

        var count = _maxInterval > 0 ? 1 : BatchSize;
        if (_iterations >= 0)
        {
            count = (int)Math.Min(count, _iterations - _next);
        }

        if (_maxInterval > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(_pacing.Next(_maxInterval + 1)), _time, cancellationToken);
        }

        var records = new List<SourceRecord>(count);
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        for (var i = 0; i < count; i++)
        {
            records.Add(_nexmark is not null ? NextNexmark() : NextQuickstart(now));
        }

        return records;
    }

    private SourceRecord NextQuickstart(long now)
    {
        var iteration = _next++;
        var value = _quickstart!.Next(new FastRandom(_seed + (iteration * 0x2545F4914F6CDD1DL)), iteration);
        var keyType = _quickstart.Fields[_keyIndex].Type;
        return new SourceRecord(Partition, Offset(), _topic, null, keyType, value[_keyIndex], _quickstart.ValueType, value, now);
    }

    private SourceRecord NextNexmark()
    {
        var e = default(NexmarkEvent);
        _nexmark!.Next(ref e);
        _next = _nexmark.NextEventNumber;
        var value = NexmarkRecords.ToStruct(e);
        var topic = _nexmarkTopics[(int)e.Type];
        return e.Type == NexmarkEventType.Bid
            ? new SourceRecord(Partition, Offset(), topic, null, null, null, value.Type, value, e.DateTime)
            : new SourceRecord(Partition, Offset(), topic, null, SqlTypes.BigInt, e.Id, value.Type, value, e.DateTime);
    }

    private Dictionary<string, object?> Offset()
    {
        var offset = new Dictionary<string, object?> { ["current.iteration"] = _next, ["random.seed"] = _seed };
        if (_nexmark is not null)
        {
            offset["base.time.ms"] = _baseTime;
        }

        return offset;
    }
}
