using System.Buffers.Binary;
using System.Text;

namespace OmniReport.Storage.Codec;

/// <summary>
/// Appends the compact binary form the store keeps events and records in: variable-length integers and
/// length-prefixed UTF-8. Smaller and much faster to read back than JSON, and the store owns the format.
/// </summary>
internal sealed class BlobWriter
{
    // A plain array and length rather than an ArrayBufferWriter: its GetSpan and Advance per integer (a resize check
    // and a validation each) cost as much as writing the integer's bytes in the rollup build's profile (issue #11).
    private byte[] _buffer;
    private int _length;

    public BlobWriter(int capacity = 256) => _buffer = new byte[Math.Max(capacity, 16)];

    public int Length => _length;

    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    public byte[] ToArray() => Written.ToArray();

    public void Clear() => _length = 0;

    public void Byte(byte b)
    {
        Reserve(1);
        _buffer[_length++] = b;
    }

    public void Raw(ReadOnlySpan<byte> bytes)
    {
        Reserve(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    public void UInt(ulong v)
    {
        Reserve(10);
        var buffer = _buffer;
        var n = _length;
        while (v >= 0x80)
        {
            buffer[n++] = (byte)(v | 0x80);
            v >>= 7;
        }

        buffer[n++] = (byte)v;
        _length = n;
    }

    public void Long(long v) => UInt((ulong)((v << 1) ^ (v >> 63)));

    public void NullableLong(long? v)
    {
        if (v is { } x)
        {
            Byte(1);
            Long(x);
        }
        else
        {
            Byte(0);
        }
    }

    public void String(string s)
    {
        var max = Encoding.UTF8.GetMaxByteCount(s.Length);
        if (max < 128)
        {
            // One length byte is enough; write the text after it and fill the length in.
            Reserve(max + 1);
            var n = Encoding.UTF8.GetBytes(s, _buffer.AsSpan(_length + 1));
            _buffer[_length] = (byte)n;
            _length += n + 1;
            return;
        }

        var count = Encoding.UTF8.GetByteCount(s);
        UInt((ulong)count);
        Reserve(count);
        _length += Encoding.UTF8.GetBytes(s, _buffer.AsSpan(_length));
    }

    public void NullableString(string? s)
    {
        if (s is null)
        {
            Byte(0);
        }
        else
        {
            Byte(1);
            String(s);
        }
    }

    public void Fixed64(ulong v)
    {
        Reserve(8);
        BinaryPrimitives.WriteUInt64LittleEndian(_buffer.AsSpan(_length), v);
        _length += 8;
    }

    /// <summary>Room for <paramref name="size"/> more bytes.</summary>
    private void Reserve(int size)
    {
        if (_buffer.Length - _length < size)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + size));
        }
    }
}

/// <summary>Reads what <see cref="BlobWriter"/> wrote.</summary>
internal ref struct BlobReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _pos;

    public readonly bool End => _pos >= _data.Length;

    public readonly int Position => _pos;

    public byte Byte() => _data[_pos++];

    public void Skip(int n) => _pos += n;

    public ulong UInt()
    {
        ulong v = 0;
        var shift = 0;
        while (true)
        {
            var b = _data[_pos++];
            v |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return v;
            }

            shift += 7;
        }
    }

    public long Long()
    {
        var u = UInt();
        return (long)(u >> 1) ^ -(long)(u & 1);
    }

    public long? NullableLong() => Byte() == 0 ? null : Long();

    public string String()
    {
        var n = (int)UInt();
        var s = Encoding.UTF8.GetString(_data.Slice(_pos, n));
        _pos += n;
        return s;
    }

    public string? NullableString() => Byte() == 0 ? null : String();

    public ulong Fixed64()
    {
        var v = BinaryPrimitives.ReadUInt64LittleEndian(_data[_pos..]);
        _pos += 8;
        return v;
    }
}
