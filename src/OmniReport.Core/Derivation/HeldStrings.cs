using System.Buffers.Binary;
using System.Text;
using OmniReport.Core.Events;

namespace OmniReport.Core.Derivation;

/// <summary>
/// The strings of the events an <see cref="AccountDerivation"/> holds until its fold, kept so that the collector has
/// nothing to copy: the few words that repeat (agent ids and names, group ids and names) once each, numbered; the free
/// texts of <see cref="EventDetails"/> (requester, external id, notes, URLs) as UTF-8 in large blocks, made into
/// strings again only when their interaction is folded. Held as objects, the details and their strings of a million
/// events were copied by every compacting collection during the read, on one thread (docs/performance.md, issue 18).
/// Filled on one thread; once filled, read by any number.
/// </summary>
internal sealed class HeldStrings
{
    // The fields of EventDetails, in this order, by bit of the record's mask.
    private const int GroupId = 0, GroupName = 1, RequesterId = 2, RequesterName = 3, RequesterContact = 4, ExternalId = 5,
        Disposition = 6, Notes = 7, RecordingUrl = 8, TranscriptUrl = 9, FromAgentId = 10, FieldCount = 11;

    // As in IdSet: the parser never gives what UTF-8 cannot hold; a caller that does is told, not silently changed.
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly Dictionary<string, int> _codes = new(StringComparer.Ordinal);
    private readonly List<string> _words = [];
    private readonly ByteBlocks _blocks = new("event details");
    private readonly RecentCodes _recent = new(bits: 10);

    /// <summary>The code of a word that repeats (0 for null): the same text gives the same code.</summary>
    public int Word(string? word)
    {
        if (word is null)
        {
            return 0;
        }

        // The few words repeat event after event: one met lately needs no lookup in the dictionary.
        if (_recent.TryFind(word, out var code))
        {
            return code;
        }

        if (!_codes.TryGetValue(word, out code))
        {
            _words.Add(word);
            code = _words.Count;
            _codes.Add(word, code);
        }

        _recent.Remember(word, code);
        return code;
    }

    /// <summary>The word of a code that <see cref="Word(string?)"/> gave.</summary>
    public string? Word(int code) => code == 0 ? null : _words[code - 1];

    /// <summary>Keeps the details; where they lie (0 for none), for <see cref="Details(uint, bool)"/>.</summary>
    public uint Keep(EventDetails? d)
    {
        if (d is null)
        {
            return 0;
        }

        // First the length: a record lies in one block. A record is a mask of the fields given (two bytes), then
        // each of them: a word as its code (four bytes), a text as its length in UTF-8 (four bytes) and its bytes.
        var length = 2;
        for (var f = 0; f < FieldCount; f++)
        {
            if (Field(d, f) is { } s)
            {
                length += 4 + (IsWord(f) ? 0 : Utf8.GetByteCount(s));
            }
        }

        var at = _blocks.Reserve(length, out var block);
        var mask = 0;
        var w = 2;
        for (var f = 0; f < FieldCount; f++)
        {
            if (Field(d, f) is not { } s)
            {
                continue;
            }

            mask |= 1 << f;
            if (IsWord(f))
            {
                BinaryPrimitives.WriteInt32LittleEndian(block[w..], Word(s));
                w += 4;
                continue;
            }

            var n = Utf8.GetBytes(s, block[(w + 4)..]);
            BinaryPrimitives.WriteInt32LittleEndian(block[w..], n);
            w += 4 + n;
        }

        BinaryPrimitives.WriteUInt16LittleEndian(block, (ushort)mask);
        return at;
    }

    /// <summary>
    /// The details kept at <paramref name="at"/> (null for 0), as new objects: the same values as were kept. Without
    /// <paramref name="recordTexts"/>, the texts only an interaction record shows (requester name and contact, external
    /// id, disposition, notes, URLs) are left null, not made into strings: an engagement takes nothing of the details
    /// but the group and the requester's id.
    /// </summary>
    public EventDetails? Details(uint at, bool recordTexts)
    {
        if (at == 0)
        {
            return null;
        }

        // The fields are read in their order: an object initializer assigns in the order written.
        var r = new Cursor(this, _blocks.From(at));
        return new EventDetails
        {
            GroupId = r.Next(GroupId),
            GroupName = r.Next(GroupName),
            RequesterId = r.Next(RequesterId),
            RequesterName = r.Next(RequesterName, recordTexts),
            RequesterContact = r.Next(RequesterContact, recordTexts),
            ExternalId = r.Next(ExternalId, recordTexts),
            Disposition = r.Next(Disposition, recordTexts),
            Notes = r.Next(Notes, recordTexts),
            RecordingUrl = r.Next(RecordingUrl, recordTexts),
            TranscriptUrl = r.Next(TranscriptUrl, recordTexts),
            FromAgentId = r.Next(FromAgentId),
        };
    }

    /// <summary>Whether a word kept (an agent's, a group's id or name) holds a line feed.</summary>
    public bool AnyWordHasLineFeed()
    {
        foreach (var word in _words)
        {
            if (word.Contains('\n', StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Lets go of everything kept.</summary>
    public void Clear()
    {
        _codes.Clear();
        _words.Clear();
        _recent.Clear();
        _blocks.Clear();
    }

    /// <summary>Reads a kept record's fields one after another.</summary>
    private ref struct Cursor(HeldStrings owner, ReadOnlySpan<byte> record)
    {
        private readonly ReadOnlySpan<byte> _record = record;
        private readonly int _mask = BinaryPrimitives.ReadUInt16LittleEndian(record);
        private int _at = 2;

        /// <summary>The next field's value, or null when it was not given or is not <paramref name="read"/> (then only passed).</summary>
        public string? Next(int field, bool read = true)
        {
            if ((_mask & (1 << field)) == 0)
            {
                return null;
            }

            var n = BinaryPrimitives.ReadInt32LittleEndian(_record[_at..]);
            _at += 4;
            if (IsWord(field))
            {
                return owner.Word(n);
            }

            var text = read ? Utf8.GetString(_record.Slice(_at, n)) : null;
            _at += n;
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
}
