namespace Rhei.Formats.Serde;

/// <summary>
/// A record's bytes could not be read, or a row could not be written, in the source's format. The message says
/// what and where, ksqlDB-style (<c>Failed to deserialize value from topic: bids. Can't convert type. sourceType:
/// TextNode, requiredType: INTEGER, path: $.PRICE</c>); the streams runtime sends it to the processing log.
/// </summary>
public sealed class SerdeException : Exception
{
    public SerdeException(string message)
        : base(message)
    {
    }

    public SerdeException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The reason without the "Failed to ... from topic" prefix.</summary>
    public string Reason { get; init; } = "";

    public static SerdeException Deserialize(SerdeOptions options, string reason, Exception? inner = null) =>
        new($"Failed to deserialize {options.TargetName} from topic: {options.Topic}. {reason}", inner) { Reason = reason };

    public static SerdeException Serialize(SerdeOptions options, string reason, Exception? inner = null) =>
        new($"Failed to serialize {options.TargetName} for topic: {options.Topic}. {reason}", inner) { Reason = reason };
}
