using System.Text.Json;

namespace Rhei.Conformance;

/// <summary>Compares JSON trees as ksqlDB's test executor does: objects by member, numbers by value.</summary>
internal static class JsonComparer
{
    /// <summary>True when both are objects whose member names are the same, ignoring case.</summary>
    public static bool SameMemberNames(JsonElement a, JsonElement b)
    {
        if (a.ValueKind != JsonValueKind.Object || b.ValueKind != JsonValueKind.Object)
        {
            return a.ValueKind != JsonValueKind.Object && b.ValueKind != JsonValueKind.Object;
        }

        var left = a.EnumerateObject().Select(p => p.Name.ToUpperInvariant()).Order(StringComparer.Ordinal).ToList();
        var right = b.EnumerateObject().Select(p => p.Name.ToUpperInvariant()).Order(StringComparer.Ordinal).ToList();
        return left.SequenceEqual(right);
    }

    public static bool Equal(JsonElement a, JsonElement b)
    {
        if (a.ValueKind == JsonValueKind.Number && b.ValueKind == JsonValueKind.Number)
        {
            if (a.TryGetDecimal(out var x) && b.TryGetDecimal(out var y) && x == y)
            {
                return true;
            }

            return a.GetDouble().Equals(b.GetDouble());
        }

        if (a.ValueKind != b.ValueKind)
        {
            return (a.ValueKind is JsonValueKind.True or JsonValueKind.False) && a.ValueKind == b.ValueKind;
        }

        switch (a.ValueKind)
        {
            case JsonValueKind.Object:
                {
                    var left = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
                    foreach (var p in a.EnumerateObject())
                    {
                        left[p.Name] = p.Value;
                    }

                    var count = 0;
                    foreach (var p in b.EnumerateObject())
                    {
                        count++;
                        if (!left.TryGetValue(p.Name, out var v) || !Equal(v, p.Value))
                        {
                            return false;
                        }
                    }

                    return count == left.Count;
                }

            case JsonValueKind.Array:
                {
                    if (a.GetArrayLength() != b.GetArrayLength())
                    {
                        return false;
                    }

                    using var ea = a.EnumerateArray();
                    using var eb = b.EnumerateArray();
                    while (ea.MoveNext() && eb.MoveNext())
                    {
                        if (!Equal(ea.Current, eb.Current))
                        {
                            return false;
                        }
                    }

                    return true;
                }

            case JsonValueKind.String:
                return a.GetString() == b.GetString();
            default:
                return true;
        }
    }
}
