using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace OmniReport.Storage.Codec;

/// <summary>
/// Appends the compact binary form the store keeps events and records in: variable-length integers and
/// length-prefixed UTF-8. Smaller and much faster to read back than JSON, and the store owns the format.
/// </summary>
internal sealed class BlobWriter
{
    private readonly ArrayBufferWriter<byte> _buffer;

    public BlobWriter(int capacity = 256) => _buffer = new ArrayBufferWriter<byte>(capacity);

    public int Length => _buffer.WrittenCount;

    public ReadOnlySpan<byte> Written => _buffer.WrittenSpan;

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

    public void Clear() => _buffer.ResetWrittenCount();

    public void Byte(byte b)
    {
        _buffer.GetSpan(1)[0] = b;
        _buffer.Advance(1);
    }

    public void Raw(ReadOnlySpan<byte> bytes) => _buffer.Write(bytes);

    public void UInt(ulong v)
    {
        var span = _buffer.GetSpan(10);
        var n = 0;
        while (v >= 0x80)
        {
            span[n++] = (byte)(v | 0x80);
            v >>= 7;
        }

        span[n++] = (byte)v;
        _buffer.Advance(n);
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
            var span = _buffer.GetSpan(max + 1);
            var n = Encoding.UTF8.GetBytes(s, span[1..]);
            span[0] = (byte)n;
            _buffer.Advance(n + 1);
            return;
        }

        var count = Encoding.UTF8.GetByteCount(s);
        UInt((ulong)count);
        var dest = _buffer.GetSpan(count);
        Encoding.UTF8.GetBytes(s, dest);
        _buffer.Advance(count);
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
        BinaryPrimitives.WriteUInt64LittleEndian(_buffer.GetSpan(8), v);
        _buffer.Advance(8);
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
