using Rhei.Client;

namespace Rhei.Streams.Runtime;

/// <summary>
/// A task's checkpoint file (<c>.checkpoint</c> in the task directory): for each changelog partition of a
/// persistent store, the offset up to which the local store is known to contain the changelog. Text, as
/// Kafka Streams writes it: a version line (0), a count line, then "topic partition offset" lines.
/// </summary>
internal static class Checkpoint
{
    public const string FileName = ".checkpoint";

    public static Dictionary<TopicPartition, long> Read(string directory)
    {
        var result = new Dictionary<TopicPartition, long>();
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path)) { return result; }
        var lines = File.ReadAllLines(path);
        if (lines.Length < 2 || lines[0].Trim() != "0") { return result; }
        foreach (var line in lines.Skip(2))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 3 && int.TryParse(parts[1], out var p) && long.TryParse(parts[2], out var o))
            {
                result[new TopicPartition(parts[0], p)] = o;
            }
        }

        return result;
    }

    public static void Write(string directory, IReadOnlyDictionary<TopicPartition, long> offsets)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        var tmp = path + ".tmp";
        var lines = new List<string> { "0", offsets.Count.ToString() };
        foreach (var (tp, offset) in offsets.OrderBy(o => o.Key.Topic, StringComparer.Ordinal).ThenBy(o => o.Key.Partition))
        {
            lines.Add($"{tp.Topic} {tp.Partition} {offset}");
        }

        File.WriteAllLines(tmp, lines);
        File.Move(tmp, path, overwrite: true);
    }

    public static void Delete(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (File.Exists(path)) { File.Delete(path); }
    }
}
