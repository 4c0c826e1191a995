namespace OmniReport.Core.Derivation;

/// <summary>
/// The duplicate check of a derivation: a set of event ids whose characters are copied into large blocks, not kept
/// as strings. A million ids held as strings (and in a <see cref="HashSet{T}"/>) are a million objects that every
/// collection of the old generations traces and copies; here they are a few arrays the collector never looks into,
/// and the parser's id strings die young (measured in docs/performance.md, issue 18).
/// </summary>
internal sealed class IdSet
{
    private const int BlockBits = 20;
    private const int BlockChars = 1 << BlockBits;
    private const int MaxBlocks = 1 << (32 - BlockBits);

    private readonly List<char[]> _blocks = [];
    private Entry[] _entries;
    private int _used;
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
        _mask = capacity - 1;
    }

    /// <summary>Number of distinct ids taken.</summary>
    public int Count { get; private set; }

    /// <summary>Takes <paramref name="id"/>; false when it was taken before.</summary>
    public bool Add(ReadOnlySpan<char> id)
    {
        // Hash 0 marks a free entry.
        var hash = string.GetHashCode(id) | 1;
        for (var i = hash & _mask; ; i = (i + 1) & _mask)
        {
            ref var entry = ref _entries[i];
            if (entry.Hash == 0)
            {
                entry = new Entry(hash, Store(id), id.Length);
                if (++Count * 2 > _entries.Length)
                {
                    Grow();
                }

                return true;
            }

            if (entry.Hash == hash && entry.Length == id.Length && Text(entry).SequenceEqual(id))
            {
                return false;
            }
        }
    }

    /// <summary>Lets go of every id.</summary>
    public void Clear()
    {
        _blocks.Clear();
        _entries = new Entry[16];
        _mask = 15;
        _used = 0;
        Count = 0;
    }

    private ReadOnlySpan<char> Text(in Entry e) => _blocks[(int)(e.At >> BlockBits)].AsSpan((int)(e.At & (BlockChars - 1)), e.Length);

    /// <summary>Copies the id into the current block (a new one when it does not fit); where it lies.</summary>
    private uint Store(ReadOnlySpan<char> id)
    {
        if (_blocks.Count == 0 || id.Length > BlockChars - _used)
        {
            if (_blocks.Count == MaxBlocks)
            {
                // 4 G characters of ids (8 GB): far beyond what one account's file holds.
                throw new InvalidOperationException("more than 4 G characters of event ids in one derivation");
            }

            _blocks.Add(new char[Math.Max(BlockChars, id.Length)]);
            _used = 0;
        }

        var at = ((uint)(_blocks.Count - 1) << BlockBits) | (uint)_used;
        id.CopyTo(_blocks[^1].AsSpan(_used));
        _used += id.Length;
        return at;
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

    private readonly record struct Entry(int Hash, uint At, int Length);
}
