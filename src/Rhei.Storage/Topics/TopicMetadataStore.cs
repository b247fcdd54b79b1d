using System.Globalization;
using System.Text;
using Rhei.Storage.Segments;

namespace Rhei.Storage.Topics;

/// <summary>
/// Persists topic metadata as one small properties file per topic,
/// <c>&lt;first log dir&gt;/__topics/&lt;topic&gt;.properties</c>: <c>topic.id</c>, <c>partitions</c>, and each
/// config override as <c>config.&lt;name&gt;=&lt;value&gt;</c>. Written atomically; read from every log dir at start.
/// </summary>
internal static class TopicMetadataStore
{
    public const string FolderName = "__topics";
    private const string Suffix = ".properties";

    public sealed record Entry(string Name, Guid TopicId, int Partitions, Dictionary<string, string> Overrides);

    public static void Save(string logDir, Entry entry)
    {
        var folder = Path.Combine(logDir, FolderName);
        Directory.CreateDirectory(folder);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"topic.id={entry.TopicId}\n");
        text.Append(CultureInfo.InvariantCulture, $"partitions={entry.Partitions}\n");
        foreach (var (name, value) in entry.Overrides.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"config.{name}={Escape(value)}\n");
        }

        SegmentFiles.WriteAtomically(Path.Combine(folder, entry.Name + Suffix), Encoding.UTF8.GetBytes(text.ToString()));
    }

    public static void Delete(IEnumerable<string> logDirs, string name)
    {
        foreach (var dir in logDirs)
        {
            File.Delete(Path.Combine(dir, FolderName, name + Suffix));
        }
    }

    public static List<Entry> LoadAll(IEnumerable<string> logDirs)
    {
        var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        foreach (var dir in logDirs)
        {
            var folder = Path.Combine(dir, FolderName);
            if (!Directory.Exists(folder))
            {
                continue;
            }

            foreach (var path in Directory.EnumerateFiles(folder, "*" + Suffix))
            {
                var name = Path.GetFileName(path)[..^Suffix.Length];
                if (entries.ContainsKey(name) || TopicNames.Validate(name) is not null)
                {
                    continue;
                }

                Guid id = Guid.Empty;
                var partitions = 0;
                var overrides = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var line in File.ReadAllLines(path))
                {
                    var eq = line.IndexOf('=', StringComparison.Ordinal);
                    if (eq <= 0 || line.StartsWith('#'))
                    {
                        continue;
                    }

                    var key = line[..eq];
                    var value = line[(eq + 1)..];
                    if (key == "topic.id")
                    {
                        _ = Guid.TryParse(value, out id);
                    }
                    else if (key == "partitions")
                    {
                        _ = int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out partitions);
                    }
                    else if (key.StartsWith("config.", StringComparison.Ordinal))
                    {
                        overrides[key["config.".Length..]] = Unescape(value);
                    }
                }

                if (partitions > 0)
                {
                    entries[name] = new Entry(name, id == Guid.Empty ? Guid.NewGuid() : id, partitions, overrides);
                }
            }
        }

        return [.. entries.Values];
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string Unescape(string value) => value.Replace("\\n", "\n", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
}
