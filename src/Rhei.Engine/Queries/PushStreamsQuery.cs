using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Rhei.Client;
using Rhei.Formats.Types;
using Rhei.Sql.Ast;
using Rhei.Sql.Execution;
using Rhei.Sql.Parsing;
using Rhei.Sql.Planning;
using Rhei.Sql.Schema;
using Rhei.Streams;

namespace Rhei.Engine.Queries;

/// <summary>
/// A push query that needs the stream-processing runtime (aggregations, joins, PARTITION BY, table functions,
/// windows): planned as ksqlDB plans a CREATE ... AS SELECT, run as its own streams application, whose sink records
/// are handed to this query's reader instead of being written (<see cref="TransientClients"/>). The result columns are
/// the SELECT list in its order, including a key the persistent form would require only as the sink's key.
/// </summary>
internal sealed class PushStreamsQuery : TransientQuery
{
    private const string OutputPrefix = "KSQL_PUSH_OUT_";

    private readonly Channel<QueryRow> _rows = Channel.CreateUnbounded<QueryRow>(new UnboundedChannelOptions { SingleReader = true });
    private readonly int? _limit;
    private StreamsApp? _app;
    private IClientFactory? _clients;
    private string _applicationId = "";
    private string _stateDir = "";

    private PushStreamsQuery(string queryId, IReadOnlyList<QueryColumn> columns, bool isTable, string statementText, int? limit)
        : base(queryId, QueryKind.Push, columns, isTable, statementText)
    {
        _limit = limit;
    }

    public static async Task<TransientQuery> StartAsync(
        RheiEngine engine, IClientFactory clients, Query query, string sql, KsqlConfig config, string queryId, bool fromBeginning,
        CancellationToken cancellationToken)
    {
        var (items, names) = Expand(engine, query, sql);
        var sinkName = queryId.ToUpperInvariant();
        var topic = "_rhei_" + queryId;
        var partitions = await PartitionsAsync(engine, clients, cancellationToken);
        var planner = new QueryPlanner(engine.MetaStore, engine.Functions, engine.Formats, config, t => partitions.TryGetValue(t, out var p) ? p : null);
        var properties = WithProperties.From(
            [new TableProperty("KAFKA_TOPIC", new StringLiteral(topic)), new TableProperty("FORMAT", new StringLiteral("JSON"))], createAs: true);

        // Plan as a persistent query would be; add what such a query must have and this one may leave out.
        var select = items.Select((item, i) => (SelectItem)new SingleColumn(item, OutputPrefix + i)).ToList();
        var type = SourceType.Stream;
        PlannedQuery? planned = null;
        var plannedQuery = query with { Select = [.. select], Limit = null };
        for (var attempt = 0; planned is null; attempt++)
        {
            try
            {
                planned = planner.Plan(plannedQuery with { Select = [.. select] }, new QueryTarget(sinkName, type, properties, null), sql);
            }
            catch (KsqlException e) when (attempt < 6 && plannedQuery.GroupBy is null && e.Message.StartsWith("Aggregate functions are not supported without a GROUP BY clause", StringComparison.Ordinal))
            {
                // A push query may aggregate a whole stream: one group, keyed by a constant the result leaves out.
                plannedQuery = plannedQuery with { GroupBy = [new IntegerLiteral(1)] };
                type = SourceType.Table;
            }
            catch (KsqlException e) when (attempt < 6 && Retry(e.Message, ref type, select, query))
            {
            }
        }

        var sink = planned.Sink;
        var outputs = new (bool IsKey, int Index)[items.Count];
        var columns = new List<QueryColumn>();
        for (var i = 0; i < items.Count; i++)
        {
            var name = OutputPrefix + i;
            var keyIndex = sink.Schema.Key.IndexOf(sink.Schema.Key.FirstOrDefault(c => c.Name == name)!);
            var valueIndex = sink.Schema.PhysicalValue.ToList().FindIndex(c => c.Name == name);
            outputs[i] = keyIndex >= 0 ? (true, keyIndex) : (false, valueIndex);
            var type2 = keyIndex >= 0 ? sink.Schema.Key[keyIndex].Type : sink.Schema.PhysicalValue.ElementAt(valueIndex).Type;
            columns.Add(new QueryColumn(names[i], type2));
        }

        var result = new PushStreamsQuery(queryId, columns, sink.IsTable, sql, query.Limit);
        await result.RunAsync(engine, clients, planned, config, outputs, fromBeginning, cancellationToken);
        return result;
    }

    /// <summary>The SELECT items with <c>*</c> expanded, and the names the result columns take.</summary>
    private static (List<Expression> Items, List<string> Names) Expand(RheiEngine engine, Query query, string sql)
    {
        var sources = new[] { query.From.Source }.Concat(query.From.Joins.Select(j => j.Source))
            .Select(a => (Alias: a.EffectiveName, Source: engine.MetaStore.GetSource(a.Name)
                ?? throw new KsqlStatementException($"{(a.Position.IsKnown ? $"Line: {a.Position.Line}, Col: {a.Position.Column}: " : "")}{a.Name} does not exist.", sql)))
            .ToList();
        var join = sources.Count > 1;
        var items = new List<Expression>();
        var given = new List<string?>();
        foreach (var item in query.Select)
        {
            switch (item)
            {
                case SingleColumn single:
                    items.Add(single.Expression);
                    given.Add(single.Alias ?? (join ? JoinName(single.Expression, sources) : null) ?? Sql.Binding.ExpressionNames.DefaultName(single.Expression));
                    break;
                case AllColumns all:
                    foreach (var (alias, source) in sources.Where(s => all.Source is null || all.Source == s.Alias))
                    {
                        foreach (var name in StarColumns(source, join))
                        {
                            items.Add(new ColumnReference(alias, name));
                            given.Add(join ? alias + "_" + name : name);
                        }
                    }

                    break;
                case AllStructFields fields:
                    throw new KsqlStatementException("'->*' is not supported in push queries with aggregations or joins yet; name the fields.", sql);
            }
        }

        var taken = new HashSet<string>(given.Where(n => n is not null)!, StringComparer.Ordinal);
        foreach (var (_, source) in sources)
        {
            foreach (var c in source.Schema.Columns)
            {
                taken.Add(c.Name);
            }
        }

        var next = 0;
        var names = new List<string>();
        foreach (var name in given)
        {
            if (name is not null)
            {
                names.Add(name);
                continue;
            }

            string generated;
            do
            {
                generated = Sql.Binding.ExpressionNames.GeneratedName(next++);
            }
            while (!taken.Add(generated));
            names.Add(generated);
        }

        return (items, names);
    }

    /// <summary>
    /// In a join, a qualified column whose name more than one source has (ROWTIME, or the same name on both sides) is
    /// named after its source: <c>I1.ROWTIME</c> is <c>I1_ROWTIME</c>, as in the persistent form of the query.
    /// </summary>
    private static string? JoinName(Expression expression, List<(string Alias, DataSource Source)> sources)
    {
        if (expression is not ColumnReference { Source: { } alias } reference)
        {
            return null;
        }

        var sharing = SystemColumns.IsPseudoColumn(reference.Name)
            ? sources.Count
            : sources.Count(s => s.Source.Schema.Columns.Any(c => c.Name == reference.Name)
                || (s.Source.IsWindowed && reference.Name is SystemColumns.WindowStart or SystemColumns.WindowEnd));
        return sharing > 1 ? alias + "_" + reference.Name : null;
    }

    private static IEnumerable<string> StarColumns(DataSource source, bool join)
    {
        foreach (var k in source.Schema.Key)
        {
            yield return k.Name;
        }

        if (source.IsWindowed && join)
        {
            yield return SystemColumns.WindowStart;
            yield return SystemColumns.WindowEnd;
        }

        foreach (var v in source.Schema.Value)
        {
            yield return v.Name;
        }
    }

    /// <summary>Adjusts the plan's inputs after a persistent-query error a push query need not raise; false to give up.</summary>
    private static bool Retry(string message, ref SourceType type, List<SelectItem> select, Query query)
    {
        if (message.Contains("Please use CREATE TABLE AS SELECT", StringComparison.Ordinal) && type == SourceType.Stream)
        {
            type = SourceType.Table;
            return true;
        }

        if (message.Contains("Please use CREATE STREAM AS SELECT", StringComparison.Ordinal) && type == SourceType.Table)
        {
            type = SourceType.Stream;
            return true;
        }

        var example = message.IndexOf("(eg, SELECT ", StringComparison.Ordinal);
        if (example >= 0 && message.Contains("in its projection", StringComparison.Ordinal))
        {
            var start = example + "(eg, SELECT ".Length;
            var end = message.IndexOf("...)", start, StringComparison.Ordinal);
            if (end < 0)
            {
                return false;
            }

            var hidden = 0;
            foreach (var text in SplitTopLevel(message[start..end]))
            {
                select.Add(new SingleColumn(SqlParser.ParseExpression(text), "KSQL_PUSH_KEY_" + hidden++));
            }

            return hidden > 0;
        }

        if (message.StartsWith("The projection contains no value columns", StringComparison.Ordinal))
        {
            var aggregating = query.GroupBy is not null;
            select.Add(new SingleColumn(aggregating ? new FunctionCall("COUNT", []) : new IntegerLiteral(1), "KSQL_PUSH_VALUE"));
            return true;
        }

        return false;
    }

    /// <summary>Splits "A, F(B, C), D" at the commas outside parentheses.</summary>
    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    yield return text[start..i].Trim();
                    start = i + 1;
                    break;
            }
        }

        yield return text[start..].Trim();
    }

    private static async Task<Dictionary<string, int>> PartitionsAsync(RheiEngine engine, IClientFactory clients, CancellationToken cancellationToken)
    {
        var partitions = new Dictionary<string, int>(StringComparer.Ordinal);
        await using var admin = clients.CreateAdmin();
        var topics = engine.MetaStore.Sources.Select(s => s.KafkaTopicName).Distinct().ToList();
        var existing = (await admin.ListTopicsAsync(true, cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var known = topics.Where(existing.Contains).ToList();
        if (known.Count > 0)
        {
            foreach (var d in await admin.DescribeTopicsAsync(known, cancellationToken))
            {
                partitions[d.Name] = d.Partitions;
            }
        }

        return partitions;
    }

    private async Task RunAsync(
        RheiEngine engine, IClientFactory clients, PlannedQuery planned, KsqlConfig config, (bool IsKey, int Index)[] outputs,
        bool fromBeginning, CancellationToken cancellationToken)
    {
        var sink = planned.Sink;
        var topic = sink.KafkaTopicName;
        Deserializer<GenericKey>? key = null;
        Deserializer<Windowed<GenericKey>>? windowedKey = null;
        if (sink.IsWindowed)
        {
            windowedKey = FormatSerdes.WindowedKey(engine.Formats, sink.Topic.KeyFormat, sink.Schema.KeySerdeSchema(), topic).Deserialize;
        }
        else
        {
            key = FormatSerdes.Key(engine.Formats, sink.Topic.KeyFormat, sink.Schema.KeySerdeSchema(), topic).Deserialize;
        }

        var value = FormatSerdes.Value(engine.Formats, sink.Topic.ValueFormat, sink.Schema.ValueSerdeSchema(), topic).Deserialize;
        var count = 0;
        var limit = _limit;
        void Deliver(ProduceRecord record)
        {
            if (Closed.IsCancellationRequested)
            {
                return;
            }

            var keyData = record.Key is { } k ? k.Span : default;
            var keyValues = windowedKey is not null ? windowedKey(keyData, record.Key is null, topic).Key : key!(keyData, record.Key is null, topic);
            var row = record.Value is { } v ? value(v.Span, false, topic) : null;
            var output = new object?[outputs.Length];
            for (var i = 0; i < outputs.Length; i++)
            {
                var (isKey, index) = outputs[i];
                output[i] = isKey ? (index < keyValues.Count ? keyValues[index] : null) : row?[index];
            }

            lock (_rows)
            {
                if (limit is { } max && count >= max)
                {
                    return;
                }

                _rows.Writer.TryWrite(new QueryRow(output, IsTombstone: row is null));
                if (limit is { } m && ++count >= m)
                {
                    CompletionMessage = "Limit Reached";
                    _rows.Writer.TryComplete();
                }
            }
        }

        _applicationId = $"_confluent-ksql-{config.ServiceIdValue}transient_{QueryId}";
        _stateDir = Path.Combine(engine.Options.StateDirectory ?? Path.Combine(Path.GetTempPath(), "rhei-state"), "transient");
        _clients = clients;
        var transient = new TransientClients(clients, topic, _applicationId, fromBeginning ? AutoOffsetReset.Earliest : AutoOffsetReset.Latest, Deliver);
        var topology = new TopologyBuilder(engine.Formats, config).Build(planned.Root);
        var options = new StreamsOptions
        {
            ApplicationId = _applicationId,
            StateDir = _stateDir,
            LoggerFactory = engine.Options.LoggerFactory,
            TimeProvider = engine.Options.TimeProvider,
            ProcessingLogName = "processing." + QueryId,
            CacheMaxBytesBuffering = 0,
            CommitIntervalMs = 1000,
            ChangelogEnabled = false,
            PollMs = 20,
        };
        var app = new StreamsApp(topology, options, transient);
        app.StateChanged += change =>
        {
            if (change.NewState == StreamsState.Error)
            {
                _rows.Writer.TryComplete(new KsqlException($"Push query {QueryId} failed: {app.Error?.Message}", app.Error));
            }
        };
        _app = app;
        await app.StartAsync(cancellationToken);
    }

    public override async IAsyncEnumerable<QueryRow> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, Closed);
        while (true)
        {
            bool more;
            try
            {
                more = await _rows.Reader.WaitToReadAsync(cancel.Token);
            }
            catch (OperationCanceledException) when (Closed.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                yield break;
            }

            if (!more)
            {
                yield break;
            }

            while (_rows.Reader.TryRead(out var row))
            {
                yield return row;
            }
        }
    }

    protected override async ValueTask StopAsync()
    {
        _rows.Writer.TryComplete();
        if (_app is { } app)
        {
            _app = null;
            await app.DisposeAsync();
            await CleanUpAsync();
        }
    }

    /// <summary>Deletes the application's internal topics, consumer group and state: nothing of a push query outlives it.</summary>
    private async Task CleanUpAsync()
    {
        if (_clients is null)
        {
            return;
        }

        try
        {
            await using var admin = _clients.CreateAdmin();
            var internalTopics = (await admin.ListTopicsAsync(true)).Where(t => t.StartsWith(_applicationId + "-", StringComparison.Ordinal)).ToList();
            if (internalTopics.Count > 0)
            {
                await admin.DeleteTopicsAsync(internalTopics);
            }

            try
            {
                await admin.DeleteConsumerGroupAsync(_applicationId);
            }
            catch (AdminException)
            {
                // No offsets were committed.
            }
        }
        catch (Exception e) when (e is AdminException or InvalidOperationException)
        {
            // Best effort: a leftover internal topic is harmless and named after the query.
        }

        var directory = Path.Combine(_stateDir, _applicationId);
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
        }
    }
}
