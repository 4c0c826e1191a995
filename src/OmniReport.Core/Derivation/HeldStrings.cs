using OmniReport.Core.Events;

namespace OmniReport.Core.Derivation;

/// <summary>
/// The strings of the events an <see cref="AccountDerivation"/> holds until its fold, kept so that the collector has
/// nothing to copy: the few words that repeat (agent ids and names, group ids and names) once each, numbered; the free
/// texts of <see cref="EventDetails"/> (requester, external id, notes, URLs) as characters in large blocks, made into
/// strings again only when their interaction is folded. Held as objects, the details and their strings of a million
/// events were copied by every compacting collection during the read, on one thread (docs/performance.md, issue 18).
/// Filled on one thread; once filled, read by any number.
/// </summary>
internal sealed class HeldStrings
{
    private const int BlockBits = 20;
    private const int BlockChars = 1 << BlockBits;
    private const int MaxBlocks = 1 << (32 - BlockBits);

    // The fields of EventDetails, in this order, by bit of the record's first character.
    private const int GroupId = 0, GroupName = 1, RequesterId = 2, RequesterName = 3, RequesterContact = 4, ExternalId = 5,
        Disposition = 6, Notes = 7, RecordingUrl = 8, TranscriptUrl = 9, FromAgentId = 10, FieldCount = 11;

    private readonly Dictionary<string, int> _codes = new(StringComparer.Ordinal);
    private readonly List<string> _words = [];
    private readonly List<char[]> _blocks = [];
    private int _used;

    /// <summary>The code of a word that repeats (0 for null): the same text gives the same code.</summary>
    public int Word(string? word)
    {
        if (word is null)
        {
            return 0;
        }

        if (!_codes.TryGetValue(word, out var code))
        {
            _words.Add(word);
            code = _words.Count;
            _codes.Add(word, code);
        }

        return code;
    }

    /// <summary>The word of a code that <see cref="Word(string?)"/> gave.</summary>
    public string? Word(int code) => code == 0 ? null : _words[code - 1];

    /// <summary>Keeps the details; where they lie (0 for none), for <see cref="Details(uint)"/>.</summary>
    public uint Keep(EventDetails? d)
    {
        if (d is null)
        {
            return 0;
        }

        // First the length: a record lies in one block.
        var length = 1;
        for (var f = 0; f < FieldCount; f++)
        {
            if (Field(d, f) is { } s)
            {
                length += IsWord(f) ? 2 : s.Length + (s.Length < 0x8000 ? 1 : 2);
            }
        }

        var at = Reserve(length);
        var block = _blocks[(int)(at >> BlockBits)].AsSpan((int)(at & (BlockChars - 1)), length);
        var mask = 0;
        var w = 1;
        for (var f = 0; f < FieldCount; f++)
        {
            if (Field(d, f) is not { } s)
            {
                continue;
            }

            mask |= 1 << f;
            if (IsWord(f))
            {
                var code = Word(s);
                block[w++] = (char)(code >> 16);
                block[w++] = (char)code;
                continue;
            }

            if (s.Length < 0x8000)
            {
                block[w++] = (char)s.Length;
            }
            else
            {
                block[w++] = (char)(0x8000 | (s.Length >> 16));
                block[w++] = (char)s.Length;
            }

            s.CopyTo(block[w..]);
            w += s.Length;
        }

        block[0] = (char)mask;
        return at;
    }

    /// <summary>The details kept at <paramref name="at"/> (null for 0), as new objects: the same values as were kept.</summary>
    public EventDetails? Details(uint at)
    {
        if (at == 0)
        {
            return null;
        }

        // The fields are read in their order: an object initializer assigns in the order written.
        var r = new Cursor(this, _blocks[(int)(at >> BlockBits)].AsSpan((int)(at & (BlockChars - 1))));
        return new EventDetails
        {
            GroupId = r.Next(GroupId),
            GroupName = r.Next(GroupName),
            RequesterId = r.Next(RequesterId),
            RequesterName = r.Next(RequesterName),
            RequesterContact = r.Next(RequesterContact),
            ExternalId = r.Next(ExternalId),
            Disposition = r.Next(Disposition),
            Notes = r.Next(Notes),
            RecordingUrl = r.Next(RecordingUrl),
            TranscriptUrl = r.Next(TranscriptUrl),
            FromAgentId = r.Next(FromAgentId),
        };
    }

    /// <summary>Lets go of everything kept.</summary>
    public void Clear()
    {
        _codes.Clear();
        _words.Clear();
        _blocks.Clear();
        _used = 0;
    }

    /// <summary>Reads a kept record's fields one after another.</summary>
    private ref struct Cursor(HeldStrings owner, ReadOnlySpan<char> record)
    {
        private readonly ReadOnlySpan<char> _record = record;
        private int _at = 1;

        public string? Next(int field)
        {
            if ((_record[0] & (1 << field)) == 0)
            {
                return null;
            }

            if (IsWord(field))
            {
                var code = (_record[_at] << 16) | _record[_at + 1];
                _at += 2;
                return owner.Word(code);
            }

            int length = _record[_at++];
            if (length >= 0x8000)
            {
                length = ((length & 0x7FFF) << 16) | _record[_at++];
            }

            var text = new string(_record.Slice(_at, length));
            _at += length;
            return text;
        }
    }

    private static bool IsWord(int field) => field is GroupId or GroupName or FromAgentId;

    private static string? Field(EventDetails d, int field) => field switch
    {
        GroupId => d.GroupId,
        GroupName => d.GroupName,
        RequesterId => d.RequesterId,
        RequesterName => d.RequesterName,
        RequesterContact => d.RequesterContact,
        ExternalId => d.ExternalId,
        Disposition => d.Disposition,
        Notes => d.Notes,
        RecordingUrl => d.RecordingUrl,
        TranscriptUrl => d.TranscriptUrl,
        _ => d.FromAgentId,
    };

    /// <summary>Room for <paramref name="length"/> characters in one block (a new one when they do not fit); where.</summary>
    private uint Reserve(int length)
    {
        if (_blocks.Count == 0 || length > BlockChars - _used)
        {
            if (_blocks.Count == MaxBlocks)
            {
                throw new InvalidOperationException("more than 4 G characters of event details in one derivation");
            }

            _blocks.Add(new char[Math.Max(BlockChars, length)]);
            // The first character of all is never a record's: 0 means "no details".
            _used = _blocks.Count == 1 ? 1 : 0;
            if (length > BlockChars - _used)
            {
                _blocks[^1] = new char[length + _used];
            }
        }

        var at = ((uint)(_blocks.Count - 1) << BlockBits) | (uint)_used;
        _used += length;
        return at;
    }
}
