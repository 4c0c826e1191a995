using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace OmniReport.Core.Events;

/// <summary>
/// Reads one event from its UTF-8 JSON text and validates it against SPEC §1. Unknown fields, and known
/// fields that the event's type does not use, are ignored. One instance is not thread-safe: it keeps
/// scratch space and a cache of recent short strings that makes repeated ids and names share one string.
/// </summary>
public sealed partial class EventParser
{
    private const int MaxIdLength = 128;
    private const int RecentSize = 1 << 14;
    private readonly Slot[] _slots = new Slot[(int)F.Count];
    private readonly RecentEntry[] _recent = new RecentEntry[RecentSize];
    private Slot _reqId;
    private Slot _reqName;
    private Slot _reqContact;
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private string? _where;

    // The instance the event being parsed is made in, when the caller gives one to refill (derive's front end).
    private Event? _into;

    private static readonly string[] Names =
    [
        "id", "type", "occurred_at", "interaction_id", "channel", "direction", "requester", "group_id", "group_name",
        "external_id", "status", "author_type", "author_id", "author_name", "public", "agent_id", "agent_name", "via",
        "from_agent_id", "to_agent_id", "to_group_id", "to_group_name", "outcome", "disposition", "notes",
        "recording_url", "transcript_url",
    ];

    private enum F
    {
        Id, Type, OccurredAt, InteractionId, Channel, Direction, Requester, GroupId, GroupName, ExternalId, Status,
        AuthorType, AuthorId, AuthorName, Public, AgentId, AgentName, Via, FromAgentId, ToAgentId, ToGroupId,
        ToGroupName, Outcome, Disposition, Notes, RecordingUrl, TranscriptUrl, Count,
    }

    /// <summary>
    /// Parses and validates one event. On failure <paramref name="error"/> names the event's
    /// <paramref name="index"/>, its id when readable, and the field.
    /// </summary>
    public bool TryParse(ReadOnlySpan<byte> utf8Json, long index, out Event? ev, out EventError? error) =>
        TryParse(utf8Json, index, into: null, out ev, out error);

    /// <summary>
    /// <see cref="TryParse(ReadOnlySpan{byte}, long, out Event?, out EventError?)"/>, the event made in
    /// <paramref name="into"/> when one is given (every field overwritten) instead of in a new instance: for a caller
    /// that copies what it needs from each event before the next, so a million events need not be a million objects
    /// (docs/performance.md, issue 18). <paramref name="into"/> is left as it was when the event is rejected.
    /// </summary>
    internal bool TryParse(ReadOnlySpan<byte> utf8Json, long index, Event? into, out Event? ev, out EventError? error)
    {
        // Set on every call (the public overload gives null), so a call that threw leaves nothing behind for the next.
        _into = into;
        var valid = Parse(utf8Json, index, out ev, out error);
        _into = null;
        return valid;
    }

    private bool Parse(ReadOnlySpan<byte> utf8Json, long index, out Event? ev, out EventError? error)
    {
        ev = null;
        error = null;
        Array.Clear(_slots);
        _reqId = _reqName = _reqContact = default;
        _where = null;
        _idStart = -1;
        if (_names.Count > 0)
        {
            _names.Clear();
        }

        try
        {
            var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = 64 });
            if (!reader.Read())
            {
                error = new EventError(index, null, null, "is empty");
                return false;
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                error = new EventError(index, null, null, "must be a JSON object");
                return false;
            }

            ReadObject(ref reader);
            if (reader.Read())
            {
                error = new EventError(index, null, null, "has text after the JSON object");
                return false;
            }
        }
        catch (JsonException ex)
        {
            error = new EventError(index, ErrorId(), null, $"is not valid JSON: {Trim(ex.Message)}");
            return false;
        }
        catch (BadTextException ex)
        {
            error = new EventError(index, ErrorId(), ex.Field, ex.Message);
            return false;
        }
        catch (InvalidOperationException)
        {
            // Utf8JsonReader checks UTF-8 (and the surrogates of \u escapes) only when it transcodes a string, which
            // is when a value is read: so the member being read is the one at fault.
            error = new EventError(index, ErrorId(), _where,
                "holds bytes that are not UTF-8 or an escaped lone surrogate (such as \"\\ud800\")");
            return false;
        }

        return Validate(index, out ev, out error);
    }

    /// <summary>Parses UTF-16 JSON text (tests and small callers).</summary>
    public bool TryParse(string json, long index, out Event? ev, out EventError? error) =>
        TryParse(Encoding.UTF8.GetBytes(json), index, out ev, out error);

    private static string Trim(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    private string? ErrorId() => _slots[(int)F.Id] is { Kind: JsonTokenType.String, Str: { } id } ? ErrorText.Cap(id) : null;

    private void ReadObject(ref Utf8JsonReader reader)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            _where = null;
            var field = Lookup(ref reader);
            if (field == F.Count)
            {
                // An ignored member is still checked: its name once per object, its value for UTF-8 and U+0000.
                _where = Member(ref reader, _names, prefix: null);
                reader.Read();
                Walk(ref reader);
                continue;
            }

            _where = Names[(int)field];
            if (_slots[(int)field].Present)
            {
                throw new BadTextException(_where, "is given twice in the object");
            }

            reader.Read();

            if (field == F.OccurredAt && TryTimestamp(ref reader, out var ms))
            {
                // The common case, parsed from the bytes without making a string; anything unusual (escapes,
                // non-ASCII, a bad timestamp) takes the string path, whose error message quotes the text.
                _slots[(int)F.OccurredAt] = new Slot { Present = true, Kind = JsonTokenType.String, Ms = ms, HasMs = true };
                continue;
            }

            if (field == F.Requester && reader.TokenType == JsonTokenType.StartObject)
            {
                _slots[(int)F.Requester] = new Slot { Present = true, Kind = JsonTokenType.StartObject };
                ReadRequester(ref reader);
                continue;
            }

            _slots[(int)field] = Capture(ref reader, Interned(field));
        }
    }

    private static bool TryTimestamp(ref Utf8JsonReader reader, out long ms)
    {
        ms = 0;
        return reader.TokenType == JsonTokenType.String && !reader.HasValueSequence && !reader.ValueIsEscaped
            && Ascii.IsValid(reader.ValueSpan) && Rfc3339.TryParse(reader.ValueSpan, out ms) && Rfc3339.InRange(ms);
    }

    private void ReadRequester(ref Utf8JsonReader reader)
    {
        HashSet<string>? names = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            _where = "requester";
            ref var slot = ref Unsafe(ref reader);
            if (System.Runtime.CompilerServices.Unsafe.IsNullRef(ref slot))
            {
                _where = Member(ref reader, names ??= new HashSet<string>(StringComparer.Ordinal), prefix: "requester.");
                reader.Read();
                Walk(ref reader);
                continue;
            }

            _where = RequesterName(ref slot);
            if (slot.Present)
            {
                throw new BadTextException(_where, "is given twice in the object");
            }

            reader.Read();
            slot = Capture(ref reader, intern: true);
        }
    }

    private string RequesterName(ref Slot slot) =>
        System.Runtime.CompilerServices.Unsafe.AreSame(ref slot, ref _reqId) ? "requester.id"
        : System.Runtime.CompilerServices.Unsafe.AreSame(ref slot, ref _reqName) ? "requester.name" : "requester.contact";

    /// <summary>The name of an ignored member, checked: valid text, no U+0000, not given before in its object.</summary>
    private static string Member(ref Utf8JsonReader reader, HashSet<string> seen, string? prefix)
    {
        var name = CheckedString(ref reader, prefix?.TrimEnd('.'));
        var field = prefix + name;
        if (!seen.Add(name))
        {
            throw new BadTextException(ErrorText.Cap(field), "is given twice in the object");
        }

        return ErrorText.Cap(field);
    }

    /// <summary>
    /// Reads past an ignored value (or one of the wrong type), checking every string in it as an event's own
    /// strings are checked, and every object in it for a member name given twice: SPEC §1 rejects such an event
    /// whichever part holds the fault. Only ignored values take this path, so the usual event pays nothing for it.
    /// </summary>
    private void Walk(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                CheckedString(ref reader, _where);
                break;
            case JsonTokenType.StartArray:
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    Walk(ref reader);
                }

                break;
            case JsonTokenType.StartObject:
                HashSet<string>? names = null;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = CheckedString(ref reader, _where);
                    if (!(names ??= new HashSet<string>(StringComparer.Ordinal)).Add(name))
                    {
                        throw new BadTextException(_where, $"has the member {ErrorText.Quote(name)} twice in one object");
                    }

                    reader.Read();
                    Walk(ref reader);
                }

                break;
        }
    }

    /// <summary>A string token's text; throws for U+0000 (only an escape can give it: a raw one is not JSON).</summary>
    private static string CheckedString(ref Utf8JsonReader reader, string? field)
    {
        var s = reader.GetString()!;
        if (reader.ValueIsEscaped && s.Contains('\0', StringComparison.Ordinal))
        {
            throw new BadTextException(field, NulProblem);
        }

        return s;
    }

    private const string NulProblem = "must not contain U+0000 (\"\\u0000\"): no store can keep it alike";

    private ref Slot Unsafe(ref Utf8JsonReader reader)
    {
        if (reader.ValueTextEquals("id"u8))
        {
            return ref _reqId;
        }

        if (reader.ValueTextEquals("name"u8))
        {
            return ref _reqName;
        }

        if (reader.ValueTextEquals("contact"u8))
        {
            return ref _reqContact;
        }

        return ref System.Runtime.CompilerServices.Unsafe.NullRef<Slot>();
    }

    private static bool Interned(F field) => field is not (F.Id or F.OccurredAt or F.Notes or F.Disposition
        or F.RecordingUrl or F.TranscriptUrl or F.ExternalId);

    private Slot Capture(ref Utf8JsonReader reader, bool intern)
    {
        var slot = new Slot { Present = true, Kind = reader.TokenType };
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                slot.Str = intern ? Pooled(ref reader) : reader.GetString();
                if (reader.ValueIsEscaped && slot.Str!.Contains('\0', StringComparison.Ordinal))
                {
                    throw new BadTextException(_where, NulProblem);
                }

                break;
            case JsonTokenType.True:
            case JsonTokenType.False:
                slot.Bool = reader.TokenType == JsonTokenType.True;
                break;
            case JsonTokenType.StartObject:
            case JsonTokenType.StartArray:
                Walk(ref reader);
                break;
        }

        return slot;
    }

    /// <summary>
    /// The string value, shared with recent events that had the same text. The common case (not escaped, in one
    /// segment, at most <see cref="InlineKey.Size"/> bytes: types, interaction and agent ids, names) is looked up by
    /// its UTF-8 bytes in a direct-mapped cache that holds those bytes in the entry itself: no transcoding, no pointer
    /// to follow, no copy of the bytes. Those values repeat within a short stretch of the stream (an interaction's
    /// events, an agent's). Anything else (longer values, mostly unique: contacts, URLs) is read as it is: a pool of
    /// every distinct string, kept here before, cost more than it saved — a lookup in a table of a million strings for each
    /// unique value, and every string kept alive to the end (docs/performance.md, issue 18).
    /// </summary>
    private string Pooled(ref Utf8JsonReader reader)
    {
        if (reader.HasValueSequence || reader.ValueIsEscaped || reader.ValueSpan.Length > InlineKey.Size)
        {
            return reader.GetString()!;
        }

        var key = InlineKey.Of(reader.ValueSpan);
        ref var entry = ref _recent[key.Hash() & (RecentSize - 1)];
        if (entry.Text is { } known && entry.Key.Same(key))
        {
            return known;
        }

        // GetString checks that the bytes are UTF-8; a hit compares with bytes that were checked when they came in.
        var s = reader.GetString()!;
        entry = new RecentEntry(key, s);
        return s;
    }

    /// <summary>
    /// <see cref="Pooled(ref Utf8JsonReader)"/> for a value of at most <see cref="InlineKey.Size"/> bytes that the
    /// scanner has found unescaped and checked to be UTF-8 (<see cref="TryParseHeld"/>): the same cache, the same string.
    /// </summary>
    private string Recent(ReadOnlySpan<byte> utf8)
    {
        var key = InlineKey.Of(utf8);
        ref var entry = ref _recent[key.Hash() & (RecentSize - 1)];
        if (entry.Text is { } known && entry.Key.Same(key))
        {
            return known;
        }

        var s = Encoding.UTF8.GetString(utf8);
        entry = new RecentEntry(key, s);
        return s;
    }

    /// <summary>A short UTF-8 value held in three words (zero-padded) and its length: compared and hashed in place.</summary>
    private readonly struct InlineKey
    {
        public const int Size = 24;
        private readonly ulong _a;
        private readonly ulong _b;
        private readonly ulong _c;
        private readonly int _length;

        private InlineKey(ulong a, ulong b, ulong c, int length)
        {
            _a = a;
            _b = b;
            _c = c;
            _length = length;
        }

        public static InlineKey Of(ReadOnlySpan<byte> bytes) => bytes.Length switch
        {
            // Read in place, word by word, the last word zero-padded: no copy into a padded buffer (a call per value).
            < 8 => new InlineKey(Word(bytes), 0, 0, bytes.Length),
            < 16 => new InlineKey(BinaryPrimitives.ReadUInt64LittleEndian(bytes), Word(bytes[8..]), 0, bytes.Length),
            _ => new InlineKey(BinaryPrimitives.ReadUInt64LittleEndian(bytes), BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]), Word(bytes[16..]), bytes.Length),
        };

        /// <summary>Up to 8 bytes as a little-endian word, zero-padded.</summary>
        private static ulong Word(ReadOnlySpan<byte> bytes)
        {
            if (bytes.Length >= 8)
            {
                return BinaryPrimitives.ReadUInt64LittleEndian(bytes);
            }

            ulong word = 0;
            for (var i = bytes.Length - 1; i >= 0; i--)
            {
                word = (word << 8) | bytes[i];
            }

            return word;
        }

        public bool Same(InlineKey other) => _a == other._a && _b == other._b && _c == other._c && _length == other._length;

        public uint Hash()
        {
            var h = ((_a * 0x9E3779B97F4A7C15UL) ^ (_b * 0xFF51AFD7ED558CCDUL) ^ (_c * 0xC4CEB9FE1A85EC53UL) ^ (ulong)_length) * 0x9E3779B97F4A7C15UL;
            return (uint)(h >> 32);
        }
    }

    private readonly record struct RecentEntry(InlineKey Key, string Text);

    private static F Lookup(ref Utf8JsonReader reader)
    {
        ReadOnlySpan<byte> name;
        byte[]? rented = null;
        if (reader.HasValueSequence || reader.ValueIsEscaped)
        {
            var len = reader.HasValueSequence ? (int)reader.ValueSequence.Length : reader.ValueSpan.Length;
            if (len > 64)
            {
                return F.Count;
            }

            rented = ArrayPool<byte>.Shared.Rent(len);
            var n = reader.CopyString(rented);
            name = rented.AsSpan(0, n);
        }
        else
        {
            name = reader.ValueSpan;
        }

        var f = FieldOf(name);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        return f;
    }

    private static F FieldOf(ReadOnlySpan<byte> n) => n.Length switch
    {
        2 when n.SequenceEqual("id"u8) => F.Id,
        4 when n.SequenceEqual("type"u8) => F.Type,
        5 when n.SequenceEqual("notes"u8) => F.Notes,
        3 when n.SequenceEqual("via"u8) => F.Via,
        6 when n.SequenceEqual("status"u8) => F.Status,
        6 when n.SequenceEqual("public"u8) => F.Public,
        7 when n.SequenceEqual("channel"u8) => F.Channel,
        7 when n.SequenceEqual("outcome"u8) => F.Outcome,
        8 when n.SequenceEqual("agent_id"u8) => F.AgentId,
        8 when n.SequenceEqual("group_id"u8) => F.GroupId,
        9 when n.SequenceEqual("direction"u8) => F.Direction,
        9 when n.SequenceEqual("requester"u8) => F.Requester,
        9 when n.SequenceEqual("author_id"u8) => F.AuthorId,
        10 when n.SequenceEqual("agent_name"u8) => F.AgentName,
        10 when n.SequenceEqual("group_name"u8) => F.GroupName,
        11 when n.SequenceEqual("occurred_at"u8) => F.OccurredAt,
        11 when n.SequenceEqual("external_id"u8) => F.ExternalId,
        11 when n.SequenceEqual("author_type"u8) => F.AuthorType,
        11 when n.SequenceEqual("author_name"u8) => F.AuthorName,
        11 when n.SequenceEqual("to_agent_id"u8) => F.ToAgentId,
        11 when n.SequenceEqual("to_group_id"u8) => F.ToGroupId,
        11 when n.SequenceEqual("disposition"u8) => F.Disposition,
        13 when n.SequenceEqual("from_agent_id"u8) => F.FromAgentId,
        13 when n.SequenceEqual("to_group_name"u8) => F.ToGroupName,
        13 when n.SequenceEqual("recording_url"u8) => F.RecordingUrl,
        14 when n.SequenceEqual("interaction_id"u8) => F.InteractionId,
        14 when n.SequenceEqual("transcript_url"u8) => F.TranscriptUrl,
        _ => F.Count,
    };

    private struct Slot
    {
        public bool Present;
        public JsonTokenType Kind;
        public string? Str;
        public bool Bool;
        public bool HasMs;
        public long Ms;
    }
}
