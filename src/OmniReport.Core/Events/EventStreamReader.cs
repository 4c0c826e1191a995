namespace OmniReport.Core.Events;

/// <summary>Receives one event's JSON text and its index (NDJSON: zero-based line number; array: position).</summary>
public delegate void RecordHandler(long index, ReadOnlySpan<byte> json);

/// <summary>
/// Receives one event's JSON text, its index (NDJSON: zero-based line number; array: position) and the line it
/// starts on, counted from 1 as an editor counts.
/// </summary>
public delegate void RecordLineHandler(long index, long line, ReadOnlySpan<byte> json);

/// <summary>
/// A JSON array that is not well formed at its top level. Every element before the break has been handed to
/// the handler; nothing after it is read (a JSON array has no line ends to find the next element by).
/// </summary>
public sealed class BrokenArrayException : Exception
{
    /// <summary>Creates the exception.</summary>
    public BrokenArrayException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public BrokenArrayException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public BrokenArrayException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Creates the exception for the element at <paramref name="index"/>, starting on <paramref name="line"/>.</summary>
    public BrokenArrayException(string message, long index, long line)
        : base(message)
    {
        Index = index;
        Line = line;
    }

    /// <summary>The position of the element where the array breaks (the number of elements read before it).</summary>
    public long Index { get; }

    /// <summary>The line (from 1) where that element starts, or where the break is when no element started.</summary>
    public long Line { get; }
}

/// <summary>
/// Splits a stream of events into records without holding the stream in memory: NDJSON line by line
/// (blank lines skipped), or, when the first non-blank byte is <c>[</c>, a JSON array element by element.
/// </summary>
public static class EventStreamReader
{
    private const int ChunkSize = 1 << 16;

    /// <summary>Reads every record of <paramref name="input"/>.</summary>
    /// <exception cref="BrokenArrayException">The JSON array is not well formed at its top level.</exception>
    public static void Read(Stream input, RecordHandler handler) => Read(input, (index, _, json) => handler(index, json));

    /// <summary>Reads every record of <paramref name="input"/>, with the line each starts on.</summary>
    /// <exception cref="BrokenArrayException">The JSON array is not well formed at its top level.</exception>
    public static void Read(Stream input, RecordLineHandler handler)
    {
        var buffer = new Buffer(input);
        buffer.SkipByteOrderMark();
        if (!buffer.SkipWhitespace())
        {
            return;
        }

        if (buffer.Current == (byte)'[')
        {
            ReadArray(buffer, handler);
        }
        else
        {
            ReadLines(buffer, handler);
        }
    }

    private static void ReadLines(Buffer b, RecordLineHandler handler)
    {
        long line = b.LinesSkipped;
        while (true)
        {
            var nl = b.IndexOfNewline();
            if (nl < 0)
            {
                if (b.Fill())
                {
                    continue;
                }

                nl = b.Length; // last line without a newline
                if (nl == b.Start)
                {
                    return;
                }
            }

            var text = b.Slice(nl);
            if (text.Length > 0 && text[^1] == (byte)'\r')
            {
                text = text[..^1];
            }

            if (!text.Trim(" \t\r"u8).IsEmpty)
            {
                handler(line, line + 1, text);
            }

            line++;
            b.Start = Math.Min(nl + 1, b.Length);
            if (nl >= b.Length && !b.Fill())
            {
                return;
            }
        }
    }

    private static void ReadArray(Buffer b, RecordLineHandler handler)
    {
        b.Start++; // '['
        long index = 0;
        while (true)
        {
            if (!b.SkipWhitespace())
            {
                throw new BrokenArrayException("the JSON array is not closed with ]", index, b.LinesSkipped + 1);
            }

            if (b.Current == (byte)']' && index == 0)
            {
                b.Start++;
                break;
            }

            var line = b.LinesSkipped + 1;
            var end = b.ScanValue(index, line);
            var json = b.Slice(end);
            handler(index++, line, json);
            b.LinesSkipped += json.Count((byte)'\n');
            b.Start = end;
            if (!b.SkipWhitespace())
            {
                throw new BrokenArrayException("the JSON array is not closed with ]", index, b.LinesSkipped + 1);
            }

            var c = b.Current;
            b.Start++;
            if (c == (byte)']')
            {
                break;
            }

            if (c != (byte)',')
            {
                throw new BrokenArrayException($"expected , or ] after array element {index - 1}", index, b.LinesSkipped + 1);
            }
        }

        if (b.SkipWhitespace())
        {
            throw new BrokenArrayException("unexpected text after the JSON array", index, b.LinesSkipped + 1);
        }
    }

    /// <summary>A refillable window over the stream: bytes [Start, Length) are unread.</summary>
    private sealed class Buffer(Stream input)
    {
        private byte[] _data = new byte[ChunkSize];
        private bool _eof;

        public int Start { get; set; }

        public int Length { get; private set; }

        public long LinesSkipped { get; set; }

        public byte Current => _data[Start];

        public ReadOnlySpan<byte> Slice(int end) => _data.AsSpan(Start, end - Start);

        /// <summary>Reads more bytes, keeping the unread ones; false at the end of the stream.</summary>
        public bool Fill()
        {
            if (_eof)
            {
                return false;
            }

            if (Start > 0)
            {
                Array.Copy(_data, Start, _data, 0, Length - Start);
                Length -= Start;
                Start = 0;
            }

            if (Length == _data.Length)
            {
                Array.Resize(ref _data, _data.Length * 2);
            }

            var n = input.Read(_data, Length, _data.Length - Length);
            if (n == 0)
            {
                _eof = true;
                return false;
            }

            Length += n;
            return true;
        }

        /// <summary>Skips a UTF-8 byte-order mark at the start of the stream (SPEC §1).</summary>
        public void SkipByteOrderMark()
        {
            while (Length < 3 && Fill())
            {
            }

            if (_data.AsSpan(0, Length).StartsWith("\uFEFF"u8))
            {
                Start = 3;
            }
        }

        public int IndexOfNewline()
        {
            var i = _data.AsSpan(Start, Length - Start).IndexOf((byte)'\n');
            return i < 0 ? -1 : Start + i;
        }

        /// <summary>Moves past white space (counting newlines); false when the stream ends first.</summary>
        public bool SkipWhitespace()
        {
            while (true)
            {
                while (Start < Length)
                {
                    var c = _data[Start];
                    if (c is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
                    {
                        return true;
                    }

                    if (c == (byte)'\n')
                    {
                        LinesSkipped++;
                    }

                    Start++;
                }

                if (!Fill())
                {
                    return false;
                }
            }
        }

        /// <summary>Finds the end of the JSON value at Start (an object, array, string or scalar).</summary>
        public int ScanValue(long index, long line)
        {
            var scanner = default(ValueScanner);
            var i = Start;
            while (true)
            {
                var end = scanner.Scan(_data.AsSpan(0, Length), ref i);
                if (end >= 0)
                {
                    return end;
                }

                var offset = i - Start;
                if (!Fill())
                {
                    throw new BrokenArrayException("the JSON array ends inside an element", index, line);
                }

                i = Start + offset;
            }
        }
    }
}
