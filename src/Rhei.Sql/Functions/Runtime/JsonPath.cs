using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;

namespace Rhei.Sql.Functions.Runtime;

/// <summary>
/// The JSONPath subset EXTRACTJSONFIELD supports: <c>$</c> followed by <c>.name</c>, <c>['name']</c>,
/// <c>["name"]</c> and <c>[index]</c> steps. A negative or out-of-range index selects nothing.
/// </summary>
public sealed class JsonPath
{
    private static readonly ConcurrentDictionary<string, JsonPath> Cache = new(StringComparer.Ordinal);

    private readonly object[] _steps;

    private JsonPath(string text, object[] steps)
    {
        Text = text;
        _steps = steps;
    }

    public string Text { get; }

    /// <summary>The steps: a <see cref="string"/> per field name, an <see cref="int"/> per index.</summary>
    public IReadOnlyList<object> Steps => _steps;

    /// <summary>Parses (and caches) a path; throws <see cref="SqlFunctionException"/> when it is not valid.</summary>
    public static JsonPath Parse(string path)
    {
        if (Cache.TryGetValue(path, out var cached))
        {
            return cached;
        }

        var parsed = new JsonPath(path, Tokenize(path));
        if (Cache.Count > 10_000)
        {
            Cache.Clear();
        }

        Cache[path] = parsed;
        return parsed;
    }

    /// <summary>Follows the path from <paramref name="root"/>; false when a step selects nothing.</summary>
    public bool TryEvaluate(JsonElement root, out JsonElement result)
    {
        result = root;
        foreach (var step in _steps)
        {
            if (step is string name)
            {
                if (result.ValueKind != JsonValueKind.Object || !result.TryGetProperty(name, out var next))
                {
                    return false;
                }

                result = next;
            }
            else
            {
                var index = (int)step;
                if (result.ValueKind != JsonValueKind.Array || index < 0 || index >= result.GetArrayLength())
                {
                    return false;
                }

                result = result[index];
            }
        }

        return true;
    }

    private static object[] Tokenize(string path)
    {
        var p = path.Trim();
        if (!p.StartsWith('$'))
        {
            throw new SqlFunctionException($"Invalid JSON path '{path}': it must start with '$'.");
        }

        var steps = new List<object>();
        var i = 1;
        while (i < p.Length)
        {
            var c = p[i];
            if (c == '.')
            {
                var start = ++i;
                while (i < p.Length && p[i] != '.' && p[i] != '[')
                {
                    i++;
                }

                if (i == start)
                {
                    throw new SqlFunctionException($"Invalid JSON path '{path}': empty field name at position {start}.");
                }

                steps.Add(p[start..i]);
            }
            else if (c == '[')
            {
                i++;
                if (i < p.Length && (p[i] == '\'' || p[i] == '"'))
                {
                    var quote = p[i];
                    var end = p.IndexOf(quote, i + 1);
                    if (end < 0 || end + 1 >= p.Length || p[end + 1] != ']')
                    {
                        throw new SqlFunctionException($"Invalid JSON path '{path}': unterminated quoted name at position {i}.");
                    }

                    steps.Add(p[(i + 1)..end]);
                    i = end + 2;
                }
                else
                {
                    var end = p.IndexOf(']', i);
                    if (end < 0 || !int.TryParse(p.AsSpan(i, end - i).Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var index))
                    {
                        throw new SqlFunctionException($"Invalid JSON path '{path}': expected an index or a quoted name at position {i}.");
                    }

                    steps.Add(index);
                    i = end + 1;
                }
            }
            else
            {
                throw new SqlFunctionException($"Invalid JSON path '{path}': unexpected '{c}' at position {i}.");
            }
        }

        return [.. steps];
    }
}
