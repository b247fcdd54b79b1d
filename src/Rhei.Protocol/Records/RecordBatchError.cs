namespace Rhei.Protocol.Records;

/// <summary>What is wrong with the bytes of a record batch (see <see cref="RecordBatchHeader.Validate"/>).</summary>
public enum RecordBatchError
{
    None = 0,

    /// <summary>Fewer bytes than a batch header (61).</summary>
    HeaderTooShort,

    /// <summary>The batch length field is smaller than the header or negative.</summary>
    InvalidLength,

    /// <summary>The batch length field promises more bytes than there are.</summary>
    Truncated,

    /// <summary>The magic byte is not 2.</summary>
    InvalidMagic,

    /// <summary>The CRC-32C over attributes..end does not match the crc field.</summary>
    CrcMismatch,
}
