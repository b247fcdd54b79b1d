using Rhei.Connect.Data;
using Rhei.Formats.Types;

namespace Rhei.Connect.Jdbc;

/// <summary>A record laid out as table columns: the primary key columns, then the other columns (name, type, value).</summary>
internal sealed record SinkRow(IReadOnlyList<(string Name, SqlType? Type, object? Value)> Keys, IReadOnlyList<(string Name, SqlType? Type, object? Value)> Values, bool IsDelete)
{
    /// <summary>Lays out a record by <c>pk.mode</c>, <c>pk.fields</c> and <c>fields.include.list</c>; null when the record is skipped (a tombstone without delete.enabled).</summary>
    public static SinkRow? From(SinkRecord record, string pkMode, IReadOnlyList<string> pkFields, IReadOnlyList<string> include, bool deleteEnabled)
    {
        var keys = new List<(string, SqlType?, object?)>();
        switch (pkMode)
        {
            case "kafka":
                var names = pkFields.Count == 3 ? pkFields : ["__connect_topic", "__connect_partition", "__connect_offset"];
                keys.Add((names[0], SqlTypes.String, record.Topic));
                keys.Add((names[1], SqlTypes.Integer, record.Partition));
                keys.Add((names[2], SqlTypes.BigInt, record.Offset));
                break;
            case "record_key":
                if (record.Key is null)
                {
                    throw new ConnectDataException($"pk.mode=record_key needs a record key, but the record at {record.Topic}-{record.Partition}@{record.Offset} has none.");
                }

                if (ConnectStructs.Fields(record.KeySchema, record.Key) is { } keyFields)
                {
                    foreach (var f in keyFields)
                    {
                        if (pkFields.Count == 0 || pkFields.Contains(f.Name, StringComparer.OrdinalIgnoreCase))
                        {
                            keys.Add(f);
                        }
                    }

                    if (keys.Count == 0)
                    {
                        throw new ConnectDataException($"None of pk.fields [{string.Join(", ", pkFields)}] is in the key of topic {record.Topic} (its fields: {string.Join(", ", keyFields.Select(f => f.Name))}).");
                    }
                }
                else
                {
                    if (pkFields.Count != 1)
                    {
                        throw new ConnectDataException(
                            $"The key of topic {record.Topic} is a primitive ({record.KeySchema?.ToString() ?? record.Key.GetType().Name}): pk.fields must name its column (one name, e.g. 'pk.fields'='id').");
                    }

                    keys.Add((pkFields[0], record.KeySchema, record.Key));
                }

                break;
        }

        if (record.Value is null)
        {
            return deleteEnabled && keys.Count > 0 ? new SinkRow(keys, [], IsDelete: true) : null;
        }

        var valueFields = ConnectStructs.Fields(record.ValueSchema, record.Value)
            ?? throw new ConnectDataException(
                $"The JDBC sink writes records whose value is a struct or a JSON object; the value at {record.Topic}-{record.Partition}@{record.Offset} is a {record.ValueSchema?.ToString() ?? record.Value.GetType().Name}.");
        var values = new List<(string, SqlType?, object?)>();
        if (pkMode == "record_value")
        {
            foreach (var f in valueFields)
            {
                if (pkFields.Count == 0 || pkFields.Contains(f.Name, StringComparer.OrdinalIgnoreCase))
                {
                    keys.Add(f);
                }
            }

            var missing = pkFields.Where(p => !valueFields.Any(f => string.Equals(f.Name, p, StringComparison.OrdinalIgnoreCase))).ToList();
            if (missing.Count > 0)
            {
                throw new ConnectDataException($"pk.fields [{string.Join(", ", missing)}] are not in the value of topic {record.Topic} (its fields: {string.Join(", ", valueFields.Select(f => f.Name))}).");
            }
        }

        foreach (var f in valueFields)
        {
            if (keys.Any(k => string.Equals(k.Item1, f.Name, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            if (include.Count == 0 || include.Contains(f.Name, StringComparer.OrdinalIgnoreCase))
            {
                values.Add(f);
            }
        }

        return new SinkRow(keys, values, IsDelete: false);
    }
}
