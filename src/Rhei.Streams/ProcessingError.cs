namespace Rhei.Streams;

/// <summary>The kinds of processing-log message (ksqlDB's numbering).</summary>
public enum ProcessingErrorType
{
    DeserializationError = 0,
    RecordProcessingError = 1,
    ProductionError = 2,
    SerializationError = 3,
}

/// <summary>A record that could not be deserialized, processed, serialized or produced, and where it came from.</summary>
public sealed record ProcessingError
{
    public required ProcessingErrorType Type { get; init; }

    public required Exception Exception { get; init; }

    /// <summary>The task that met the record.</summary>
    public TaskId TaskId { get; init; }

    /// <summary>The processor in which it failed, when known.</summary>
    public string? ProcessorName { get; init; }

    /// <summary>"key" or "value" for (de)serialization errors.</summary>
    public string? Target { get; init; }

    /// <summary>The source topic of the record (for serialization errors: the topic it was to be written to).</summary>
    public string? Topic { get; init; }

    public int Partition { get; init; } = -1;

    public long Offset { get; init; } = -1;

    public long Timestamp { get; init; } = -1;

    /// <summary>The raw key and value when the record had not been deserialized.</summary>
    public byte[]? RawKey { get; init; }

    public byte[]? RawValue { get; init; }

    /// <summary>A printable form of the record being processed, when available.</summary>
    public string? Record { get; init; }

    public string Message => Type switch
    {
        ProcessingErrorType.DeserializationError => $"Failed to deserialize {Target ?? "record"} from topic: {Topic}. {Exception.Message}",
        ProcessingErrorType.SerializationError => $"Error serializing message to topic: {Topic}. {Exception.Message}",
        ProcessingErrorType.ProductionError => $"Error producing to topic: {Topic}. {Exception.Message}",
        _ => $"Error processing record from {Topic}-{Partition} at offset {Offset} in {ProcessorName ?? "task " + TaskId}: {Exception.Message}",
    };
}
