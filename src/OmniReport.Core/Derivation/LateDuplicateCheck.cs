using System.Buffers.Binary;
using System.Text;

namespace OmniReport.Core.Derivation;

/// <summary>
/// The duplicate check of a derivation that needs its answer only before the fold (<c>omnireport derive</c>), made once
/// for all events instead of one event at a time: each id is kept as UTF-8 in blocks, written in arrival order, with its
/// hash and arrival number; <see cref="Find(int, out int)"/> then sorts the (hash, arrival) pairs and compares the texts of equal
/// hashes only, so the first arrival of each id is kept and every later one is a duplicate — the same events the
/// event-by-event check (<see cref="IdSet"/>) keeps.
/// </summary>
/// <remarks>
/// The event-by-event check looks up every id at a random place of a table twice the size of the ids (16 MB for a
/// million): a cache and translation miss per event, ~9 % of derive's CPU, on the command's one sequential thread
/// (docs/performance.md, issue 18). Here every write is in order, and the sort reads and writes memory in order too.
/// </remarks>
internal sealed class LateDuplicateCheck
{
    // As in IdSet: the parser never gives what UTF-8 cannot hold; a caller that does is told, not silently changed.
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ByteBlocks _blocks = new("ids");

    // (hash << 32 | arrival) per id, in two halves by the hash's top bit: equal ids are in the same half, so the halves
    // are sorted and searched on two threads. Sorted, equal hashes come together, earliest arrival first.
    private readonly ulong[][] _keys = new ulong[2][];
    private readonly int[] _keyCount = new int[2];
    private uint[] _at;
    private int _count;

    /// <summary>An empty check sized for about <paramref name="expected"/> ids (more are fine).</summary>
    public LateDuplicateCheck(int expected)
    {
        _at = new uint[Math.Max(16, expected)];
        // Each half holds about half the ids; a little more room so that the expected number does not just overflow one.
        _keys[0] = new ulong[Math.Max(16, (expected / 2) + (expected / 32))];
        _keys[1] = new ulong[_keys[0].Length];
    }

    /// <summary>Takes the id of the next arrival (numbered 0, 1, 2, … in the order taken).</summary>
    /// <exception cref="ArgumentException">The id holds text UTF-8 cannot hold (a lone surrogate); nothing is taken.</exception>
    public void Add(ReadOnlySpan<char> id)
    {
        var length = Utf8.GetByteCount(id);
        var at = Reserve(length, out var room);
        Utf8.GetBytes(id, room);
        Keep(at, room);
    }

    /// <summary>
    /// Takes the id of the next arrival as its UTF-8 bytes (valid UTF-8: the caller checks), as <c>derive</c>'s parser hands
    /// it over: no string made, the bytes copied once (docs/performance.md, issue 18, seventh part).
    /// </summary>
    public void Add(ReadOnlySpan<byte> utf8)
    {
        var at = Reserve(utf8.Length, out var room);
        utf8.CopyTo(room);
        Keep(at, room);
    }

    /// <summary>Room for an id of <paramref name="length"/> bytes, after its length: a record is the length (four bytes), then the bytes.</summary>
    private uint Reserve(int length, out Span<byte> room)
    {
        var at = _blocks.Reserve(4 + length, out var record);
        BinaryPrimitives.WriteInt32LittleEndian(record, length);
        room = record[4..];
        return at;
    }

    /// <summary>Numbers the id just written at <paramref name="at"/>: its (hash, arrival) in its half, its place by arrival.</summary>
    private void Keep(uint at, ReadOnlySpan<byte> id)
    {
        if (_count == _at.Length)
        {
            Array.Resize(ref _at, Math.Max(16, _count * 2));
        }

        var hash = (uint)IdSet.Hash(id);
        ref var keys = ref _keys[hash >> 31];
        ref var n = ref _keyCount[hash >> 31];
        if (n == keys.Length)
        {
            Array.Resize(ref keys, Math.Max(16, n * 2));
        }

        keys[n++] = ((ulong)hash << 32) | (uint)_count;
        _at[_count] = at;
        _count++;
    }

    /// <summary>
    /// Which arrivals are duplicates (true): an id equal to an earlier arrival's. The first arrival of each id is not one.
    /// On two threads when <paramref name="workers"/> allows, one half each.
    /// </summary>
    public bool[] Find(int workers, out int duplicates)
    {
        var duplicate = new bool[_count];
        var found = new int[2];
        if (workers > 1)
        {
            Parallel.For(0, 2, half => found[half] = Find(_keys[half].AsSpan(0, _keyCount[half]), duplicate));
        }
        else
        {
            found[0] = Find(_keys[0].AsSpan(0, _keyCount[0]), duplicate);
            found[1] = Find(_keys[1].AsSpan(0, _keyCount[1]), duplicate);
        }

        duplicates = found[0] + found[1];
        return duplicate;
    }

    /// <summary>Lets go of every id.</summary>
    public void Clear()
    {
        _blocks.Clear();
        _keys[0] = _keys[1] = [];
        _at = [];
        _keyCount[0] = _keyCount[1] = _count = 0;
    }

    /// <summary>Sorts one half's keys and marks its duplicates (each arrival is in one half only); how many.</summary>
    private int Find(Span<ulong> keys, bool[] duplicate)
    {
        keys.Sort();
        var duplicates = 0;
        for (var i = 0; i < keys.Length;)
        {
            var hash = keys[i] >> 32;
            var j = i + 1;
            while (j < keys.Length && keys[j] >> 32 == hash)
            {
                j++;
            }

            // Equal hashes, by arrival: each is compared with the earlier ones that are not duplicates themselves (a
            // duplicate's text is its first arrival's, already compared). Different ids of one hash are rare.
            for (var a = i + 1; a < j; a++)
            {
                var later = (int)(uint)keys[a];
                for (var b = i; b < a; b++)
                {
                    var earlier = (int)(uint)keys[b];
                    if (!duplicate[earlier] && Bytes(earlier).SequenceEqual(Bytes(later)))
                    {
                        duplicate[later] = true;
                        duplicates++;
                        break;
                    }
                }
            }

            i = j;
        }

        return duplicates;
    }

    private ReadOnlySpan<byte> Bytes(int arrival)
    {
        var record = _blocks.From(_at[arrival]);
        return record.Slice(4, BinaryPrimitives.ReadInt32LittleEndian(record));
    }
}
