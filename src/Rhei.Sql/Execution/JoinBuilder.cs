using Rhei.Sql.Ast;
using Rhei.Sql.Compilation;
using Rhei.Sql.Planning;
using Rhei.Streams;

namespace Rhei.Sql.Execution;

/// <summary>
/// Builds joins: stream-stream (windowed by WITHIN, with a grace period), stream-table, table-table and foreign-key
/// table-table. The joined row is the left row then the right row (NULLs for a missing side), plus the key when it is
/// synthetic; RIGHT joins run as LEFT joins with the sides swapped.
/// </summary>
internal static class JoinBuilder
{
    private const long DefaultGraceMs = 24 * 60 * 60 * 1000L;

    public static Built Build(TopologyBuilder builder, JoinStep step, Built left, Built right) => (left, right) switch
    {
        (BuiltStream<GenericKey> l, BuiltStream<GenericKey> r) => StreamStream(builder, step, l.Stream, r.Stream, PlainKeys.Instance),
        (BuiltStream<Windowed<GenericKey>> l, BuiltStream<Windowed<GenericKey>> r) => StreamStream(builder, step, l.Stream, r.Stream, WindowedKeys.Instance),
        (BuiltStream<GenericKey> l, BuiltTable<GenericKey> r) => StreamTable(builder, step, l.Stream, r.Table, PlainKeys.Instance),
        (BuiltStream<Windowed<GenericKey>> l, BuiltTable<Windowed<GenericKey>> r) => StreamTable(builder, step, l.Stream, r.Table, WindowedKeys.Instance),
        (BuiltTable<GenericKey> l, BuiltTable<GenericKey> r) when step.JoinKind == JoinKind.ForeignKey => ForeignKey(builder, step, l.Table, r.Table),
        (BuiltTable<GenericKey> l, BuiltTable<GenericKey> r) => TableTable(builder, step, l.Table, r.Table, PlainKeys.Instance),
        (BuiltTable<Windowed<GenericKey>> l, BuiltTable<Windowed<GenericKey>> r) => TableTable(builder, step, l.Table, r.Table, WindowedKeys.Instance),
        _ => throw new NotSupportedException($"Cannot join a {left.GetType().Name} with a {right.GetType().Name}."),
    };

    private static Func<K, object?[], object?[], object?[]> Joiner<K>(JoinStep step, KeyOps<K> keys)
        where K : notnull
    {
        var leftWidth = step.LeftWidth;
        var rightWidth = step.Right.Schema.Value.Length;
        var width = step.Schema.Value.Length;
        var synthetic = width > leftWidth + rightWidth;
        return (key, l, r) =>
        {
            var row = new object?[width];
            if (l is not null)
            {
                Array.Copy(l, row, Math.Min(l.Length, leftWidth));
            }

            if (r is not null)
            {
                Array.Copy(r, 0, row, leftWidth, Math.Min(r.Length, rightWidth));
            }

            if (synthetic)
            {
                var k = keys.Key(key);
                row[width - 1] = k.Count > 0 ? k[0] : null;
            }

            return row;
        };
    }

    private static long Ms(SqlDuration d) => d.TotalMilliseconds;

    private static Built StreamStream<K>(TopologyBuilder builder, JoinStep step, KStream<K, object?[]> left, KStream<K, object?[]> right, KeyOps<K> keys)
        where K : notnull
    {
        var within = step.Within!;
        var grace = TimeSpan.FromMilliseconds(within.GracePeriod is { } g ? Ms(g) : DefaultGraceMs);
        var windows = JoinWindows.OfTimeDifferenceAndGrace(TimeSpan.FromMilliseconds(Ms(within.After)), grace)
            .Before(TimeSpan.FromMilliseconds(Ms(within.Before)))
            .After(TimeSpan.FromMilliseconds(Ms(within.After)));
        var keySerde = keys.InternalSerde(step.Schema.KeyTypes, step.Window);
        var leftSerde = InternalSerde.Row(step.Left.Schema.ValueTypes);
        var rightSerde = InternalSerde.Row(step.Right.Schema.ValueTypes);
        var joiner = Joiner(step, keys);
        var name = builder.UniqueName("Join");
        var outSerde = InternalSerde.Row(step.Schema.ValueTypes);
        left = left.Filter((k, v) => v is not null);
        right = right.Filter((k, v) => v is not null);
        if (within.GracePeriod is null)
        {
            var legacy = step.JoinType switch
            {
                JoinType.Inner => LegacyStreamJoin.Join(builder.Streams, name, left, right, (k, l, r) => joiner(k, l!, r!), Ms(within.Before), Ms(within.After), DefaultGraceMs, false, false, keySerde, leftSerde, rightSerde),
                JoinType.Left => LegacyStreamJoin.Join(builder.Streams, name, left, right, (k, l, r) => joiner(k, l!, r!), Ms(within.Before), Ms(within.After), DefaultGraceMs, true, false, keySerde, leftSerde, rightSerde),
                JoinType.Right => LegacyStreamJoin.Join(builder.Streams, name, left, right, (k, l, r) => joiner(k, l!, r!), Ms(within.Before), Ms(within.After), DefaultGraceMs, false, true, keySerde, leftSerde, rightSerde),
                _ => LegacyStreamJoin.Join(builder.Streams, name, left, right, (k, l, r) => joiner(k, l!, r!), Ms(within.Before), Ms(within.After), DefaultGraceMs, true, true, keySerde, leftSerde, rightSerde),
            };
            return new BuiltStream<K>(legacy.MapValues((_, v) => v, valueSerde: outSerde), keys);
        }

        KStream<K, object?[]> joined;
        switch (step.JoinType)
        {
            case JoinType.Right:
                {
                    var mirrored = JoinWindows.OfTimeDifferenceAndGrace(TimeSpan.FromMilliseconds(Ms(within.Before)), grace)
                        .Before(TimeSpan.FromMilliseconds(Ms(within.After)))
                        .After(TimeSpan.FromMilliseconds(Ms(within.Before)));
                    var joined2 = new StreamJoined<K, object?[], object?[]>(name) { StoreName = name, KeySerde = keySerde, ValueSerde = rightSerde, OtherValueSerde = leftSerde };
                    joined = right.LeftJoin(left, (k, r, l) => joiner(k, l, r), mirrored, joined2);
                    break;
                }

            default:
                {
                    var joined1 = new StreamJoined<K, object?[], object?[]>(name) { StoreName = name, KeySerde = keySerde, ValueSerde = leftSerde, OtherValueSerde = rightSerde };
                    joined = step.JoinType switch
                    {
                        JoinType.Inner => left.Join(right, joiner, windows, joined1),
                        JoinType.Left => left.LeftJoin(right, joiner, windows, joined1),
                        _ => left.OuterJoin(right, joiner, windows, joined1),
                    };
                    break;
                }
        }

        return new BuiltStream<K>(joined.MapValues((_, v) => v, valueSerde: outSerde), keys);
    }

    private static Built StreamTable<K>(TopologyBuilder builder, JoinStep step, KStream<K, object?[]> left, KTable<K, object?[]> right, KeyOps<K> keys)
        where K : notnull
    {
        var keySerde = keys.InternalSerde(step.Schema.KeyTypes, step.Window);
        var joiner = Joiner(step, keys);
        var joined = new Joined<K, object?[], object?[]>(builder.UniqueName("Join"))
        {
            KeySerde = keySerde,
            ValueSerde = InternalSerde.Row(step.Left.Schema.ValueTypes),
            OtherValueSerde = InternalSerde.Row(step.Right.Schema.ValueTypes),
        };
        left = left.Filter((_, v) => v is not null);
        var result = step.JoinType == JoinType.Inner
            ? left.Join(right, joiner, joined)
            : left.LeftJoin(right, joiner, joined);
        return new BuiltStream<K>(result.MapValues((_, v) => v, valueSerde: InternalSerde.Row(step.Schema.ValueTypes)), keys);
    }

    private static Built TableTable<K>(TopologyBuilder builder, JoinStep step, KTable<K, object?[]> left, KTable<K, object?[]> right, KeyOps<K> keys)
        where K : notnull
    {
        var joiner = Joiner(step, keys);
        var name = builder.UniqueName("Join");
        var result = step.JoinType switch
        {
            JoinType.Inner => left.Join(right, joiner, name),
            JoinType.Left => left.LeftJoin(right, joiner, name),
            JoinType.Right => right.LeftJoin(left, (k, r, l) => joiner(k, l, r), name),
            _ => left.OuterJoin(right, joiner, name),
        };
        return new BuiltTable<K>(result, keys);
    }

    private static Built ForeignKey(TopologyBuilder builder, JoinStep step, KTable<GenericKey, object?[]> left, KTable<GenericKey, object?[]> right)
    {
        var fk = ExpressionCompiler.Compile(step.ForeignKey!, builder.OnError);
        var joiner = Joiner(step, PlainKeys.Instance);
        var joined = new TableJoined(builder.UniqueName("Join"));
        var result = step.JoinType == JoinType.Inner
            ? left.Join(right, v => GenericKey.Of(fk(v)), joiner, joined)
            : left.LeftJoin(right, v => GenericKey.Of(fk(v)), joiner, joined);
        return new BuiltTable<GenericKey>(result, PlainKeys.Instance);
    }
}
