using System.Text;

namespace Rhei.Connect.Runtime;

/// <summary>A short, readable summary of an exception: its messages down the inner chain and the top frames of the first.</summary>
public static class ErrorTrace
{
    public static string Message(Exception e)
    {
        var sb = new StringBuilder(e.Message);
        var inner = e.InnerException;
        while (inner is not null)
        {
            if (!e.Message.Contains(inner.Message, StringComparison.Ordinal))
            {
                sb.Append(": ").Append(inner.Message);
            }

            inner = inner.InnerException;
        }

        return sb.ToString();
    }

    public static string Summarize(Exception e, int frames = 8)
    {
        var sb = new StringBuilder();
        var current = e;
        var depth = 0;
        while (current is not null && depth < 5)
        {
            sb.Append(depth == 0 ? "" : "Caused by: ").Append(current.GetType().FullName).Append(": ").Append(current.Message).Append('\n');
            if (depth == 0 && current.StackTrace is { } stack)
            {
                foreach (var line in stack.Split('\n').Take(frames))
                {
                    sb.Append('\t').Append(line.Trim()).Append('\n');
                }
            }

            current = current.InnerException;
            depth++;
        }

        return sb.ToString().TrimEnd();
    }
}
