using Rhei.Streams.Graph;
using Rhei.Streams.Operators;
using Rhei.Streams.State;

namespace Rhei.Streams;

/// <summary>A stream grouped by key, ready to aggregate (repartitioned first when its key changed).</summary>
public sealed class KGroupedStream<K, V>
    where K : notnull
{
    private readonly KStream<K, V> _stream;
    private readonly Grouped<K, V> _grouped;
    private readonly bool _repartition;

    internal KGroupedStream(KStream<K, V> stream, Grouped<K, V> grouped, bool repartition)
    {
        _stream = stream;
        _grouped = grouped;
        _repartition = repartition;
    }

    internal StreamsBuilder Builder => _stream.Builder;

    internal Serde<K>? KeySerde => _grouped.KeySerde ?? _stream.KeySerde;

    internal Serde<V>? ValueSerde => _grouped.ValueSerde ?? _stream.ValueSerde;

    /// <summary>The stream to aggregate: repartitioned through <c>&lt;Grouped name or store name&gt;-repartition</c> when needed.</summary>
    internal KStream<K, V> Input(string storeName) =>
        _repartition ? _stream.RepartitionThrough(_grouped.Name ?? storeName, KeySerde, ValueSerde, null) : _stream;

    public KTable<K, long?> Count(string? name = null, Materialized<K, long?>? materialized = null) =>
        Aggregate<long?>(static () => 0L, static (_, _, agg) => agg + 1, name, (materialized ?? new Materialized<K, long?>()) with { ValueSerde = materialized?.ValueSerde ?? Serdes.NullableInt64 });

    public KTable<K, V> Reduce(Func<V, V, V> reducer, string? name = null, Materialized<K, V>? materialized = null) =>
        StreamAggregateOperator.Create(this, name, materialized ?? new Materialized<K, V>() { ValueSerde = ValueSerde }, null, (_, v, agg, first) => first ? v : reducer(agg, v));

    public KTable<K, VA> Aggregate<VA>(Func<VA> initializer, Func<K, V, VA, VA> aggregator, string? name = null, Materialized<K, VA>? materialized = null) =>
        StreamAggregateOperator.Create(this, name, materialized ?? new Materialized<K, VA>(), initializer, (k, v, agg, _) => aggregator(k, v, agg));

    public TimeWindowedKStream<K, V> WindowedBy(TimeWindows windows) => new(this, windows);

    public SessionWindowedKStream<K, V> WindowedBy(SessionWindows windows) => new(this, windows);
}

/// <summary>When a windowed aggregation forwards its results.</summary>
public enum EmitStrategy
{
    /// <summary>Every update of a window is forwarded (ksqlDB's EMIT CHANGES).</summary>
    OnWindowUpdate,

    /// <summary>
    /// Only closed windows are forwarded, once, as stream time passes their end plus grace (Kafka Streams'
    /// emit-on-window-close, ksqlDB's EMIT FINAL). Which windows are still visible when they close follows the
    /// store's retention, as in Kafka Streams.
    /// </summary>
    OnWindowClose,
}

/// <summary>A grouped stream in time windows (tumbling or hopping).</summary>
public sealed class TimeWindowedKStream<K, V>
    where K : notnull
{
    private readonly KGroupedStream<K, V> _grouped;

    internal TimeWindowedKStream(KGroupedStream<K, V> grouped, TimeWindows windows, EmitStrategy emit = EmitStrategy.OnWindowUpdate)
    {
        _grouped = grouped;
        Windows = windows;
        Emit = emit;
    }

    public TimeWindows Windows { get; }

    public EmitStrategy Emit { get; }

    /// <summary>When results are emitted: on every update (default) or once per window when it closes (ksqlDB's EMIT FINAL).</summary>
    public TimeWindowedKStream<K, V> WithEmitStrategy(EmitStrategy strategy) => new(_grouped, Windows, strategy);

    public KTable<Windowed<K>, long?> Count(string? name = null, Materialized<K, long?>? materialized = null) =>
        Aggregate<long?>(static () => 0L, static (_, _, agg) => agg + 1, name, (materialized ?? new Materialized<K, long?>()) with { ValueSerde = materialized?.ValueSerde ?? Serdes.NullableInt64 });

    public KTable<Windowed<K>, V> Reduce(Func<V, V, V> reducer, string? name = null, Materialized<K, V>? materialized = null) =>
        WindowAggregateOperator.Create(_grouped, Windows, Emit, name, materialized ?? new Materialized<K, V>() { ValueSerde = _grouped.ValueSerde }, null, (_, v, agg, first) => first ? v : reducer(agg, v));

    public KTable<Windowed<K>, VA> Aggregate<VA>(Func<VA> initializer, Func<K, V, VA, VA> aggregator, string? name = null, Materialized<K, VA>? materialized = null) =>
        WindowAggregateOperator.Create(_grouped, Windows, Emit, name, materialized ?? new Materialized<K, VA>(), initializer, (k, v, agg, _) => aggregator(k, v, agg));
}

/// <summary>A grouped stream in session windows.</summary>
public sealed class SessionWindowedKStream<K, V>
    where K : notnull
{
    private readonly KGroupedStream<K, V> _grouped;

    internal SessionWindowedKStream(KGroupedStream<K, V> grouped, SessionWindows windows, EmitStrategy emit = EmitStrategy.OnWindowUpdate)
    {
        _grouped = grouped;
        Windows = windows;
        Emit = emit;
    }

    public SessionWindows Windows { get; }

    public EmitStrategy Emit { get; }

    /// <summary>When results are emitted: on every update (default) or once per session when it closes (ksqlDB's EMIT FINAL).</summary>
    public SessionWindowedKStream<K, V> WithEmitStrategy(EmitStrategy strategy) => new(_grouped, Windows, strategy);

    public KTable<Windowed<K>, long?> Count(string? name = null, Materialized<K, long?>? materialized = null) =>
        Aggregate<long?>(static () => 0L, static (_, _, agg) => agg + 1, static (_, a, b) => a + b, name, (materialized ?? new Materialized<K, long?>()) with { ValueSerde = materialized?.ValueSerde ?? Serdes.NullableInt64 });

    public KTable<Windowed<K>, V> Reduce(Func<V, V, V> reducer, string? name = null, Materialized<K, V>? materialized = null) =>
        SessionAggregateOperator.Create(_grouped, Windows, Emit, name, materialized ?? new Materialized<K, V>() { ValueSerde = _grouped.ValueSerde }, null, (_, v, agg, first) => first ? v : reducer(agg, v), (_, a, b) => a is null ? b : b is null ? a : reducer(a, b));

    /// <summary>Aggregates per session; <paramref name="merger"/> combines the aggregates of sessions a record joins together.</summary>
    public KTable<Windowed<K>, VA> Aggregate<VA>(Func<VA> initializer, Func<K, V, VA, VA> aggregator, Func<K, VA, VA, VA> merger, string? name = null, Materialized<K, VA>? materialized = null) =>
        SessionAggregateOperator.Create(_grouped, Windows, Emit, name, materialized ?? new Materialized<K, VA>(), initializer, (k, v, agg, _) => aggregator(k, v, agg), merger);
}
