using System.Buffers.Binary;

namespace Rhei.Protocol.Records;

/// <summary>The type in a control record's key: a transaction marker.</summary>
public enum ControlRecordType : short
{
    Abort = 0,
    Commit = 1,
}

/// <summary>
/// Control records (in batches with the control attribute): key = version i16 (0) · type i16;
/// value (transaction markers) = version i16 (0) · coordinatorEpoch i32.
/// </summary>
public static class ControlRecord
{
    public const int KeySize = 4;
    public const int ValueSize = 6;

    public static byte[] EncodeKey(ControlRecordType type)
    {
        var key = new byte[KeySize];
        BinaryPrimitives.WriteInt16BigEndian(key.AsSpan(2), (short)type);
        return key;
    }

    public static byte[] EncodeMarkerValue(int coordinatorEpoch)
    {
        var value = new byte[ValueSize];
        BinaryPrimitives.WriteInt32BigEndian(value.AsSpan(2), coordinatorEpoch);
        return value;
    }

    /// <summary>Reads the type of a control record key; false when the key is too short.</summary>
    public static bool TryReadType(ReadOnlySpan<byte> key, out ControlRecordType type)
    {
        type = default;
        if (key.Length < KeySize)
        {
            return false;
        }

        type = (ControlRecordType)BinaryPrimitives.ReadInt16BigEndian(key[2..]);
        return true;
    }
}
