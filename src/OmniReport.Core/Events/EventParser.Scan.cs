using System.Buffers;
using System.Text;
using System.Text.Json;

namespace OmniReport.Core.Events;

public sealed partial class EventParser
{
    // What ends a string value the scanner can take as it is: its closing quote; or an escape or a raw control
    // character (which JSON forbids), on which it gives up.
    private static readonly SearchValues<byte> StringStops = SearchValues.Create(
        [(byte)'"', (byte)'\\', 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31]);

    // Where the scanner found the event id (printable ASCII, 1–128 bytes, so valid as it is); -1 when it did not.
    private int _idStart = -1;
    private int _idLength;

    /// <summary>Events <see cref="TryParseHeld"/> read with the scanner, without the full parser (tests look at it).</summary>
    internal long Scanned { get; private set; }

    /// <summary>
    /// <c>derive</c>'s entry: what <see cref="TryParse(ReadOnlySpan{byte}, long, Event?, out Event?, out EventError?)"/>
    /// gives, with the event's id given as its UTF-8 bytes instead of as <see cref="Event.Id"/> when it can be. The event
    /// is made in <paramref name="into"/> when one is given. When <paramref name="idStart"/> is 0 or more, the id is
    /// <c>utf8Json[idStart..(idStart + idLength)]</c> (as written, no escape in it) and the event's
    /// <see cref="Event.Id"/> is empty; when it is -1, the id is <see cref="Event.Id"/>.
    /// </summary>
    /// <remarks>
    /// Most events take a scanner made for their usual shape (docs/performance.md, issue 18, seventh part): known members
    /// only, each once, string values without escapes, <c>true</c>/<c>false</c>/<c>null</c>, a requester object of id,
    /// name and contact. It fills the same slots the full parser fills, and the same validation makes the event from them.
    /// Anything else — an unknown member, an escape, a number, a member given twice, bytes that are not UTF-8, text after
    /// the object, an event the validation rejects — is read again by the full parser, so every rejection, its message and
    /// every unusual event are the full parser's own.
    /// </remarks>
    internal bool TryParseHeld(ReadOnlySpan<byte> utf8Json, long index, Event? into, out Event? ev, out EventError? error,
        out int idStart, out int idLength)
    {
        _into = into;
        try
        {
            if (TryScan(utf8Json) && Validate(index, out ev, out error))
            {
                Scanned++;
                (idStart, idLength) = (_idStart, _idLength);
                return true;
            }

            (idStart, idLength) = (-1, 0);
            return Parse(utf8Json, index, out ev, out error);
        }
        finally
        {
            _into = null;
            _idStart = -1;
        }
    }

    /// <summary>
    /// Reads an event of the usual shape into the slots exactly as <see cref="ReadObject"/> would; false (the slots then
    /// mean nothing) at the first thing it does not take, which the full parser then reads.
    /// </summary>
    private bool TryScan(ReadOnlySpan<byte> s)
    {
        Array.Clear(_slots);
        _reqId = _reqName = _reqContact = default;
        _idStart = -1;
        var i = Blank(s, 0);
        if (i >= s.Length || s[i] != (byte)'{')
        {
            return false;
        }

        i = Blank(s, i + 1);
        while (true)
        {
            if (!Name(s, ref i, out var name))
            {
                return false;
            }

            var field = FieldOf(name);
            if (field == F.Count || _slots[(int)field].Present)
            {
                return false;
            }

            ref var slot = ref _slots[(int)field];
            if (i >= s.Length)
            {
                return false;
            }

            switch (s[i])
            {
                case (byte)'"':
                    var start = i + 1;
                    if (!Text(s, ref i, out var text))
                    {
                        return false;
                    }

                    if (field == F.Id)
                    {
                        // Printable ASCII (the usual id) passes the id's checks as it is: no string needed.
                        if (text.Length is 0 or > MaxIdLength || text.ContainsAnyExceptInRange((byte)' ', (byte)'~'))
                        {
                            return false;
                        }

                        (_idStart, _idLength) = (start, text.Length);
                        slot = new Slot { Present = true, Kind = JsonTokenType.String };
                    }
                    else if (field == F.OccurredAt && Ascii.IsValid(text) && Rfc3339.TryParse(text, out var ms) && Rfc3339.InRange(ms))
                    {
                        slot = new Slot { Present = true, Kind = JsonTokenType.String, Ms = ms, HasMs = true };
                    }
                    else if (field == F.Requester)
                    {
                        return false;
                    }
                    else
                    {
                        slot = new Slot
                        {
                            Present = true, Kind = JsonTokenType.String,
                            Str = Interned(field) && text.Length <= InlineKey.Size ? Recent(text) : Encoding.UTF8.GetString(text),
                        };
                    }

                    break;
                case (byte)'{' when field == F.Requester:
                    i++;
                    if (!Requester(s, ref i))
                    {
                        return false;
                    }

                    slot = new Slot { Present = true, Kind = JsonTokenType.StartObject };
                    break;
                default:
                    if (!Literal(s, ref i, out slot))
                    {
                        return false;
                    }

                    break;
            }

            i = Blank(s, i);
            if (i >= s.Length)
            {
                return false;
            }

            if (s[i] == (byte)'}')
            {
                // Blanks alone may follow the object.
                return Blank(s, i + 1) == s.Length;
            }

            if (s[i] != (byte)',')
            {
                return false;
            }

            i = Blank(s, i + 1);
        }
    }

    /// <summary>The requester object after its <c>{</c>: id, name and contact, each a string or null, each at most once.</summary>
    private bool Requester(ReadOnlySpan<byte> s, ref int i)
    {
        i = Blank(s, i);
        if (i < s.Length && s[i] == (byte)'}')
        {
            i++;
            return true;
        }

        while (true)
        {
            if (!Name(s, ref i, out var name) || i >= s.Length)
            {
                return false;
            }

            ref var slot = ref name.SequenceEqual("id"u8) ? ref _reqId
                : ref name.SequenceEqual("name"u8) ? ref _reqName
                : ref name.SequenceEqual("contact"u8) ? ref _reqContact
                : ref System.Runtime.CompilerServices.Unsafe.NullRef<Slot>();
            if (System.Runtime.CompilerServices.Unsafe.IsNullRef(ref slot) || slot.Present)
            {
                return false;
            }

            if (s[i] == (byte)'"')
            {
                if (!Text(s, ref i, out var text))
                {
                    return false;
                }

                slot = new Slot
                {
                    Present = true, Kind = JsonTokenType.String,
                    Str = text.Length <= InlineKey.Size ? Recent(text) : Encoding.UTF8.GetString(text),
                };
            }
            else if (!Literal(s, ref i, out slot) || slot.Kind != JsonTokenType.Null)
            {
                return false;
            }

            i = Blank(s, i);
            if (i >= s.Length)
            {
                return false;
            }

            if (s[i] == (byte)'}')
            {
                i++;
                return true;
            }

            if (s[i] != (byte)',')
            {
                return false;
            }

            i = Blank(s, i + 1);
        }
    }

    /// <summary>A member's name without escapes and the colon after it; <paramref name="i"/> then at its value.</summary>
    private static bool Name(ReadOnlySpan<byte> s, ref int i, out ReadOnlySpan<byte> name)
    {
        name = default;
        if (i >= s.Length || s[i] != (byte)'"' || !Quoted(s, ref i, out name))
        {
            return false;
        }

        i = Blank(s, i);
        if (i >= s.Length || s[i] != (byte)':')
        {
            return false;
        }

        i = Blank(s, i + 1);
        return true;
    }

    /// <summary>A string value without escapes or control characters, in valid UTF-8; <paramref name="i"/> then after it.</summary>
    private static bool Text(ReadOnlySpan<byte> s, ref int i, out ReadOnlySpan<byte> text) =>
        // Utf8JsonReader checks UTF-8 when it makes the string; bytes that are not UTF-8 are the full parser's to name.
        Quoted(s, ref i, out text) && (Ascii.IsValid(text) || System.Text.Unicode.Utf8.IsValid(text));

    /// <summary>
    /// The bytes between the quote at <paramref name="i"/> and the next one, when no escape or control character comes
    /// first; <paramref name="i"/> then after the closing quote. A member's name needs no UTF-8 check: only known names
    /// are taken.
    /// </summary>
    private static bool Quoted(ReadOnlySpan<byte> s, ref int i, out ReadOnlySpan<byte> text)
    {
        text = default;
        var end = s[(i + 1)..].IndexOfAny(StringStops);
        if (end < 0 || s[i + 1 + end] != (byte)'"')
        {
            return false;
        }

        text = s.Slice(i + 1, end);
        i += end + 2;
        return true;
    }

    /// <summary><c>true</c>, <c>false</c> or <c>null</c> as the full parser's slot; false for anything else (numbers too).</summary>
    private static bool Literal(ReadOnlySpan<byte> s, ref int i, out Slot slot)
    {
        var rest = s[i..];
        if (rest.StartsWith("true"u8))
        {
            slot = new Slot { Present = true, Kind = JsonTokenType.True, Bool = true };
            i += 4;
        }
        else if (rest.StartsWith("false"u8))
        {
            slot = new Slot { Present = true, Kind = JsonTokenType.False };
            i += 5;
        }
        else if (rest.StartsWith("null"u8))
        {
            slot = new Slot { Present = true, Kind = JsonTokenType.Null };
            i += 4;
        }
        else
        {
            slot = default;
            return false;
        }

        // "nullx" is not JSON: a literal ends at a blank, a comma or the end of its object.
        return i == s.Length || s[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)',' or (byte)'}';
    }

    /// <summary>The first byte at or after <paramref name="i"/> that is not JSON white space.</summary>
    private static int Blank(ReadOnlySpan<byte> s, int i)
    {
        while (i < s.Length && s[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            i++;
        }

        return i;
    }
}
