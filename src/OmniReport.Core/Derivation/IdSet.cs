using System.Buffers;
using System.Text;

namespace OmniReport.Core.Derivation;

/// <summary>
/// A set of ids (event ids for the duplicate check, interaction ids for the grouping) whose text is copied into large
/// blocks as UTF-8, not kept as strings, each numbered in the order it came (its ordinal). A million ids held as strings
/// (and in a <see cref="HashSet{T}"/> or a dictionary) are a million objects that every collection of the old
/// generations traces and copies; here they are a few arrays the collector never looks into, and the parser's id
/// strings die young (measured in docs/performance.md, issue 18).
/// </summary>
internal sealed class IdSet
{
    // Ids come from the parser, which rejects what UTF-8 cannot hold (a lone surrogate, SPEC §1): anything else here is
    // a caller's mistake, better thrown than two ids made one.
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ByteBlocks _blocks = new("ids");
    private Entry[] _entries;
    private Where[] _texts;
    private int _mask;

    /// <summary>An empty set sized for about <paramref name="expected"/> ids (more are fine).</summary>
    public IdSet(int expected)
    {
        var capacity = 16;
        while (capacity < expected * 2L && capacity < 1 << 30)
        {
            capacity <<= 1;
        }

        _entries = new Entry[capacity];
        _texts = new Where[capacity / 2];
        _mask = capacity - 1;
    }

    /// <summary>Number of distinct ids taken.</summary>
    public int Count { get; private set; }

    /// <summary>Takes <paramref name="id"/>; false when it was taken before.</summary>
    public bool Add(ReadOnlySpan<char> id)
    {
        Add(id, out var added);
        return added;
    }

    /// <summary>
    /// Takes <paramref name="id"/> when it is new (<paramref name="added"/>); its ordinal either way: 0 for the first id
    /// taken, 1 for the second, and so on.
    /// </summary>
    public int Add(ReadOnlySpan<char> id, out bool added)
    {
        var max = Utf8.GetMaxByteCount(id.Length);
        byte[]? rented = null;
        var scratch = max <= 384 ? stackalloc byte[384] : (rented = ArrayPool<byte>.Shared.Rent(max));
        var ordinal = Add(scratch[..Utf8.GetBytes(id, scratch)], out added);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        return ordinal;
    }

    /// <summary>
    /// <see cref="Add(ReadOnlySpan{char}, out bool)"/> for an id given as its UTF-8 bytes (valid UTF-8: the caller checks),
    /// as <c>derive</c>'s parser hands it over: the same id as its text gives.
    /// </summary>
    public int Add(ReadOnlySpan<byte> utf8, out bool added) => Add(utf8, Hash(utf8), out added);

    /// <summary>
    /// The hash of an id's UTF-8 bytes, whether it came as text or as bytes (seeded per process, as string hashes are, so
    /// ids cannot be chosen to collide).
    /// </summary>
    public static int Hash(ReadOnlySpan<byte> utf8)
    {
        var hash = default(HashCode);
        hash.AddBytes(utf8);
        return hash.ToHashCode();
    }

    /// <summary>The text of the id with this ordinal.</summary>
    public string Text(int ordinal) => Utf8.GetString(Bytes(ordinal));

    private int Add(ReadOnlySpan<byte> id, int hash, out bool added)
    {
        // Hash 0 marks a free entry.
        hash |= 1;
        for (var i = hash & _mask; ; i = (i + 1) & _mask)
        {
            ref var entry = ref _entries[i];
            if (entry.Hash == 0)
            {
                var ordinal = Count++;
                if (ordinal == _texts.Length)
                {
                    Array.Resize(ref _texts, ordinal * 2);
                }

                _texts[ordinal] = new Where(_blocks.Add(id), id.Length);
                entry = new Entry(hash, ordinal);
                if (Count * 2 > _entries.Length)
                {
                    Grow();
                }

                added = true;
                return ordinal;
            }

            if (entry.Hash == hash && Bytes(entry.Ordinal).SequenceEqual(id))
            {
                added = false;
                return entry.Ordinal;
            }
        }
    }

    /// <summary>Whether the id with this ordinal holds a line feed (in UTF-8 a byte 10 is nothing else).</summary>
    public bool HasLineFeed(int ordinal) => Bytes(ordinal).Contains((byte)'\n');

    private ReadOnlySpan<byte> Bytes(int ordinal)
    {
        var t = _texts[ordinal];
        return _blocks.From(t.At)[..t.Length];
    }

    /// <summary>Lets go of every id.</summary>
    public void Clear()
    {
        _blocks.Clear();
        _entries = new Entry[16];
        _texts = new Where[8];
        _mask = 15;
        Count = 0;
    }

    private void Grow()
    {
        var old = _entries;
        _entries = new Entry[old.Length * 2];
        _mask = _entries.Length - 1;
        foreach (var e in old)
        {
            if (e.Hash != 0)
            {
                var i = e.Hash & _mask;
                while (_entries[i].Hash != 0)
                {
                    i = (i + 1) & _mask;
                }

                _entries[i] = e;
            }
        }
    }

    /// <summary>A slot of the open-addressing table: the id's hash (0: free) and its ordinal.</summary>
    private readonly record struct Entry(int Hash, int Ordinal);

    /// <summary>Where an id's bytes lie (<see cref="ByteBlocks"/>), and how many.</summary>
    private readonly record struct Where(uint At, int Length);
}
