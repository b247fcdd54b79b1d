namespace Rhei.Client;

/// <summary>A record could not be produced; <see cref="ErrorName"/> is Kafka's (UNKNOWN_TOPIC_OR_PARTITION, MESSAGE_TOO_LARGE, ...).</summary>
public sealed class ProduceException : Exception
{
    public ProduceException(string errorName, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorName = errorName;
    }

    /// <summary>Kafka's error name.</summary>
    public string ErrorName { get; }
}

/// <summary>
/// A consumer operation failed: OFFSET_OUT_OF_RANGE (auto.offset.reset=error), ILLEGAL_GENERATION or
/// UNKNOWN_MEMBER_ID (a commit from a member that lost its place in the group), ...
/// </summary>
public sealed class ConsumerException : Exception
{
    public ConsumerException(string errorName, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorName = errorName;
    }

    /// <summary>Kafka's error name.</summary>
    public string ErrorName { get; }
}
