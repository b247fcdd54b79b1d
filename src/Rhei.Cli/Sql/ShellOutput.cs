using System.Text;
using Spectre.Console;

namespace Rhei.Cli.Sql;

/// <summary>
/// Where the shell writes: the terminal (or standard output), and the spool file while one is open. Tables are drawn
/// by Spectre.Console on a console built over the same writer, so spooled output matches the screen.
/// </summary>
internal sealed class ShellOutput : IDisposable
{
    private readonly TextWriter _screen;
    private readonly bool _isTerminal;
    private StreamWriter? _spool;
    private TeeWriter _writer;

    public ShellOutput(TextWriter screen, bool isTerminal)
    {
        _screen = screen;
        _isTerminal = isTerminal;
        _writer = new TeeWriter(screen, null);
        Console = CreateConsole();
    }

    /// <summary>Everything printed goes here (screen and spool).</summary>
    public TextWriter Writer => _writer;

    public IAnsiConsole Console { get; private set; }

    /// <summary>The file being spooled to, or null.</summary>
    public string? SpoolPath { get; private set; }

    public bool IsTerminal => _isTerminal;

    /// <summary>Starts copying output (and the statements typed, prefixed by <c>ksql&gt;</c>) to <paramref name="path"/>.</summary>
    public void StartSpool(string path)
    {
        StopSpool();
        _spool = new StreamWriter(path, append: true, new UTF8Encoding(false)) { AutoFlush = true };
        SpoolPath = Path.GetFullPath(path);
        _writer = new TeeWriter(_screen, _spool);
        Console = CreateConsole();
    }

    public void StopSpool()
    {
        _spool?.Dispose();
        _spool = null;
        SpoolPath = null;
        _writer = new TeeWriter(_screen, null);
        Console = CreateConsole();
    }

    /// <summary>Writes what the user typed into the spool only (the screen already shows it).</summary>
    public void SpoolInput(string text)
    {
        if (_spool is not null)
        {
            foreach (var line in text.Split('\n'))
            {
                _spool.WriteLine("ksql> " + line.TrimEnd('\r'));
            }
        }
    }

    public void Dispose() => _spool?.Dispose();

    private IAnsiConsole CreateConsole()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = _isTerminal && _spool is null ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = _isTerminal && _spool is null ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(_writer),
        });
        console.Profile.Width = _isTerminal ? Math.Max(80, TerminalWidth()) : 250;
        return console;
    }

    private static int TerminalWidth()
    {
        try
        {
            return System.Console.WindowWidth;
        }
        catch (IOException)
        {
            return 120;
        }
    }

    /// <summary>Writes to the screen and, when set, the spool file.</summary>
    private sealed class TeeWriter(TextWriter first, TextWriter? second) : TextWriter
    {
        public override Encoding Encoding => first.Encoding;

        public override void Write(char value)
        {
            first.Write(value);
            second?.Write(value);
        }

        public override void Write(string? value)
        {
            first.Write(value);
            second?.Write(value);
        }

        public override void Write(char[] buffer, int index, int count)
        {
            first.Write(buffer, index, count);
            second?.Write(buffer, index, count);
        }

        public override void WriteLine(string? value)
        {
            first.WriteLine(value);
            second?.WriteLine(value);
        }

        public override void Flush()
        {
            first.Flush();
            second?.Flush();
        }
    }
}
