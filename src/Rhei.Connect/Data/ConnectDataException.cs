namespace Rhei.Connect.Data;

/// <summary>A record's key or value could not be converted, transformed or written (Kafka Connect's DataException).</summary>
public sealed class ConnectDataException : Exception
{
    public ConnectDataException(string message)
        : base(message)
    {
    }

    public ConnectDataException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
