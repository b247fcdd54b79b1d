using Rhei.Formats.Windowed;
using Rhei.Sql.Compilation;
using Rhei.Sql.Functions.Aggregate;
using Rhei.Sql.Planning;
using Rhei.Streams;

namespace Rhei.Sql.Execution;

/// <summary>
/// Builds GROUP BY with aggregates: a grouped stream (repartitioned through <c>Aggregate-GroupBy-repartition</c> when
/// the key changes) or a re-grouped table, aggregated into <c>Aggregate-Aggregate-Materialize</c> as a row of
/// accumulators (windowed when asked), then mapped to the aggregated row (group columns, results, window bounds).
/// </summary>
internal static class AggregateBuilder
{
    private const long DefaultGraceMs = 24 * 60 * 60 * 1000L;

    public static Built Build(TopologyBuilder builder, AggregateStep step, Built input) => input.Accept(new Visitor(builder, step));

    private sealed class Visitor : IBuiltVisitor<Built>
    {
        private readonly TopologyBuilder _builder;
        private readonly AggregateStep _step;
        private readonly Func<object?[], object?[]> _groupKey;
        private readonly Func<object?[], object?>[][] _arguments;
        private readonly Aggregator[] _aggregators;
        private readonly Streams.Serde<GenericKey> _keySerde;
        private readonly Streams.Serde<object?[]> _rowSerde;
        private readonly Streams.Serde<object?[]> _accumulatorSerde;

        public Visitor(TopologyBuilder builder, AggregateStep step)
        {
            _builder = builder;
            _step = step;
            _groupKey = ExpressionCompiler.CompileProjection(step.GroupBy, builder.OnError);
            _arguments = [.. step.Aggregates.Select(a => a.ColumnArguments.Select(e => ExpressionCompiler.Compile(e, builder.OnError)).ToArray())];
            _aggregators = [.. step.Aggregates.Select(a => a.CreateAggregator(builder.Config.FunctionConfig()))];
            _keySerde = InternalSerde.Key(step.Schema.KeyTypes);
            _rowSerde = InternalSerde.Row(step.Input.Schema.ValueTypes);
            _accumulatorSerde = InternalSerde.Row([.. _aggregators.Select(a => a.AccumulatorType)]);
        }

        private object?[] Initialize()
        {
            var acc = new object?[_aggregators.Length];
            for (var i = 0; i < acc.Length; i++)
            {
                acc[i] = _aggregators[i].Initialize();
            }

            return acc;
        }

        private object? Argument(int aggregate, object?[] row)
        {
            var args = _arguments[aggregate];
            if (args.Length == 0)
            {
                return true;
            }

            if (args.Length == 1)
            {
                return args[0](row);
            }

            var values = new object?[args.Length];
            for (var i = 0; i < args.Length; i++)
            {
                values[i] = args[i](row);
            }

            return values;
        }

        private object?[] Add(object?[] row, object?[] accumulators)
        {
            var copy = SqlValues.CopyRow(accumulators);
            for (var i = 0; i < _aggregators.Length; i++)
            {
                copy[i] = _aggregators[i].Aggregate(Argument(i, row), copy[i]);
            }

            return copy;
        }

        private object?[] Subtract(object?[] row, object?[] accumulators)
        {
            var copy = SqlValues.CopyRow(accumulators);
            for (var i = 0; i < _aggregators.Length; i++)
            {
                copy[i] = _aggregators[i].Undo(Argument(i, row), copy[i]);
            }

            return copy;
        }

        private object?[] Merge(object?[] a, object?[] b)
        {
            var left = SqlValues.CopyRow(a);
            var right = SqlValues.CopyRow(b);
            for (var i = 0; i < _aggregators.Length; i++)
            {
                left[i] = _aggregators[i].Merge(left[i], right[i]);
            }

            return left;
        }

        private object?[] Output(GenericKey key, (long Start, long End)? window, object?[] accumulators)
        {
            var groups = _step.GroupBy.Length;
            var row = new object?[_step.Schema.Value.Length];
            for (var i = 0; i < groups && i < key.Count; i++)
            {
                row[i] = key[i];
            }

            for (var i = 0; i < _aggregators.Length; i++)
            {
                row[groups + i] = _aggregators[i].Map(accumulators[i]);
            }

            if (_step.WindowSpec is not null && window is { } w)
            {
                row[groups + _aggregators.Length] = w.Start;
                row[groups + _aggregators.Length + 1] = w.End;
            }

            return row;
        }

        private bool GroupKeyOk(object?[]? row) => row is not null && _groupKey(row).All(v => v is not null);

        public Built Stream<K>(KStream<K, object?[]> stream, KeyOps<K> keys)
            where K : notnull
        {
            var groupedName = _builder.UniqueName("Aggregate-GroupBy");
            KGroupedStream<GenericKey, object?[]> grouped;
            if (_step.ByKey && stream is KStream<GenericKey, object?[]> plain)
            {
                grouped = plain.Filter((_, v) => v is not null).GroupByKey(new Grouped<GenericKey, object?[]>(groupedName) { KeySerde = _keySerde, ValueSerde = _rowSerde });
            }
            else
            {
                grouped = stream.Filter((_, v) => GroupKeyOk(v))
                    .GroupBy((_, v) => new GenericKey(_groupKey(v)), new Grouped<GenericKey, object?[]>(groupedName) { KeySerde = _keySerde, ValueSerde = _rowSerde });
            }

            var storeName = _builder.UniqueName("Aggregate-Aggregate-Materialize");
            var spec = _step.WindowSpec;
            if (spec is null)
            {
                var table = grouped.Aggregate(Initialize, (_, v, acc) => Add(v, acc), null, new Materialized<GenericKey, object?[]>(storeName) { KeySerde = _keySerde, ValueSerde = _accumulatorSerde });
                var mapped = table.MapValues((k, acc) => Output(k, null, acc), valueSerde: InternalSerde.Row(_step.Schema.ValueTypes));
                return new BuiltTable<GenericKey>(mapped, PlainKeys.Instance);
            }

            var grace = TimeSpan.FromMilliseconds(spec.GraceMs ?? DefaultGraceMs);
            var materialized = new Materialized<GenericKey, object?[]>(storeName)
            {
                KeySerde = _keySerde,
                ValueSerde = _accumulatorSerde,
                Retention = spec.RetentionMs is { } r ? TimeSpan.FromMilliseconds(Math.Max(r, spec.SizeMs + (spec.GraceMs ?? DefaultGraceMs))) : null,
            };
            KTable<Windowed<GenericKey>, object?[]> windowed;
            if (spec.Type == WindowType.Session)
            {
                windowed = grouped.WindowedBy(SessionWindows.OfInactivityGapAndGrace(TimeSpan.FromMilliseconds(spec.SizeMs), grace))
                    .Aggregate(Initialize, (_, v, acc) => Add(v, acc), (_, a, b) => Merge(a, b), null, materialized);
            }
            else
            {
                var windows = TimeWindows.OfSizeAndGrace(TimeSpan.FromMilliseconds(spec.SizeMs), grace);
                if (spec.Type == WindowType.Hopping)
                {
                    windows = windows.AdvanceBy(TimeSpan.FromMilliseconds(spec.AdvanceMs));
                }

                windowed = grouped.WindowedBy(windows).Aggregate(Initialize, (_, v, acc) => Add(v, acc), null, materialized);
            }

            var output = windowed.MapValues((k, acc) => Output(k.Key, (k.Window.Start, k.Window.End), acc), valueSerde: InternalSerde.Row(_step.Schema.ValueTypes));
            return new BuiltTable<Windowed<GenericKey>>(output, WindowedKeys.Instance);
        }

        public Built Table<K>(KTable<K, object?[]> table, KeyOps<K> keys)
            where K : notnull
        {
            var groupedName = _builder.UniqueName("Aggregate-GroupBy");
            var storeName = _builder.UniqueName("Aggregate-Aggregate-Materialize");
            var grouped = table.Filter((_, v) => GroupKeyOk(v))
                .GroupBy((_, v) => (new GenericKey(_groupKey(v)), v), new Grouped<GenericKey, object?[]>(groupedName) { KeySerde = _keySerde, ValueSerde = _rowSerde });
            var aggregated = grouped.Aggregate(Initialize, (_, v, acc) => Add(v, acc), (_, v, acc) => Subtract(v, acc), null,
                new Materialized<GenericKey, object?[]>(storeName) { KeySerde = _keySerde, ValueSerde = _accumulatorSerde });
            var mapped = aggregated.MapValues((k, acc) => Output(k, null, acc), valueSerde: InternalSerde.Row(_step.Schema.ValueTypes));
            return new BuiltTable<GenericKey>(mapped, PlainKeys.Instance);
        }
    }
}
