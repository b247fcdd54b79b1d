namespace Rhei.Storage;

/// <summary>Errors the storage layer reports, valued as Kafka's error codes (the broker puts them on the wire as is).</summary>
public enum StorageError : short
{
    None = 0,
    UnknownServerError = -1,
    OffsetOutOfRange = 1,
    CorruptMessage = 2,
    UnknownTopicOrPartition = 3,
    MessageTooLarge = 10,
    OffsetMetadataTooLarge = 12,
    InvalidTopicException = 17,
    RecordListTooLarge = 18,
    InvalidTimestamp = 32,
    TopicAlreadyExists = 36,
    InvalidPartitions = 37,
    InvalidConfig = 40,
    InvalidRequest = 42,
    OutOfOrderSequenceNumber = 45,
    DuplicateSequenceNumber = 46,
    InvalidProducerEpoch = 47,
    KafkaStorageError = 56,
    UnknownProducerId = 59,
    GroupIdNotFound = 69,
    InvalidRecord = 87,
}

public static class StorageErrors
{
    /// <summary>Kafka's name for the error (OFFSET_OUT_OF_RANGE, ...).</summary>
    public static string Name(this StorageError error) => error switch
    {
        StorageError.None => "NONE",
        StorageError.UnknownServerError => "UNKNOWN_SERVER_ERROR",
        StorageError.OffsetOutOfRange => "OFFSET_OUT_OF_RANGE",
        StorageError.CorruptMessage => "CORRUPT_MESSAGE",
        StorageError.UnknownTopicOrPartition => "UNKNOWN_TOPIC_OR_PARTITION",
        StorageError.MessageTooLarge => "MESSAGE_TOO_LARGE",
        StorageError.OffsetMetadataTooLarge => "OFFSET_METADATA_TOO_LARGE",
        StorageError.InvalidTopicException => "INVALID_TOPIC_EXCEPTION",
        StorageError.RecordListTooLarge => "RECORD_LIST_TOO_LARGE",
        StorageError.InvalidTimestamp => "INVALID_TIMESTAMP",
        StorageError.TopicAlreadyExists => "TOPIC_ALREADY_EXISTS",
        StorageError.InvalidPartitions => "INVALID_PARTITIONS",
        StorageError.InvalidConfig => "INVALID_CONFIG",
        StorageError.InvalidRequest => "INVALID_REQUEST",
        StorageError.OutOfOrderSequenceNumber => "OUT_OF_ORDER_SEQUENCE_NUMBER",
        StorageError.DuplicateSequenceNumber => "DUPLICATE_SEQUENCE_NUMBER",
        StorageError.InvalidProducerEpoch => "INVALID_PRODUCER_EPOCH",
        StorageError.KafkaStorageError => "KAFKA_STORAGE_ERROR",
        StorageError.UnknownProducerId => "UNKNOWN_PRODUCER_ID",
        StorageError.GroupIdNotFound => "GROUP_ID_NOT_FOUND",
        StorageError.InvalidRecord => "INVALID_RECORD",
        _ => error.ToString(),
    };
}

/// <summary>An admin-style failure (topic management, offsets) carrying Kafka's error code.</summary>
public sealed class StorageException : Exception
{
    public StorageException(StorageError error, string message)
        : base(message)
    {
        Error = error;
    }

    public StorageException(StorageError error, string message, Exception inner)
        : base(message, inner)
    {
        Error = error;
    }

    public StorageError Error { get; }

    /// <summary>Kafka's name of <see cref="Error"/>.</summary>
    public string ErrorName => Error.Name();
}
