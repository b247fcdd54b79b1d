using System.Text;

namespace Rhei.Cli.Sql;

/// <summary>
/// The statements and commands entered in the shell, oldest first, kept in a file between sessions (one entry a line;
/// line breaks inside an entry are written as <c>\n</c>, backslashes as <c>\\</c>).
/// </summary>
internal sealed class CommandHistory
{
    public const int MaxEntries = 1000;

    private readonly List<string> _entries = [];
    private readonly string? _path;

    public CommandHistory(string? path)
    {
        _path = path;
        if (path is null || !File.Exists(path))
        {
            return;
        }

        try
        {
            foreach (var line in File.ReadLines(path))
            {
                if (line.Length > 0)
                {
                    _entries.Add(Unescape(line));
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A history that cannot be read is no reason not to start.
        }

        if (_entries.Count > MaxEntries)
        {
            _entries.RemoveRange(0, _entries.Count - MaxEntries);
        }
    }

    public IReadOnlyList<string> Entries => _entries;

    /// <summary>Adds an entry (not a repeat of the last one) and appends it to the file.</summary>
    public void Add(string entry)
    {
        entry = entry.Trim();
        if (entry.Length == 0 || (_entries.Count > 0 && _entries[^1] == entry))
        {
            return;
        }

        _entries.Add(entry);
        if (_entries.Count > MaxEntries)
        {
            _entries.RemoveAt(0);
        }

        if (_path is null)
        {
            return;
        }

        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(_path))!);
            File.AppendAllText(_path, Escape(entry) + "\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // History is a convenience; the shell goes on without it.
        }
    }

    private static string Escape(string entry) =>
        entry.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\r", "", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string Unescape(string line)
    {
        var text = new StringBuilder(line.Length);
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '\\' && i + 1 < line.Length)
            {
                text.Append(line[++i] == 'n' ? '\n' : line[i]);
            }
            else
            {
                text.Append(line[i]);
            }
        }

        return text.ToString();
    }
}
