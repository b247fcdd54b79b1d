using Rhei.Formats.Serde;
using Rhei.Formats.Types;
using Rhei.Sql.Compilation;
using Rhei.Sql.Functions.Scalar;
using Rhei.Sql.Planning;
using Rhei.Sql.Schema;
using Rhei.Streams;
using Rhei.Streams.Processors;

namespace Rhei.Sql.Execution;

/// <summary>
/// Turns a stream plan into a Rhei.Streams topology: sources with the formats' serdes and ksqlDB's row layout, the
/// operators of each step with compiled expressions, internal topics and stores named as ksqlDB names them, and the
/// sink. One builder per query.
/// </summary>
public sealed class TopologyBuilder
{
    private readonly FormatRegistry _formats;
    private readonly KsqlConfig _config;
    private readonly Action<ExpressionError>? _onError;
    private readonly Dictionary<string, Built> _sources = new(StringComparer.Ordinal);

    public TopologyBuilder(FormatRegistry formats, KsqlConfig config, Action<ExpressionError>? onError = null)
    {
        _formats = formats;
        _config = config;
        _onError = onError ?? (_ => { });
    }

    internal StreamsBuilder Streams { get; } = new();

    internal FormatRegistry Formats => _formats;

    internal KsqlConfig Config => _config;

    internal Action<ExpressionError> OnError => _onError!;

    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    /// <summary>A unique name for a processor, store or internal topic: <paramref name="name"/>, or with a suffix when taken.</summary>
    internal string UniqueName(string name)
    {
        var unique = name;
        for (var i = 2; !_names.Add(unique); i++)
        {
            unique = $"{name}-{i}";
        }

        return unique;
    }

    public Topology Build(SinkStep root)
    {
        var input = BuildStep(root.Input);
        input.Accept(new SinkVisitor(this, root));
        return Streams.Build();
    }

    /// <summary>
    /// Builds a push query: instead of a sink topic, each result row goes to <paramref name="onRow"/> with its key, its
    /// window (windowed results) and its record timestamp; a table's deletes come as null rows.
    /// </summary>
    public Topology Build(SinkStep root, Action<GenericKey, (long Start, long End)?, object?[]?> onRow)
    {
        var input = BuildStep(root.Input);
        input.Accept(new CallbackVisitor(onRow, root.Limit));
        return Streams.Build();
    }

    private sealed class CallbackVisitor(Action<GenericKey, (long Start, long End)?, object?[]?> onRow, int? limit) : IBuiltVisitor<bool>
    {
        private int _count;

        public bool Stream<K>(KStream<K, object?[]> stream, KeyOps<K> keys)
            where K : notnull
        {
            stream.ForEach((k, v) =>
            {
                if (limit is null || _count++ < limit)
                {
                    onRow(keys.Key(k), keys.Window(k), v);
                }
            });
            return true;
        }

        public bool Table<K>(KTable<K, object?[]> table, KeyOps<K> keys)
            where K : notnull => Stream(table.ToStream(), keys);
    }

    internal Built BuildStep(ExecutionStep step) => step switch
    {
        SourceStep s => BuildSource(s),
        FilterStep f => BuildStep(f.Input).Accept(new FilterVisitor(this, f, ExpressionCompiler.CompilePredicate(f.Predicate, _onError))),
        ProjectStep p => BuildStep(p.Input).Accept(new ProjectVisitor(ExpressionCompiler.CompileProjection(p.Expressions, _onError), p.OutputSchema)),
        SelectKeyStep k => BuildStep(k.Input).Accept(new SelectKeyVisitor(this, k)),
        FlatMapStep m => BuildStep(m.Input).Accept(new FlatMapVisitor(m, _onError)),
        AggregateStep a => AggregateBuilder.Build(this, a, BuildStep(a.Input)),
        JoinStep j => JoinBuilder.Build(this, j, BuildStep(j.Left), BuildStep(j.Right)),
        SuppressStep s => BuildStep(s.Input).Accept(new SuppressVisitor()),
        _ => throw new NotSupportedException($"Cannot build a {step.GetType().Name}."),
    };

    private Built BuildSource(SourceStep step)
    {
        var source = step.Source;
        if (_sources.TryGetValue(source.KafkaTopicName, out var existing))
        {
            return existing;
        }

        Built built = source.IsWindowed
            ? BuildSource(step, WindowedKeys.Instance)
            : BuildSource(step, PlainKeys.Instance);
        _sources[source.KafkaTopicName] = built;
        return built;
    }

    private Built BuildSource<K>(SourceStep step, KeyOps<K> keys)
        where K : notnull
    {
        var source = step.Source;
        var topic = source.KafkaTopicName;
        var keySchema = source.Schema.KeySerdeSchema();
        var valueSchema = source.Schema.ValueSerdeSchema();
        var keySerde = keys.FormatSerde(_formats, source.Topic.KeyFormat, keySchema, topic);
        var valueSerde = FormatSerdes.Value(_formats, source.Topic.ValueFormat, valueSchema, topic);
        var consumed = new Consumed<K, object?[]>(keySerde, valueSerde)
        {
            TimestampExtractor = TimestampExtractor<K>(source, keys),
        };
        var stream = Streams.Stream(topic, consumed);
        var layout = new SourceRowLayout(source, step.RowSchema, _config.GetBool(KsqlConfig.RowPartitionOffsetEnabled, true));
        var rows = stream.ProcessValues<object?[]>((context, downstream) => new SourceRowProcessor<K>(context, downstream, layout, keys), valueSerde: InternalSerde.Row(step.RowSchema.ValueTypes));
        if (!source.IsTable)
        {
            return new BuiltStream<K>(rows, keys);
        }

        var keyCount = source.Schema.Key.Length;
        var nonNull = rows.Filter((k, _) => keyCount == 0 || !keys.Key(k).IsNull);
        var storeName = UniqueName("KsqlTopic-Reduce");
        var table = nonNull.ToTable(null, new Materialized<K, object?[]>(storeName)
        {
            KeySerde = keys.InternalSerde(step.RowSchema.KeyTypes, source.Topic.KeyFormat.Window),
            ValueSerde = InternalSerde.Row(step.RowSchema.ValueTypes),
        });
        return new BuiltTable<K>(table, keys);
    }

    private TimestampExtractor<K, object?[]>? TimestampExtractor<K>(DataSource source, KeyOps<K> keys)
        where K : notnull
    {
        if (source.Timestamp is not { } ts)
        {
            return null;
        }

        var throwOnInvalid = _config.GetBool(KsqlConfig.TimestampThrowOnInvalid);
        var column = source.Schema.FindColumn(ts.Column)!;
        var isKey = column.IsKey;
        var index = isKey ? source.Schema.Key.IndexOf(column) : source.Schema.PhysicalValue.ToList().FindIndex(c => c.Name == column.Name);
        var format = ts.Format;
        return (key, value, recordTimestamp, _) =>
        {
            object? raw;
            if (isKey)
            {
                raw = keys.Key(key)[index];
            }
            else
            {
                if (value is null)
                {
                    return recordTimestamp;
                }

                raw = value[index];
            }

            long? result = raw switch
            {
                null => null,
                long l => l,
                int i => i,
                DateTime dt => new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc)).ToUnixTimeMilliseconds(),
                string s when format is not null => ParseTimestamp(s, format, throwOnInvalid),
                _ => null,
            };
            if (result is null or < 0)
            {
                if (throwOnInvalid)
                {
                    throw new InvalidOperationException($"Invalid timestamp in column {ts.Column}: {raw ?? "null"}");
                }

                return -1;
            }

            return result.Value;
        };
    }

    private static long? ParseTimestamp(string text, string format, bool throwOnInvalid)
    {
        try
        {
            return DateTimeFunctions.StringToTimestamp(text, format);
        }
        catch (Exception) when (!throwOnInvalid)
        {
            return null;
        }
    }

    /// <summary>Where each column of a source's rows comes from.</summary>
    private sealed class SourceRowLayout
    {
        public SourceRowLayout(DataSource source, PlanSchema row, bool rowPartitionOffset)
        {
            Width = row.Value.Length;
            var physical = 0;
            var map = new List<(int Kind, int Index, string? HeaderKey)>();
            foreach (var c in source.Schema.Value)
            {
                map.Add(c.Namespace == ColumnNamespace.Headers ? (1, 0, c.HeaderKey) : (0, physical++, null));
            }

            Values = [.. map];
            RowPartitionOffset = rowPartitionOffset;
            Windowed = source.IsWindowed;
            KeyCount = source.Schema.Key.Length;
        }

        public int Width { get; }

        public (int Kind, int Index, string? HeaderKey)[] Values { get; }

        public bool RowPartitionOffset { get; }

        public bool Windowed { get; }

        public int KeyCount { get; }
    }

    private sealed class SourceRowProcessor<K>(ProcessorContext context, Downstream<K, object?[]> downstream, SourceRowLayout layout, KeyOps<K> keys) : Processor<K, object?[]>
        where K : notnull
    {
        public override void Process(K key, object?[] value, long timestamp)
        {
            if (value is null)
            {
                downstream.Forward(key, null!, timestamp);
                return;
            }

            var row = new object?[layout.Width];
            var i = 0;
            foreach (var (kind, index, headerKey) in layout.Values)
            {
                row[i++] = kind == 0 ? value[index] : Header(headerKey);
            }

            row[i++] = timestamp;
            if (layout.RowPartitionOffset)
            {
                row[i++] = context.Partition;
                row[i++] = context.Offset;
            }

            if (layout.Windowed && keys.Window(key) is { } w)
            {
                row[i++] = w.Start;
                row[i++] = w.End;
            }
            else if (layout.Windowed)
            {
                i += 2;
            }

            var k = keys.Key(key);
            for (var j = 0; j < layout.KeyCount && j < k.Count; j++)
            {
                row[i++] = k[j];
            }

            downstream.Forward(key, row, timestamp);
        }

        private object? Header(string? headerKey)
        {
            var headers = context.Headers;
            if (headerKey is null)
            {
                var list = new List<object?>(headers.Count);
                foreach (var h in headers)
                {
                    list.Add(new SqlStruct((SqlStructType)((SqlArrayType)SystemColumns.HeadersType).ElementType, [h.Key, h.Value is null ? null : h.Value.Value.ToArray()]));
                }

                return list;
            }

            for (var i = headers.Count - 1; i >= 0; i--)
            {
                if (headers[i].Key == headerKey)
                {
                    return headers[i].Value is { } v ? v.ToArray() : null;
                }
            }

            return null;
        }
    }

    private sealed class FilterVisitor(TopologyBuilder builder, FilterStep step, Func<object?[], bool> predicate) : IBuiltVisitor<Built>
    {
        public Built Stream<K>(KStream<K, object?[]> stream, KeyOps<K> keys)
            where K : notnull => new BuiltStream<K>(stream.Filter((_, v) => v is not null && predicate(v)), keys);

        /// <summary>
        /// A table filter is materialized, so that a row that stops passing is deleted downstream only when it had
        /// passed before (as ksqlDB's filters forward old values).
        /// </summary>
        public Built Table<K>(KTable<K, object?[]> table, KeyOps<K> keys)
            where K : notnull
        {
            var materialized = new Materialized<K, object?[]>(builder.UniqueName(step.StepName + "-Materialize"))
            {
                KeySerde = keys.InternalSerde(step.Schema.KeyTypes, step.Window),
                ValueSerde = InternalSerde.Row(step.Schema.ValueTypes),
            };
            return new BuiltTable<K>(table.Filter((_, v) => v is not null && predicate(v), null, materialized), keys);
        }
    }

    private sealed class ProjectVisitor(Func<object?[], object?[]> project, PlanSchema schema) : IBuiltVisitor<Built>
    {
        public Built Stream<K>(KStream<K, object?[]> stream, KeyOps<K> keys)
            where K : notnull => new BuiltStream<K>(stream.MapValues((_, v) => v is null ? null! : project(v), valueSerde: InternalSerde.Row(schema.ValueTypes)), keys);

        public Built Table<K>(KTable<K, object?[]> table, KeyOps<K> keys)
            where K : notnull => new BuiltTable<K>(table.MapValues((_, v) => v is null ? null! : project(v), valueSerde: InternalSerde.Row(schema.ValueTypes)), keys);
    }

    private sealed class SelectKeyVisitor(TopologyBuilder builder, SelectKeyStep step) : IBuiltVisitor<Built>
    {
        public Built Stream<K>(KStream<K, object?[]> stream, KeyOps<K> keys)
            where K : notnull
        {
            var count = step.KeyExpressions.Length;
            var compiled = ExpressionCompiler.CompileProjection(step.KeyExpressions, builder._onError);
            var keySerde = InternalSerde.Key(step.Schema.KeyTypes);

            // A tombstone has no row: its new key is computed from a row holding only the old key's columns.
            var input = step.Input.Schema;
            var width = input.Value.Length;
            var keyIndexes = input.Key.Select(k => input.IndexOf(k.Name)).ToArray();
            object?[] KeyOnlyRow(K key)
            {
                var row = new object?[width];
                var k = keys.Key(key);
                for (var i = 0; i < keyIndexes.Length && i < k.Count; i++)
                {
                    if (keyIndexes[i] >= 0)
                    {
                        row[keyIndexes[i]] = k[i];
                    }
                }

                return row;
            }

            // For a tombstone, only expressions over the key columns have a value; the others are NULL.
            var keyColumns = new HashSet<int>(keyIndexes.Where(i => i >= 0));
            var keyOnly = step.KeyExpressions.Select(e => e.References().All(c => keyColumns.Contains(c.Index))).ToArray();
            GenericKey Tombstone(K k)
            {
                var values = compiled(KeyOnlyRow(k));
                for (var i = 0; i < values.Length; i++)
                {
                    if (!keyOnly[i])
                    {
                        values[i] = null;
                    }
                }

                return new GenericKey(values);
            }

            var rekeyed = stream.SelectKey((k, v) => count == 0 ? GenericKey.Empty : v is null ? Tombstone(k) : new GenericKey(compiled(v)), keySerde: keySerde);
            return new BuiltStream<GenericKey>(rekeyed, PlainKeys.Instance);
        }

        public Built Table<K>(KTable<K, object?[]> table, KeyOps<K> keys)
            where K : notnull => throw new NotSupportedException("A table cannot be re-keyed by PARTITION BY.");
    }

    private sealed class FlatMapVisitor(FlatMapStep step, Action<ExpressionError>? onError) : IBuiltVisitor<Built>
    {
        public Built Stream<K>(KStream<K, object?[]> stream, KeyOps<K> keys)
            where K : notnull
        {
            var functions = step.Functions.Select(f => ExpressionCompiler.Compile(f, onError)).ToArray();
            var width = step.Input.Schema.Value.Length;
            IEnumerable<object?[]> Expand(object?[] row)
            {
                if (row is null)
                {
                    yield break;
                }

                var lists = functions.Select(f => f(row) as List<object?>).ToArray();
                var n = lists.Max(l => l?.Count ?? 0);
                for (var i = 0; i < n; i++)
                {
                    var output = new object?[width + functions.Length];
                    Array.Copy(row, output, width);
                    for (var f = 0; f < lists.Length; f++)
                    {
                        output[width + f] = lists[f] is { } l && i < l.Count ? l[i] : null;
                    }

                    yield return output;
                }
            }

            return new BuiltStream<K>(stream.FlatMapValues((_, v) => Expand(v), valueSerde: InternalSerde.Row(step.OutputSchema.ValueTypes)), keys);
        }

        public Built Table<K>(KTable<K, object?[]> table, KeyOps<K> keys)
            where K : notnull => throw new NotSupportedException("Table source is not supported with table functions");
    }

    private sealed class SuppressVisitor : IBuiltVisitor<Built>
    {
        public Built Stream<K>(KStream<K, object?[]> stream, KeyOps<K> keys)
            where K : notnull => throw new NotSupportedException("EMIT FINAL is only supported for windowed aggregations.");

        public Built Table<K>(KTable<K, object?[]> table, KeyOps<K> keys)
            where K : notnull
        {
            if (table is not KTable<Windowed<GenericKey>, object?[]> windowed)
            {
                throw new NotSupportedException("EMIT FINAL is only supported for windowed aggregations.");
            }

            var suppressed = windowed.Suppress(Suppressed.UntilWindowCloses<GenericKey>("Suppress"));
            return new BuiltTable<Windowed<GenericKey>>(suppressed, WindowedKeys.Instance);
        }
    }
}
