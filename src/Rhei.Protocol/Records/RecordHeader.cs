using System.Collections;
using System.Text;

namespace Rhei.Protocol.Records;

/// <summary>A record header: a UTF-8 key and a value that may be null (as Kafka allows).</summary>
public readonly struct RecordHeader
{
    public RecordHeader(ReadOnlyMemory<byte> key, ReadOnlyMemory<byte>? value)
    {
        Key = key;
        Value = value;
    }

    public RecordHeader(string key, ReadOnlyMemory<byte>? value)
        : this(Encoding.UTF8.GetBytes(key), value)
    {
    }

    /// <summary>The key's UTF-8 bytes.</summary>
    public ReadOnlyMemory<byte> Key { get; }

    public ReadOnlyMemory<byte>? Value { get; }

    /// <summary>The key as a string (decodes; allocates).</summary>
    public string KeyString => Encoding.UTF8.GetString(Key.Span);
}

/// <summary>
/// The headers of a decoded record, parsed lazily from the record's bytes when enumerated. The memory
/// behind the slices belongs to the <see cref="RecordBatchReader"/> that produced the record.
/// </summary>
public readonly struct RecordHeaders : IEnumerable<RecordHeader>
{
    public RecordHeaders(int count, ReadOnlyMemory<byte> raw)
    {
        Count = count;
        Raw = raw;
    }

    public int Count { get; }

    /// <summary>The encoded headers (without the count): key length varint, key, value length varint, value, ...</summary>
    public ReadOnlyMemory<byte> Raw { get; }

    public Enumerator GetEnumerator() => new(this);

    IEnumerator<RecordHeader> IEnumerable<RecordHeader>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public struct Enumerator : IEnumerator<RecordHeader>
    {
        private readonly RecordHeaders _headers;
        private int _index;
        private int _position;

        internal Enumerator(RecordHeaders headers)
        {
            _headers = headers;
            _index = 0;
            _position = 0;
            Current = default;
        }

        public RecordHeader Current { get; private set; }

        readonly object IEnumerator.Current => Current;

        public bool MoveNext()
        {
            if (_index >= _headers.Count)
            {
                return false;
            }

            var span = _headers.Raw.Span;
            var keyLength = Varint.ReadVarInt(span, ref _position);
            if (keyLength < 0 || keyLength > span.Length - _position)
            {
                throw new InvalidDataException($"Header {_index} has an invalid key length {keyLength}.");
            }

            var key = _headers.Raw.Slice(_position, keyLength);
            _position += keyLength;
            var valueLength = Varint.ReadVarInt(span, ref _position);
            ReadOnlyMemory<byte>? value = null;
            if (valueLength >= 0)
            {
                if (valueLength > span.Length - _position)
                {
                    throw new InvalidDataException($"Header {_index} has an invalid value length {valueLength}.");
                }

                value = _headers.Raw.Slice(_position, valueLength);
                _position += valueLength;
            }

            Current = new RecordHeader(key, value);
            _index++;
            return true;
        }

        public void Reset()
        {
            _index = 0;
            _position = 0;
        }

        public readonly void Dispose()
        {
        }
    }
}
