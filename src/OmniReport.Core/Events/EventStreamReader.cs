namespace OmniReport.Core.Events;

/// <summary>Receives one event's JSON text and its index (NDJSON: zero-based line number; array: position).</summary>
public delegate void RecordHandler(long index, ReadOnlySpan<byte> json);

/// <summary>
/// Splits a stream of events into records without holding the stream in memory: NDJSON line by line
/// (blank lines skipped), or, when the first non-blank byte is <c>[</c>, a JSON array element by element.
/// </summary>
public static class EventStreamReader
{
    private const int ChunkSize = 1 << 16;

    /// <summary>Reads every record of <paramref name="input"/>.</summary>
    /// <exception cref="InvalidDataException">The JSON array is not well formed at its top level.</exception>
    public static void Read(Stream input, RecordHandler handler)
    {
        var buffer = new Buffer(input);
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

    private static void ReadLines(Buffer b, RecordHandler handler)
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
                handler(line, text);
            }

            line++;
            b.Start = Math.Min(nl + 1, b.Length);
            if (nl >= b.Length && !b.Fill())
            {
                return;
            }
        }
    }

    private static void ReadArray(Buffer b, RecordHandler handler)
    {
        b.Start++; // '['
        long index = 0;
        while (true)
        {
            if (!b.SkipWhitespace())
            {
                throw new InvalidDataException("the JSON array is not closed with ]");
            }

            if (b.Current == (byte)']' && index == 0)
            {
                b.Start++;
                break;
            }

            var end = b.ScanValue();
            handler(index++, b.Slice(end));
            b.Start = end;
            if (!b.SkipWhitespace())
            {
                throw new InvalidDataException("the JSON array is not closed with ]");
            }

            var c = b.Current;
            b.Start++;
            if (c == (byte)']')
            {
                break;
            }

            if (c != (byte)',')
            {
                throw new InvalidDataException($"expected , or ] after array element {index - 1}");
            }
        }

        if (b.SkipWhitespace())
        {
            throw new InvalidDataException("unexpected text after the JSON array");
        }
    }

    /// <summary>A refillable window over the stream: bytes [Start, Length) are unread.</summary>
    private sealed class Buffer(Stream input)
    {
        private byte[] _data = new byte[ChunkSize];
        private bool _eof;

        public int Start { get; set; }

        public int Length { get; private set; }

        public long LinesSkipped { get; private set; }

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
        public int ScanValue()
        {
            var depth = 0;
            var inString = false;
            var escape = false;
            var i = Start;
            while (true)
            {
                for (; i < Length; i++)
                {
                    var c = _data[i];
                    if (inString)
                    {
                        if (escape)
                        {
                            escape = false;
                        }
                        else if (c == (byte)'\\')
                        {
                            escape = true;
                        }
                        else if (c == (byte)'"')
                        {
                            inString = false;
                            if (depth == 0)
                            {
                                return i + 1;
                            }
                        }

                        continue;
                    }

                    switch (c)
                    {
                        case (byte)'"':
                            inString = true;
                            break;
                        case (byte)'{' or (byte)'[':
                            depth++;
                            break;
                        case (byte)'}' or (byte)']':
                            if (depth == 0)
                            {
                                return i; // end of the enclosing array: a scalar ended here
                            }

                            if (--depth == 0)
                            {
                                return i + 1;
                            }

                            break;
                        case (byte)',' or (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' when depth == 0:
                            return i;
                    }
                }

                var offset = i - Start;
                if (!Fill())
                {
                    throw new InvalidDataException("the JSON array ends inside an element");
                }

                i = Start + offset;
            }
        }
    }
}
