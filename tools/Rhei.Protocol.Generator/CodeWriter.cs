using System.Text;

namespace Rhei.Protocol.Generator;

/// <summary>Builds C# source with indentation and LF line endings.</summary>
internal sealed class CodeWriter
{
    private readonly StringBuilder _text = new();
    private int _indent;
    private int _counter;

    public void Line(string line = "")
    {
        if (line.Length > 0)
        {
            _text.Append(' ', _indent * 4).Append(line);
        }
        _text.Append('\n');
    }

    public void Open(string line)
    {
        Line(line);
        Line("{");
        _indent++;
    }

    public void Open()
    {
        Line("{");
        _indent++;
    }

    public void Close(string suffix = "")
    {
        _indent--;
        Line("}" + suffix);
    }

    /// <summary>A fresh local-variable suffix, unique within this writer.</summary>
    public int Next() => _counter++;

    public void ResetCounter() => _counter = 0;

    public override string ToString() => _text.ToString();
}
