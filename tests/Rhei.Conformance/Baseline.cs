using System.Text.Json;
using System.Text.Json.Nodes;

namespace Rhei.Conformance;

/// <summary>
/// The ratchet: <c>baseline.json</c> holds the total of passing cases and the count per file. A run below the total
/// (or below a file's count) fails; <c>--update-baseline</c> raises the numbers that went up and never lowers any.
/// </summary>
internal static class Baseline
{
    public static int Check(string path, int passed, IReadOnlyDictionary<string, int> perFile, bool update, bool filtered)
    {
        var total = 0;
        var files = new Dictionary<string, int>(StringComparer.Ordinal);
        if (File.Exists(path))
        {
            var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            total = root["passed"]?.GetValue<int>() ?? 0;
            if (root["files"] is JsonObject f)
            {
                foreach (var (k, v) in f)
                {
                    files[k] = v!.GetValue<int>();
                }
            }
        }

        var exit = 0;
        if (!filtered && passed < total)
        {
            Console.WriteLine($"baseline: {passed} passed, below the baseline of {total}");
            exit = 1;
        }

        foreach (var (file, count) in perFile)
        {
            if (files.TryGetValue(file, out var was) && count < was)
            {
                Console.WriteLine($"baseline: {file}: {count} passed, below the baseline of {was}");
                exit = 1;
            }
        }

        if (update)
        {
            if (!filtered)
            {
                total = Math.Max(total, passed);
            }

            foreach (var (file, count) in perFile)
            {
                files[file] = Math.Max(files.GetValueOrDefault(file), count);
            }

            var node = new JsonObject
            {
                ["passed"] = total,
                ["files"] = new JsonObject(files.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
            };
            File.WriteAllText(path, node.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
            Console.WriteLine($"baseline: updated {path} (total {total})");
        }

        return exit;
    }
}
