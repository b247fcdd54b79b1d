using System.Text;

namespace Rhei.Cli.Sql;

/// <summary>What the user did with a line: typed it (Enter), interrupted it (Ctrl+C), or ended the input (Ctrl+D, EOF).</summary>
internal enum LineOutcome
{
    Entered,
    Interrupted,
    EndOfInput,
}

/// <summary>
/// Reads a line from the terminal with editing: cursor keys, Home/End, Backspace/Delete, Ctrl+A/E/B/F/U/K/W/L, and
/// Up/Down through the history. Lines longer than the terminal wrap and are redrawn with relative cursor moves. When
/// standard input is not a terminal it reads plain lines.
/// </summary>
internal sealed class LineEditor(CommandHistory history, TextWriter screen, bool interactive)
{
    /// <summary>Where keys come from (the console; tests give their own).</summary>
    private readonly Func<ConsoleKeyInfo> _readKey = () => Console.ReadKey(intercept: true);

    /// <summary>The terminal's width, read on each redraw.</summary>
    private readonly Func<int> _width = ConsoleWidth;

    /// <summary>An editor reading keys from <paramref name="readKey"/> on a terminal <paramref name="width"/> columns wide.</summary>
    internal LineEditor(CommandHistory history, TextWriter screen, Func<ConsoleKeyInfo> readKey, int width)
        : this(history, screen, interactive: true)
    {
        _readKey = readKey;
        _width = () => width;
    }

    private readonly StringBuilder _line = new();
    private string _prompt = "";
    private int _cursor;
    private int _cursorRow;

    /// <summary>Reads one line after showing <paramref name="prompt"/>. Blocking: call it off the thread pool's hot path.</summary>
    public (LineOutcome Outcome, string Text) ReadLine(string prompt)
    {
        if (!interactive)
        {
            screen.Write(prompt);
            screen.Flush();
            var line = Console.In.ReadLine();
            if (line is null)
            {
                screen.WriteLine();
                return (LineOutcome.EndOfInput, "");
            }

            return (LineOutcome.Entered, line);
        }

        var treatControlC = Console.TreatControlCAsInput;
        Console.TreatControlCAsInput = true;
        try
        {
            return Edit(prompt);
        }
        finally
        {
            Console.TreatControlCAsInput = treatControlC;
        }
    }

    /// <summary>Edits one line with keys from the key source (no console mode changes).</summary>
    internal (LineOutcome Outcome, string Text) Edit(string prompt)
    {
        _prompt = prompt;
        _line.Clear();
        _cursor = 0;
        _cursorRow = 0;
        var historyIndex = history.Entries.Count;
        string? draft = null;
        screen.Write(prompt);
        screen.Flush();
        while (true)
        {
            var key = _readKey();
            var control = (key.Modifiers & ConsoleModifiers.Control) != 0;
            switch (key.Key)
            {
                case ConsoleKey.Enter:
                    _cursor = _line.Length;
                    Render();
                    screen.WriteLine();
                    return (LineOutcome.Entered, _line.ToString());
                case ConsoleKey.C when control:
                    _cursor = _line.Length;
                    Render();
                    screen.WriteLine("^C");
                    return (LineOutcome.Interrupted, "");
                case ConsoleKey.D when control:
                    if (_line.Length == 0)
                    {
                        screen.WriteLine();
                        return (LineOutcome.EndOfInput, "");
                    }

                    Delete();
                    break;
                case ConsoleKey.Backspace:
                case ConsoleKey.H when control:
                    if (_cursor > 0)
                    {
                        _line.Remove(--_cursor, 1);
                        Render();
                    }

                    break;
                case ConsoleKey.Delete:
                    Delete();
                    break;
                case ConsoleKey.LeftArrow when control:
                    Move(WordStart());
                    break;
                case ConsoleKey.RightArrow when control:
                    Move(WordEnd());
                    break;
                case ConsoleKey.LeftArrow:
                case ConsoleKey.B when control:
                    Move(_cursor - 1);
                    break;
                case ConsoleKey.RightArrow:
                case ConsoleKey.F when control:
                    Move(_cursor + 1);
                    break;
                case ConsoleKey.Home:
                case ConsoleKey.A when control:
                    Move(0);
                    break;
                case ConsoleKey.End:
                case ConsoleKey.E when control:
                    Move(_line.Length);
                    break;
                case ConsoleKey.U when control:
                    _line.Remove(0, _cursor);
                    _cursor = 0;
                    Render();
                    break;
                case ConsoleKey.K when control:
                    _line.Remove(_cursor, _line.Length - _cursor);
                    Render();
                    break;
                case ConsoleKey.W when control:
                    {
                        var start = WordStart();
                        _line.Remove(start, _cursor - start);
                        _cursor = start;
                        Render();
                        break;
                    }

                case ConsoleKey.L when control:
                    screen.Write("\u001b[2J\u001b[H");
                    _cursorRow = 0;
                    Render();
                    break;
                case ConsoleKey.UpArrow:
                case ConsoleKey.P when control:
                    if (historyIndex > 0)
                    {
                        draft ??= _line.ToString();
                        Replace(history.Entries[--historyIndex]);
                    }

                    break;
                case ConsoleKey.DownArrow:
                case ConsoleKey.N when control:
                    if (historyIndex < history.Entries.Count)
                    {
                        historyIndex++;
                        Replace(historyIndex == history.Entries.Count ? draft ?? "" : history.Entries[historyIndex]);
                        if (historyIndex == history.Entries.Count)
                        {
                            draft = null;
                        }
                    }

                    break;
                case ConsoleKey.Tab:
                    Insert("  ");
                    break;
                default:
                    if (key.KeyChar >= ' ' && !control)
                    {
                        Insert(key.KeyChar.ToString());
                    }

                    break;
            }

            screen.Flush();
        }
    }

    private void Insert(string text)
    {
        var appending = _cursor == _line.Length;
        _line.Insert(_cursor, text);
        _cursor += text.Length;
        if (!appending)
        {
            Render();
            return;
        }

        // Typing at the end: just echo (wrapping onto a new row when the line reaches the terminal's edge).
        screen.Write(text);
        var width = Width();
        var end = _prompt.Length + _line.Length;
        if (end % width == 0)
        {
            screen.Write(" \b");
        }

        _cursorRow = end / width;
    }

    private void Delete()
    {
        if (_cursor < _line.Length)
        {
            _line.Remove(_cursor, 1);
            Render();
        }
    }

    private void Move(int position)
    {
        _cursor = Math.Clamp(position, 0, _line.Length);
        Render();
    }

    private void Replace(string text)
    {
        _line.Clear().Append(text.Replace("\r", "", StringComparison.Ordinal).Replace('\n', ' '));
        _cursor = _line.Length;
        Render();
    }

    private int WordStart()
    {
        var i = _cursor;
        while (i > 0 && char.IsWhiteSpace(_line[i - 1]))
        {
            i--;
        }

        while (i > 0 && !char.IsWhiteSpace(_line[i - 1]))
        {
            i--;
        }

        return i;
    }

    private int WordEnd()
    {
        var i = _cursor;
        while (i < _line.Length && char.IsWhiteSpace(_line[i]))
        {
            i++;
        }

        while (i < _line.Length && !char.IsWhiteSpace(_line[i]))
        {
            i++;
        }

        return i;
    }

    /// <summary>Redraws prompt and line from the row where they start, then puts the cursor where it belongs.</summary>
    private void Render()
    {
        var width = Width();
        var output = new StringBuilder();
        if (_cursorRow > 0)
        {
            output.Append("\u001b[").Append(_cursorRow).Append('A');
        }

        output.Append('\r').Append(_prompt).Append(_line);
        var end = _prompt.Length + _line.Length;
        if (end > 0 && end % width == 0)
        {
            output.Append(" \b");
        }

        output.Append("\u001b[J");
        var target = _prompt.Length + _cursor;
        var up = end / width - target / width;
        if (up > 0)
        {
            output.Append("\u001b[").Append(up).Append('A');
        }

        output.Append('\r');
        if (target % width > 0)
        {
            output.Append("\u001b[").Append(target % width).Append('C');
        }

        _cursorRow = target / width;
        screen.Write(output.ToString());
    }

    private int Width() => _width();

    private static int ConsoleWidth()
    {
        try
        {
            return Math.Max(20, Console.WindowWidth);
        }
        catch (IOException)
        {
            return 80;
        }
    }
}
