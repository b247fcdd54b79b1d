using Rhei.Client;
using Rhei.Engine.Entities;
using Rhei.Formats.Conversion;
using Rhei.Formats.Serde;
using Rhei.Sql.Ast;
using Rhei.Sql.Binding;
using Rhei.Sql.Compilation;
using Rhei.Sql.Execution;
using Rhei.Sql.Planning;
using Rhei.Sql.Schema;

namespace Rhei.Engine.Execution;

/// <summary>
/// INSERT INTO source [(columns)] VALUES (...): the values are constant expressions, converted to the columns' types,
/// and written as one record with the source's key and value formats (ROWTIME, when listed, is its timestamp).
/// </summary>
internal sealed class InsertValuesExecutor(RheiEngine engine)
{
    public async Task<StatementResult> ExecuteAsync(StatementExecutor executor, InsertValues statement, string text, KsqlConfig config, CancellationToken ct)
    {
        var source = engine.MetaStore.GetSource(statement.Target);
        if (source is null)
        {
            var other = engine.MetaStore.FindCaseInsensitive(statement.Target);
            var hint = other is null ? ""
                : other.Name.ToUpperInvariant() == other.Name
                    ? $"\nDid you mean {other.Name}? Hint: try removing double quotes from the source name."
                    : $"\nDid you mean \"{other.Name}\"? Hint: wrap the source name in double quotes to make it case-sensitive.";
            throw new KsqlException($"Cannot insert values into an unknown stream/table: `{statement.Target}`{hint}");
        }

        if (source.IsSource)
        {
            throw new KsqlException($"Cannot insert values into read-only {source.TypeName}: {source.Name}");
        }

        var headers = source.Schema.HeaderColumns.Select(c => c.Name).ToList();
        if (headers.Count > 0)
        {
            var named = statement.Columns.Where(c => headers.Contains(c)).ToList();
            if (named.Count > 0)
            {
                throw new KsqlException($"Cannot insert into HEADER columns: {string.Join(", ", named)}");
            }

            if (statement.Columns.IsEmpty)
            {
                throw new KsqlException($"Cannot insert into {source.Name} because it has header columns");
            }
        }

        if (source.IsWindowed)
        {
            throw new KsqlException($"Cannot insert values into windowed {source.TypeName} {source.Name}.");
        }

        var schema = source.Schema;
        IReadOnlyList<string> columns = statement.Columns.IsEmpty
            ? [.. schema.Key.Select(c => c.Name), .. schema.PhysicalValue.Select(c => c.Name)]
            : [.. statement.Columns];
        if (!statement.Columns.IsEmpty && columns.Count != statement.Values.Count)
        {
            // ksqlDB rejects a column list and a value list of different lengths while preparing the statement.
            throw new KsqlException($"Failed to prepare statement: Expected number columns and values to match: {columns.Count}, {statement.Values.Count}");
        }

        if (columns.FirstOrDefault(c => c is SystemColumns.RowPartition or SystemColumns.RowOffset) is { } pseudo)
        {
            throw new KsqlException($"Inserting into column `{pseudo}` is not allowed.");
        }

        if (columns.Count != statement.Values.Count)
        {
            throw new KsqlException($"Expected a value for each column. Expected Columns: [{string.Join(", ", columns)}]. Got {statement.Values.Count} values.");
        }

        var key = new object?[schema.Key.Length];
        var value = new object?[schema.PhysicalValue.Count()];
        var physical = schema.PhysicalValue.ToList();
        long? timestamp = null;
        var binder = new ExpressionBinder(engine.Functions, engine.MetaStore.GetType);
        for (var i = 0; i < columns.Count; i++)
        {
            var name = columns[i];
            var bound = binder.Bind(statement.Values[i], ExpressionScope.Empty);
            if (name == SystemColumns.RowTime)
            {
                timestamp = Convert(bound, Formats.Types.SqlTypes.BigInt, name) is long ts ? ts : null;
                continue;
            }

            var column = schema.FindColumn(name) ?? throw new KsqlException($"Column name {name} does not exist.");
            var converted = Convert(bound, column.Type, name);
            if (column.IsKey)
            {
                key[column.Index] = converted;
            }
            else
            {
                value[physical.FindIndex(c => c.Name == name)] = converted;
            }
        }

        var topic = source.KafkaTopicName;
        var keyBytes = FormatSerdes.Key(engine.Formats, source.Topic.KeyFormat, schema.KeySerdeSchema(), topic).Serialize(new GenericKey(key), topic);
        var valueBytes = FormatSerdes.Value(engine.Formats, source.Topic.ValueFormat, schema.ValueSerdeSchema(), topic).Serialize(value, topic);
        await engine.Topics.ProduceAsync(new ProduceRecord(topic, keyBytes, valueBytes, Timestamp: timestamp ?? engine.Options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds()), ct);
        _ = config;
        return executor.Status(text, source.TypeName, source.Name, "Inserted 1 row.", "insert");
    }

    /// <summary>A null array as a null record field (an implicit conversion would make it empty).</summary>
    private static object? Convert(BoundExpression bound, Formats.Types.SqlType type, string column)
    {
        if (bound.Type is not null && !bound.Type.Equals(type))
        {
            if (!SqlCoercion.CanImplicitlyCast(bound.Type, type) && !(bound is BoundLiteral && bound.Type.BaseType == Formats.Types.SqlBaseType.String))
            {
                throw new KsqlException($"Expected type {type} for field {column} but got {bound.ToSql()}({bound.Type})");
            }

            bound = new BoundCast(bound, type, IsImplicit: true);
        }

        try
        {
            return ExpressionCompiler.EvaluateConstant(bound);
        }
        catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException or ArgumentException)
        {
            throw new KsqlException($"Failed to insert values into '{column}': {e.Message}", e);
        }
    }
}
