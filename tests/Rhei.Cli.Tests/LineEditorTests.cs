using Rhei.Cli.Sql;

namespace Rhei.Cli.Tests;

/// <summary>The line editor fed with keys: editing, history navigation, Ctrl+C and Ctrl+D.</summary>
public sealed class LineEditorTests
{
    private static ConsoleKeyInfo Char(char c) => new(c, c is >= 'a' and <= 'z' ? (ConsoleKey)(c - 'a' + 'A') : 0, false, false, false);

    private static ConsoleKeyInfo Key(ConsoleKey key, bool control = false) => new('\0', key, false, false, control);

    private static IEnumerable<ConsoleKeyInfo> Text(string text) => text.Select(Char);

    private static (LineOutcome Outcome, string Text) Edit(CommandHistory history, IEnumerable<ConsoleKeyInfo> keys, int width = 80)
    {
        using var keyQueue = keys.GetEnumerator();
        using var screen = new StringWriter();
        var editor = new LineEditor(history, screen, () => keyQueue.MoveNext() ? keyQueue.Current : throw new InvalidOperationException("out of keys"), width);
        return editor.Edit("ksql> ");
    }

    [Fact]
    public void Typed_text_is_returned_on_enter() =>
        Assert.Equal((LineOutcome.Entered, "show streams;"), Edit(new CommandHistory(null), [.. Text("show streams;"), Key(ConsoleKey.Enter)]));

    [Fact]
    public void Cursor_moves_and_edits_in_the_middle()
    {
        // Type, fix a typo, insert at the start, delete forward, append, then cut the last two characters.
        var keys = new List<ConsoleKeyInfo>();
        keys.AddRange(Text("SHOW TABLXX"));
        keys.Add(Key(ConsoleKey.Backspace));
        keys.Add(Key(ConsoleKey.Backspace));
        keys.AddRange(Text("ES"));
        keys.Add(Key(ConsoleKey.Home));
        keys.AddRange(Text("x"));
        keys.Add(Key(ConsoleKey.Delete));
        keys.Add(Key(ConsoleKey.End));
        keys.AddRange(Text(";"));
        keys.Add(Key(ConsoleKey.LeftArrow));
        keys.Add(Key(ConsoleKey.LeftArrow));
        keys.Add(Key(ConsoleKey.K, control: true));
        keys.Add(Key(ConsoleKey.Enter));
        Assert.Equal((LineOutcome.Entered, "xHOW TABLE"), Edit(new CommandHistory(null), keys, width: 12));
    }

    [Fact]
    public void Ctrl_u_and_ctrl_w_delete_backwards()
    {
        var keys = new List<ConsoleKeyInfo>();
        keys.AddRange(Text("drop stream"));
        keys.Add(Key(ConsoleKey.U, control: true));
        keys.AddRange(Text("list streams extra"));
        keys.Add(Key(ConsoleKey.W, control: true));
        keys.Add(Key(ConsoleKey.Enter));
        Assert.Equal((LineOutcome.Entered, "list streams "), Edit(new CommandHistory(null), keys));
    }

    [Fact]
    public void Up_and_down_walk_the_history_and_come_back_to_the_draft()
    {
        var history = new CommandHistory(null);
        history.Add("SHOW STREAMS;");
        history.Add("SHOW TABLES;");
        Assert.Equal("SHOW STREAMS;", Edit(history, [Key(ConsoleKey.UpArrow), Key(ConsoleKey.UpArrow), Key(ConsoleKey.Enter)]).Text);
        Assert.Equal("SHOW TABLES;", Edit(history, [Key(ConsoleKey.UpArrow), Key(ConsoleKey.UpArrow), Key(ConsoleKey.DownArrow), Key(ConsoleKey.Enter)]).Text);
        Assert.Equal("dra", Edit(history, [.. Text("dra"), Key(ConsoleKey.UpArrow), Key(ConsoleKey.DownArrow), Key(ConsoleKey.Enter)]).Text);
    }

    [Fact]
    public void Ctrl_c_abandons_the_line_and_ctrl_d_on_an_empty_line_ends_input()
    {
        Assert.Equal(LineOutcome.Interrupted, Edit(new CommandHistory(null), [.. Text("select"), Key(ConsoleKey.C, control: true)]).Outcome);
        Assert.Equal(LineOutcome.EndOfInput, Edit(new CommandHistory(null), [Key(ConsoleKey.D, control: true)]).Outcome);
    }
}
