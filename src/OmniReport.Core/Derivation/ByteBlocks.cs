namespace OmniReport.Core.Derivation;

/// <summary>
/// Bytes kept in large blocks, each run addressed by one 32-bit word (the block's number in the high 12 bits, the offset
/// in the low 20): what <see cref="IdSet"/> and <see cref="HeldStrings"/> hold, as a few arrays the collector never
/// looks into instead of a million objects it traces and copies (docs/performance.md, issue 18). Address 0 is never
/// given, so a caller may let 0 mean "none". Filled on one thread; once filled, read by any number.
/// </summary>
internal sealed class ByteBlocks(string what)
{
    private const int BlockBits = 20;
    private const int BlockBytes = 1 << BlockBits;
    private const int MaxBlocks = 1 << (32 - BlockBits);

    private readonly List<byte[]> _blocks = [];
    private int _used;

    /// <summary>Room for <paramref name="length"/> bytes in one block (a new one when they do not fit): where, and the room.</summary>
    public uint Reserve(int length, out Span<byte> room)
    {
        if (_blocks.Count == 0 || length > BlockBytes - _used)
        {
            if (_blocks.Count == MaxBlocks)
            {
                // 4 GB: far beyond what one account's file holds.
                throw new InvalidOperationException($"more than 4 GB of {what} in one derivation");
            }

            // The first byte of all is never given: 0 is no address.
            _used = _blocks.Count == 0 ? 1 : 0;
            _blocks.Add(new byte[Math.Max(BlockBytes, length + _used)]);
        }

        var at = ((uint)(_blocks.Count - 1) << BlockBits) | (uint)_used;
        room = _blocks[^1].AsSpan(_used, length);
        _used += length;
        return at;
    }

    /// <summary>Copies <paramref name="bytes"/> in; where they lie.</summary>
    public uint Add(ReadOnlySpan<byte> bytes)
    {
        var at = Reserve(bytes.Length, out var room);
        bytes.CopyTo(room);
        return at;
    }

    /// <summary>The bytes from <paramref name="at"/> to the end of its block.</summary>
    public ReadOnlySpan<byte> From(uint at) => _blocks[(int)(at >> BlockBits)].AsSpan((int)(at & (BlockBytes - 1)));

    /// <summary>Lets go of every block.</summary>
    public void Clear()
    {
        _blocks.Clear();
        _used = 0;
    }
}
