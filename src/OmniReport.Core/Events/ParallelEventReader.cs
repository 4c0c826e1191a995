using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using System.Text;

namespace OmniReport.Core.Events;

/// <summary>
/// Receives one record of the input, parsed and validated, in input order: its index (NDJSON: zero-based line
/// number; array: position), the line it starts on (from 1), and either the event or why it was rejected.
/// </summary>
public delegate void ParsedRecordHandler(long index, long line, Event? ev, EventError? error);

/// <summary>
/// <see cref="ParsedRecordHandler"/> for <see cref="ParallelEventReader.ReadHeld"/>: the event's id comes as its UTF-8 bytes
/// in <paramref name="idUtf8"/> (valid only during the call), and the event's <see cref="Event.Id"/> is not to be read.
/// </summary>
public delegate void HeldRecordHandler(long index, long line, Event? ev, ReadOnlySpan<byte> idUtf8, EventError? error);

/// <summary>Where one event's JSON text lies in a body held in memory, and its index (as <see cref="EventArray"/> and an NDJSON split give it).</summary>
/// <param name="Index">Zero-based position in the batch (NDJSON: line number).</param>
/// <param name="Start">Offset of the text.</param>
/// <param name="Length">Length of the text in bytes.</param>
public readonly record struct EventRecord(long Index, int Start, int Length);

/// <summary>
/// The front end of every path that takes events in bulk (<c>derive</c>, <c>import</c>, HTTP ingest): the input is cut
/// into chunks — NDJSON on line ends, a JSON array element by element — the chunks are parsed and validated on
/// every core, each worker with its own <see cref="EventParser"/>, and the results are handed to the caller's
/// handler on the caller's thread in input order, exactly as the one-thread path (<see cref="EventStreamReader"/>
/// and one parser) gives them: the same events, the same rejections with the same messages and lines.
/// </summary>
/// <remarks>
/// Memory is bounded: at most a few chunks per worker are read ahead of the handler. A worker finds the lines of
/// its own chunk while it parses them, so no thread makes a second pass over the bytes; the reader only looks
/// for the last line end of each chunk.
/// </remarks>
public static class ParallelEventReader
{
    /// <summary>Bytes of NDJSON per chunk (about 6,000 generated events).</summary>
    public const int DefaultChunkBytes = 1 << 20;

    /// <summary>Records of a body held in memory per chunk.</summary>
    private const int RecordsPerChunk = 512;

    /// <summary>The number of workers that "one per core" means here.</summary>
    public static int DefaultWorkers => Environment.ProcessorCount;

    /// <summary>
    /// Reads every record of <paramref name="input"/> (NDJSON, or a JSON array when the first non-blank byte is
    /// <c>[</c>; a UTF-8 byte-order mark is skipped), parsing on <paramref name="workers"/> threads; 1 is the
    /// one-thread path, with no thread started.
    /// </summary>
    /// <param name="input">The events.</param>
    /// <param name="workers">Parse threads; 1 is the one-thread path.</param>
    /// <param name="handler">Takes each record, in input order, on the caller's thread.</param>
    /// <param name="chunkBytes">Bytes of NDJSON per chunk.</param>
    /// <param name="reuseEvents">
    /// True when the handler keeps no event after it returns (it copies what it needs, as <c>derive</c> does): the
    /// events are then made in a few instances refilled again and again, not each in a new object that the collector
    /// must find, promote while it waits for its turn, and clear (docs/performance.md, issue 18). An event handed over
    /// is not changed while the handler runs.
    /// </param>
    /// <exception cref="BrokenArrayException">The JSON array is not well formed at its top level; every element before the break has been handed over.</exception>
    public static void Read(Stream input, int workers, ParsedRecordHandler handler, int chunkBytes = DefaultChunkBytes, bool reuseEvents = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkBytes, 16);
        if (workers <= 1)
        {
            var parser = new EventParser();
            Event? spare = null;
            EventStreamReader.Read(input, (index, line, json) =>
            {
                parser.TryParse(json, index, spare, out var ev, out var error);
                handler(index, line, ev, error);
                if (reuseEvents && ev is not null)
                {
                    spare = ev;
                }
            });
            return;
        }

        using var pipeline = new Pipeline(workers, reuseEvents ? Mode.Reused : Mode.New);
        pipeline.Run(() => Cut(input, chunkBytes, pipeline), (index, line, ev, _, error) => handler(index, line, ev, error));
    }

    /// <summary>
    /// <see cref="Read"/> for <c>derive</c>, whose handler copies what it keeps (<c>AccountDerivation.Add(Event, ReadOnlySpan&lt;byte&gt;)</c>):
    /// events refilled as with <c>reuseEvents</c>, each event's id handed over as its UTF-8 bytes (no string per event,
    /// <see cref="Event.Id"/> not set), and events of the usual shape read by the parser's scanner, anything else by the
    /// full parser (<see cref="EventParser"/>) — the same events, rejections, messages and lines as <see cref="Read"/>
    /// gives (docs/performance.md, issue 18, seventh part).
    /// </summary>
    /// <exception cref="BrokenArrayException">The JSON array is not well formed at its top level; every element before the break has been handed over.</exception>
    public static void ReadHeld(Stream input, int workers, HeldRecordHandler handler, int chunkBytes = DefaultChunkBytes)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkBytes, 16);
        if (workers <= 1)
        {
            var parser = new EventParser();
            Event? spare = null;
            var ids = new byte[256];
            EventStreamReader.Read(input, (index, line, json) =>
            {
                parser.TryParseHeld(json, index, spare, out var ev, out var error, out var idStart, out var idLength);
                if (ev is null)
                {
                    handler(index, line, null, default, error);
                    return;
                }

                spare = ev;
                if (idStart < 0)
                {
                    // Read by the full parser: its id is a string, encoded once here (the buffer may grow first).
                    idLength = Results.Encode(ev.Id, ref ids, 0);
                    handler(index, line, ev, ids.AsSpan(0, idLength), null);
                    return;
                }

                handler(index, line, ev, json.Slice(idStart, idLength), null);
            });
            return;
        }

        using var pipeline = new Pipeline(workers, Mode.Held);
        pipeline.Run(() => Cut(input, chunkBytes, pipeline), handler);
    }

    /// <summary>
    /// Parses the records of a body held in memory, already split (HTTP ingest), on up to <paramref name="workers"/>
    /// thread-pool threads when there are enough of them to pay for it; the handler sees them in order.
    /// </summary>
    public static void Parse(ReadOnlyMemory<byte> body, IReadOnlyList<EventRecord> records, int workers, ParsedRecordHandler handler)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(handler);
        var chunks = (records.Count + RecordsPerChunk - 1) / RecordsPerChunk;
        if (workers <= 1 || chunks < 2)
        {
            var parser = new EventParser();
            foreach (var r in records)
            {
                parser.TryParse(body.Span.Slice(r.Start, r.Length), r.Index, out var ev, out var error);
                handler(r.Index, r.Index + 1, ev, error);
            }

            return;
        }

        // The body is in memory already, so the results can be too: one slot per record, filled in parallel.
        var events = new Event?[records.Count];
        var errors = new EventError?[records.Count];
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = workers }, () => new EventParser(), (c, _, parser) =>
        {
            var end = Math.Min(records.Count, (c + 1) * RecordsPerChunk);
            for (var i = c * RecordsPerChunk; i < end; i++)
            {
                var r = records[i];
                parser.TryParse(body.Span.Slice(r.Start, r.Length), r.Index, out events[i], out errors[i]);
            }

            return parser;
        }, _ => { });
        for (var i = 0; i < records.Count; i++)
        {
            handler(records[i].Index, records[i].Index + 1, events[i], errors[i]);
        }
    }

    /// <summary>The reader thread: cuts the stream into chunks and queues them, in order.</summary>
    private static void Cut(Stream input, int chunkBytes, Pipeline pipeline)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(chunkBytes);
        var length = Fill(input, buffer, 0);

        // Look far enough to see the first non-blank byte: '[' makes the input a JSON array.
        var first = FirstNonBlank(buffer.AsSpan(0, length));
        while (first < 0 && length == buffer.Length)
        {
            buffer = Grow(buffer, length);
            length = Fill(input, buffer, length);
            first = FirstNonBlank(buffer.AsSpan(0, length));
        }

        if (first >= 0 && buffer[first] == (byte)'[')
        {
            CutArray(new PrefixedStream(buffer, length, input), chunkBytes, pipeline);
            return;
        }

        while (true)
        {
            if (length < buffer.Length)
            {
                // The stream has ended: the rest is the last chunk (its last line may have no line end).
                if (length > 0)
                {
                    pipeline.Add(new Chunk(buffer, length, null));
                }
                else
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }

                return;
            }

            var cut = buffer.AsSpan(0, length).LastIndexOf((byte)'\n');
            if (cut < 0)
            {
                // One line longer than a chunk: the chunk grows until it holds the line.
                buffer = Grow(buffer, length);
                length = Fill(input, buffer, length);
                continue;
            }

            // After a long line the buffer may have grown: what follows the cut can be more than a chunk.
            var rest = length - (cut + 1);
            var next = ArrayPool<byte>.Shared.Rent(rest < chunkBytes / 2 ? chunkBytes : rest * 2);
            buffer.AsSpan(cut + 1, rest).CopyTo(next);
            pipeline.Add(new Chunk(buffer, cut + 1, null));
            buffer = next;
            length = Fill(input, buffer, rest);
        }
    }

    /// <summary>
    /// A JSON array has no line ends to cut at: its elements are found by brackets and quotes on the reader thread
    /// (<see cref="EventStreamReader"/>, far cheaper than parsing them) and copied into chunks for the workers.
    /// </summary>
    private static void CutArray(Stream input, int chunkBytes, Pipeline pipeline)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(chunkBytes);
        var records = new List<LineRecord>();
        var used = 0;
        try
        {
            EventStreamReader.Read(input, (index, line, json) =>
            {
                if (used + json.Length > buffer.Length)
                {
                    if (records.Count > 0)
                    {
                        pipeline.Add(new Chunk(buffer, used, [.. records]));
                        records.Clear();
                        buffer = ArrayPool<byte>.Shared.Rent(Math.Max(chunkBytes, json.Length));
                        used = 0;
                    }
                    else
                    {
                        buffer = Grow(buffer, 0, json.Length);
                    }
                }

                json.CopyTo(buffer.AsSpan(used));
                records.Add(new LineRecord(index, line, used, json.Length));
                used += json.Length;
            });
        }
        finally
        {
            // The elements before a break are handed over before the break itself.
            if (records.Count > 0)
            {
                pipeline.Add(new Chunk(buffer, used, [.. records]));
            }
        }
    }

    /// <summary>Reads until the buffer is full or the stream ends; the new length.</summary>
    private static int Fill(Stream input, byte[] buffer, int length)
    {
        int n;
        while (length < buffer.Length && (n = input.Read(buffer, length, buffer.Length - length)) > 0)
        {
            length += n;
        }

        return length;
    }

    private static byte[] Grow(byte[] buffer, int length, int atLeast = 0)
    {
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(buffer.Length * 2, atLeast));
        buffer.AsSpan(0, length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(buffer);
        return bigger;
    }

    private static int FirstNonBlank(ReadOnlySpan<byte> text)
    {
        var start = text.StartsWith("\uFEFF"u8) ? 3 : 0;
        var i = text[start..].IndexOfAnyExcept(" \t\r\n"u8);
        return i < 0 ? -1 : start + i;
    }

    /// <summary>Parses one chunk on a worker thread.</summary>
    private static void ParseChunk(Chunk chunk, EventParser parser)
    {
        var text = chunk.Buffer.AsSpan(0, chunk.Length);
        var results = chunk.Results;
        if (chunk.Records is { } records)
        {
            foreach (var r in records)
            {
                results.Parse(parser, text.Slice(r.Start, r.Length), r.Index, r.Line);
            }

            return;
        }

        // NDJSON: the lines of the chunk, numbered from the chunk's start; the handler's thread adds the lines of
        // the chunks before it (it alone knows them), as EventStreamReader would have counted them.
        var skip = chunk.First && text.StartsWith("\uFEFF"u8) ? 3 : 0;
        var at = skip;
        long line = 0;
        while (at < text.Length)
        {
            var nl = text[at..].IndexOf((byte)'\n');
            var end = nl < 0 ? text.Length : at + nl;
            var json = text[at..end];
            if (json.Length > 0 && json[^1] == (byte)'\r')
            {
                json = json[..^1];
            }

            if (!json.Trim(" \t\r"u8).IsEmpty)
            {
                results.Parse(parser, json, line, line + 1);
            }

            line++;
            at = end + 1;
        }

        chunk.Lines = line;
    }

    /// <summary>An element of a JSON array in a chunk: its index, its first line, and where its text lies.</summary>
    private readonly record struct LineRecord(long Index, long Line, int Start, int Length);

    /// <summary>One record's outcome; for NDJSON, index and line count from the start of the chunk. Held: where its id's bytes lie.</summary>
    private readonly record struct Parsed(long Index, long Line, Event? Event, EventError? Error, int IdAt = 0, int IdLength = 0);

    /// <summary>What a chunk's events are made in, and how their ids are handed over.</summary>
    private enum Mode
    {
        /// <summary>A new event per record, kept by the handler (import, HTTP ingest).</summary>
        New,

        /// <summary>Events refilled chunk after chunk.</summary>
        Reused,

        /// <summary>Refilled, ids as UTF-8, the parser's scanner first (<see cref="ReadHeld"/>).</summary>
        Held,
    }

    /// <summary>
    /// A chunk's outcomes, in order. Handed back after the handler has taken them all, for a later chunk: the list, and
    /// when events are reused, the event instances too (the first ones refilled, new ones made only past their number).
    /// </summary>
    private sealed class Results(Mode mode)
    {
        private readonly List<Event> _events = [];
        private int _used;

        // Held: the ids of the chunk's events, as UTF-8, one after another.
        private byte[] _ids = mode == Mode.Held ? new byte[16384] : [];
        private int _idBytes;

        public List<Parsed> Items { get; } = [];

        public void Parse(EventParser parser, ReadOnlySpan<byte> json, long index, long line)
        {
            var into = mode != Mode.New && _used < _events.Count ? _events[_used] : null;
            Event? ev;
            EventError? error;
            if (mode != Mode.Held)
            {
                parser.TryParse(json, index, into, out ev, out error);
                Items.Add(new Parsed(index, line, ev, error));
            }
            else if (parser.TryParseHeld(json, index, into, out ev, out error, out var idStart, out var idLength))
            {
                // The chunk's buffer goes back to the pool before the handler runs: the id's bytes are copied here.
                var at = _idBytes;
                if (idStart >= 0)
                {
                    json.Slice(idStart, idLength).CopyTo(Room(ref _ids, at, idLength));
                    _idBytes += idLength;
                }
                else
                {
                    _idBytes += Encode(ev!.Id, ref _ids, at);
                }

                Items.Add(new Parsed(index, line, ev, null, at, _idBytes - at));
            }
            else
            {
                Items.Add(new Parsed(index, line, null, error));
            }

            if (mode != Mode.New && ev is not null)
            {
                if (into is null)
                {
                    _events.Add(ev);
                }

                _used++;
            }
        }

        /// <summary>The id of a held record.</summary>
        public ReadOnlySpan<byte> Id(in Parsed p) => _ids.AsSpan(p.IdAt, p.IdLength);

        /// <summary>
        /// An id the full parser read (escaped, not ASCII) as UTF-8 at <paramref name="at"/>, the buffer grown when it must
        /// be; how many bytes. The parser took it from valid UTF-8, so it encodes back without loss.
        /// </summary>
        public static int Encode(string id, ref byte[] buffer, int at) =>
            Encoding.UTF8.GetBytes(id, Room(ref buffer, at, Encoding.UTF8.GetByteCount(id)));

        /// <summary><paramref name="need"/> bytes of <paramref name="buffer"/> from <paramref name="at"/>, the buffer grown when it must be.</summary>
        private static Span<byte> Room(ref byte[] buffer, int at, int need)
        {
            if (at + need > buffer.Length)
            {
                Array.Resize(ref buffer, Math.Max(buffer.Length * 2, at + need));
            }

            return buffer.AsSpan(at, need);
        }

        /// <summary>Empty again, for the next chunk.</summary>
        public void Clear()
        {
            Items.Clear();
            _used = 0;
            _idBytes = 0;
        }
    }

    private sealed class Chunk(byte[] buffer, int length, LineRecord[]? records)
    {
        public byte[] Buffer { get; } = buffer;

        public int Length { get; } = length;

        /// <summary>The array elements of the chunk; null for NDJSON (the worker finds the lines).</summary>
        public LineRecord[]? Records { get; } = records;

        /// <summary>The first chunk of the stream (whose byte-order mark is skipped).</summary>
        public bool First { get; set; }

        /// <summary>NDJSON: line ends in the chunk.</summary>
        public long Lines { get; set; }

        /// <summary>The records' outcomes, in order; handed back by an earlier chunk when there is one.</summary>
        public Results Results { get; set; } = null!;

        /// <summary>Why the stream could not be read on: handed over after every chunk before it.</summary>
        public ExceptionDispatchInfo? Failure { get; set; }

        public ManualResetEventSlim Done { get; } = new();
    }

    /// <summary>The reader thread, the workers and the queues between them and the handler's thread.</summary>
    private sealed class Pipeline(int workers, Mode mode) : IDisposable
    {
        private readonly BlockingCollection<Chunk> _work = new();

        // Bounds memory: the reader waits when this many chunks are neither parsed nor handed over.
        private readonly BlockingCollection<Chunk> _order = new(boundedCapacity: 3 * workers);
        private readonly CancellationTokenSource _stop = new();

        // The results of handed-over chunks, for the next ones: a list per chunk would be garbage by the hundred.
        private readonly ConcurrentBag<Results> _lists = [];
        private bool _first = true;

        public void Add(Chunk chunk)
        {
            chunk.First = _first;
            _first = false;
            _order.Add(chunk, _stop.Token);
            _work.Add(chunk, _stop.Token);
        }

        public void Run(Action cut, HeldRecordHandler handler)
        {
            var threads = new List<Thread>();
            for (var i = 0; i < workers; i++)
            {
                threads.Add(Start($"event parser {i + 1}", Work));
            }

            threads.Add(Start("event reader", () => Read(cut)));
            try
            {
                long lines = 0;
                foreach (var chunk in _order.GetConsumingEnumerable(_stop.Token))
                {
                    chunk.Done.Wait(_stop.Token);
                    chunk.Failure?.Throw();
                    var results = chunk.Results;
                    foreach (var p in results.Items)
                    {
                        if (chunk.Records is null)
                        {
                            var error = p.Error is null || lines == 0 ? p.Error : p.Error with { Index = p.Error.Index + lines };
                            handler(p.Index + lines, p.Line + lines, p.Event, results.Id(p), error);
                        }
                        else
                        {
                            handler(p.Index, p.Line, p.Event, results.Id(p), p.Error);
                        }
                    }

                    lines += chunk.Lines;
                    chunk.Done.Dispose();
                    if (results is not null)
                    {
                        results.Clear();
                        _lists.Add(results);
                    }
                }
            }
            finally
            {
                _stop.Cancel();
                foreach (var t in threads)
                {
                    t.Join();
                }
            }
        }

        public void Dispose()
        {
            _work.Dispose();
            _order.Dispose();
            _stop.Dispose();
        }

        private static Thread Start(string name, Action run)
        {
            // Threads of their own, not the pool's: the handler's thread blocks while they run, and a caller may
            // itself be a pool thread (import), which would leave the pool short of threads for the workers.
            var thread = new Thread(() => run()) { IsBackground = true, Name = name };
            thread.Start();
            return thread;
        }

        private void Read(Action cut)
        {
            try
            {
                cut();
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The failure takes its place in the order: everything read before it is handed over first.
                var failed = new Chunk([], 0, []) { Failure = ExceptionDispatchInfo.Capture(ex) };
                failed.Done.Set();
                try
                {
                    _order.Add(failed, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            _work.CompleteAdding();
            _order.CompleteAdding();
        }

        private void Work()
        {
            var parser = new EventParser();
            try
            {
                foreach (var chunk in _work.GetConsumingEnumerable(_stop.Token))
                {
                    try
                    {
                        chunk.Results = _lists.TryTake(out var results) ? results : new Results(mode);
                        ParseChunk(chunk, parser);
                    }
                    catch (Exception ex)
                    {
                        chunk.Failure = ExceptionDispatchInfo.Capture(ex);
                    }
                    finally
                    {
                        if (chunk.Buffer.Length > 0)
                        {
                            ArrayPool<byte>.Shared.Return(chunk.Buffer);
                        }

                        chunk.Done.Set();
                    }
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
            }
        }
    }

    /// <summary>The bytes already read to look at the start of the input, then the rest of it.</summary>
    private sealed class PrefixedStream(byte[] prefix, int length, Stream rest) : Stream
    {
        private int _at;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_at < length)
            {
                var n = Math.Min(buffer.Length, length - _at);
                prefix.AsSpan(_at, n).CopyTo(buffer);
                _at += n;
                if (_at == length)
                {
                    ArrayPool<byte>.Shared.Return(prefix);
                }

                return n;
            }

            return rest.Read(buffer);
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
