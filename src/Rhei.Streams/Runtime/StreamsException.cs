namespace Rhei.Streams.Runtime;

/// <summary>A failure that stops a task (a handler answered Fail, or output could not be produced).</summary>
public class StreamsException : Exception
{
    public StreamsException(string message)
        : base(message)
    {
    }

    public StreamsException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
