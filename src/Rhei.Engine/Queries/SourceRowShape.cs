using Rhei.Client;
using Rhei.Formats.Serde;
using Rhei.Formats.Types;
using Rhei.Sql.Binding;
using Rhei.Sql.Execution;
using Rhei.Sql.Schema;
using Rhei.Streams;

namespace Rhei.Engine.Queries;

/// <summary>
/// The row a query sees for each record of a source, as persistent queries lay it out: the value and header columns,
/// ROWTIME, ROWPARTITION, ROWOFFSET, WINDOWSTART and WINDOWEND (windowed sources), then the key columns. Decodes
/// records of the source's topic into such rows with the topic's formats.
/// </summary>
internal sealed class SourceRowShape
{
    private readonly (bool IsHeader, int Index, string? HeaderKey)[] _values;
    private readonly Deserializer<GenericKey>? _key;
    private readonly Deserializer<Windowed<GenericKey>>? _windowedKey;
    private readonly Deserializer<object?[]> _value;
    private readonly string _topic;

    public SourceRowShape(DataSource source, string alias, FormatRegistry formats, bool rowPartitionOffset)
    {
        Source = source;
        Alias = alias;
        var columns = new List<ScopeColumn>();
        var values = new List<(bool, int, string?)>();
        var physical = 0;
        foreach (var c in source.Schema.Value)
        {
            values.Add(c.IsHeader ? (true, 0, c.HeaderKey) : (false, physical++, null));
            columns.Add(new ScopeColumn(c.Name, c.Type, columns.Count, alias));
        }

        _values = [.. values];
        RowTimeIndex = columns.Count;
        columns.Add(new ScopeColumn(SystemColumns.RowTime, SqlTypes.BigInt, columns.Count, alias));
        if (rowPartitionOffset)
        {
            RowPartitionIndex = columns.Count;
            columns.Add(new ScopeColumn(SystemColumns.RowPartition, SqlTypes.Integer, columns.Count, alias));
            columns.Add(new ScopeColumn(SystemColumns.RowOffset, SqlTypes.BigInt, columns.Count, alias));
        }

        if (source.IsWindowed)
        {
            WindowStartIndex = columns.Count;
            columns.Add(new ScopeColumn(SystemColumns.WindowStart, SqlTypes.BigInt, columns.Count, alias));
            columns.Add(new ScopeColumn(SystemColumns.WindowEnd, SqlTypes.BigInt, columns.Count, alias));
        }

        KeyStart = columns.Count;
        foreach (var k in source.Schema.Key)
        {
            columns.Add(new ScopeColumn(k.Name, k.Type, columns.Count, alias));
        }

        Columns = columns;
        Scope = new ExpressionScope(columns, [alias, source.Name]);
        _topic = source.KafkaTopicName;
        var keySchema = source.Schema.KeySerdeSchema();
        if (source.IsWindowed)
        {
            _windowedKey = FormatSerdes.WindowedKey(formats, source.Topic.KeyFormat, keySchema, _topic).Deserialize;
        }
        else
        {
            _key = FormatSerdes.Key(formats, source.Topic.KeyFormat, keySchema, _topic).Deserialize;
        }

        _value = FormatSerdes.Value(formats, source.Topic.ValueFormat, source.Schema.ValueSerdeSchema(), _topic).Deserialize;
    }

    public DataSource Source { get; }

    public string Alias { get; }

    public IReadOnlyList<ScopeColumn> Columns { get; }

    public ExpressionScope Scope { get; }

    public int Width => Columns.Count;

    public int RowTimeIndex { get; }

    /// <summary>-1 when ROWPARTITION and ROWOFFSET are off.</summary>
    public int RowPartitionIndex { get; } = -1;

    /// <summary>-1 for sources without windows.</summary>
    public int WindowStartIndex { get; } = -1;

    public int KeyStart { get; }

    public int KeyCount => Source.Schema.Key.Length;

    /// <summary>The key of a record (with its window for windowed sources). Throws on bytes the format cannot read.</summary>
    public (GenericKey Key, Window? Window) DecodeKey(ConsumedRecord record)
    {
        var data = record.Key is { } k ? k.Span : default;
        if (_windowedKey is not null)
        {
            var windowed = _windowedKey(data, record.Key is null, _topic);
            return (windowed.Key, windowed.Window);
        }

        return (_key!(data, record.Key is null, _topic), null);
    }

    /// <summary>
    /// The row of a record; null for a record without a value (a tombstone) or one whose value cannot be read (as
    /// persistent queries do, which write such records to the processing log and skip them).
    /// </summary>
    public object?[]? DecodeRow(ConsumedRecord record, GenericKey key, Window? window)
    {
        if (record.Value is not { } value)
        {
            return null;
        }

        object?[]? physical;
        try
        {
            physical = _value(value.Span, false, _topic);
        }
        catch (Exception e) when (e is SerdeException or FormatException or InvalidCastException or OverflowException or ArgumentException)
        {
            return null;
        }

        if (physical is null)
        {
            return null;
        }

        var row = new object?[Width];
        var i = 0;
        foreach (var (isHeader, index, headerKey) in _values)
        {
            row[i++] = isHeader ? Header(record.Headers, headerKey) : physical[index];
        }

        row[RowTimeIndex] = record.Timestamp;
        if (RowPartitionIndex >= 0)
        {
            row[RowPartitionIndex] = record.Partition;
            row[RowPartitionIndex + 1] = record.Offset;
        }

        if (WindowStartIndex >= 0 && window is { } w)
        {
            row[WindowStartIndex] = w.Start;
            row[WindowStartIndex + 1] = w.End;
        }

        FillKey(row, key);
        return row;
    }

    /// <summary>A row holding only the key columns (and window bounds), for a table's deleted row.</summary>
    public object?[] KeyOnlyRow(GenericKey key, Window? window, long timestamp)
    {
        var row = new object?[Width];
        row[RowTimeIndex] = timestamp;
        if (WindowStartIndex >= 0 && window is { } w)
        {
            row[WindowStartIndex] = w.Start;
            row[WindowStartIndex + 1] = w.End;
        }

        FillKey(row, key);
        return row;
    }

    private void FillKey(object?[] row, GenericKey key)
    {
        for (var j = 0; j < KeyCount && j < key.Count; j++)
        {
            row[KeyStart + j] = key[j];
        }
    }

    private static object? Header(IReadOnlyList<RecordHeader> headers, string? headerKey)
    {
        if (headerKey is null)
        {
            var type = (SqlStructType)((SqlArrayType)SystemColumns.HeadersType).ElementType;
            var list = new List<object?>(headers.Count);
            foreach (var h in headers)
            {
                list.Add(new SqlStruct(type, [h.Key, h.Value is null ? null : h.Value.Value.ToArray()]));
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
