namespace Rhei.Formats.Windowed;

/// <summary>ksqlDB's WINDOW_TYPE of a windowed source.</summary>
public enum WindowType
{
    Session,
    Tumbling,
    Hopping,
}

/// <summary>The bounds of a window in epoch milliseconds (WINDOWSTART, WINDOWEND).</summary>
public readonly record struct WindowBounds(long Start, long End);
