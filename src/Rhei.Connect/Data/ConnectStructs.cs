using System.Collections;
using Rhei.Formats.Types;

namespace Rhei.Connect.Data;

/// <summary>Reading fields of structured values, whether they carry a schema (<see cref="SqlStruct"/>) or not (a map).</summary>
public static class ConnectStructs
{
    /// <summary>The named fields of a value: a struct's fields in order, or a map's entries; null when it has none.</summary>
    public static IReadOnlyList<(string Name, SqlType? Type, object? Value)>? Fields(SqlType? schema, object? value)
    {
        switch (value)
        {
            case SqlStruct s:
                var list = new List<(string, SqlType?, object?)>(s.Type.Fields.Length);
                for (var i = 0; i < s.Type.Fields.Length; i++)
                {
                    list.Add((s.Type.Fields[i].Name, s.Type.Fields[i].Type, s[i]));
                }

                return list;
            case IDictionary<string, object?> map:
                return map.Select(kv => (kv.Key, (SqlType?)null, kv.Value)).ToList();
            case IDictionary map:
                var entries = new List<(string, SqlType?, object?)>();
                foreach (DictionaryEntry e in map)
                {
                    entries.Add((Convert.ToString(e.Key, System.Globalization.CultureInfo.InvariantCulture) ?? "", null, e.Value));
                }

                return entries;
            default:
                _ = schema;
                return null;
        }
    }

    /// <summary>The value of one field (exact name first, then case-insensitive), or false when absent.</summary>
    public static bool TryGetField(object? value, string name, out SqlType? type, out object? fieldValue)
    {
        switch (value)
        {
            case SqlStruct s:
                var i = s.Type.IndexOf(name);
                if (i < 0)
                {
                    for (var j = 0; j < s.Type.Fields.Length; j++)
                    {
                        if (string.Equals(s.Type.Fields[j].Name, name, StringComparison.OrdinalIgnoreCase))
                        {
                            i = j;
                            break;
                        }
                    }
                }

                if (i >= 0)
                {
                    type = s.Type.Fields[i].Type;
                    fieldValue = s[i];
                    return true;
                }

                break;
            case IDictionary<string, object?> map:
                if (map.TryGetValue(name, out fieldValue))
                {
                    type = null;
                    return true;
                }

                foreach (var (k, v) in map)
                {
                    if (string.Equals(k, name, StringComparison.OrdinalIgnoreCase))
                    {
                        type = null;
                        fieldValue = v;
                        return true;
                    }
                }

                break;
        }

        type = null;
        fieldValue = null;
        return false;
    }

    /// <summary>Builds a struct value from named, typed fields.</summary>
    public static SqlStruct Build(IReadOnlyList<(string Name, SqlType Type, object? Value)> fields)
    {
        var type = new SqlStructType([.. fields.Select(f => new SqlField(f.Name, f.Type))]);
        return new SqlStruct(type, [.. fields.Select(f => f.Value)]);
    }
}
