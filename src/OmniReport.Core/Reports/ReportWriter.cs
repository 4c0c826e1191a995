using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using NodaTime;
using OmniReport.Core.Derivation;

namespace OmniReport.Core.Reports;

/// <summary>
/// Streams a report file (SPEC §5.4) into a <see cref="PipeWriter"/>: <c>json</c>
/// (<c>{"entries":[…],"total":n}</c>), <c>json_bulk</c> (one entry per line) or RFC 4180 <c>csv</c>.
/// The caller adds records in order and flushes whenever <see cref="NeedsFlush"/> says so, so memory stays
/// flat whatever the report's size. Every path that writes a report uses this class.
/// </summary>
public sealed class ReportWriter : IFieldSink
{
    private const int FlushThreshold = 64 * 1024;
    private static readonly JsonWriterOptions Options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private static readonly byte[] Crlf = "\r\n"u8.ToArray();

    // The field names encoded once: a report written on several threads makes a writer per block of records.
    private static readonly JsonEncodedText[] EngagementNames = Array.ConvertAll(RecordFields.Engagement, f => JsonEncodedText.Encode(f, Options.Encoder));
    private static readonly JsonEncodedText[] InteractionNames = Array.ConvertAll(RecordFields.Interaction, f => JsonEncodedText.Encode(f, Options.Encoder));
    private readonly IBufferWriter<byte> _out;
    private readonly PipeWriter? _pipe;
    private readonly ReportFormat _format;
    private readonly DateTimeZone _zone;
    private readonly string[] _fields;
    private readonly JsonEncodedText[] _names;
    private readonly Utf8JsonWriter? _json;
    private long _pending;

    /// <summary>Creates a writer of one report.</summary>
    public ReportWriter(PipeWriter output, ReportType type, ReportFormat format, DateTimeZone zone)
        : this((IBufferWriter<byte>)output, type, format, zone)
    {
        _pipe = output;
    }

    private ReportWriter(IBufferWriter<byte> output, ReportType type, ReportFormat format, DateTimeZone zone)
    {
        _out = output;
        _format = format;
        _zone = zone;
        _fields = type == ReportType.Engagements ? RecordFields.Engagement : RecordFields.Interaction;
        _names = type == ReportType.Engagements ? EngagementNames : InteractionNames;
        if (format != ReportFormat.Csv)
        {
            _json = new Utf8JsonWriter((IBufferWriter<byte>)output, Options);
        }
    }

    /// <summary>
    /// A writer of records alone, without what comes before the first or after the last: a run of consecutive records
    /// formatted apart (on another thread) and handed to the report's own writer by <see cref="WriteFormattedAsync"/>. Its
    /// bytes are the ones the report's writer would have written for those records (a JSON writer puts a comma
    /// between two objects at its top level as between two array elements). <see cref="Commit"/> before reading them.
    /// </summary>
    public static ReportWriter Records(IBufferWriter<byte> output, ReportType type, ReportFormat format, DateTimeZone zone) =>
        new(output, type, format, zone);

    /// <summary>The MIME type of the format.</summary>
    public static string ContentType(ReportFormat f) => f switch
    {
        ReportFormat.Csv => "text/csv; charset=utf-8",
        ReportFormat.JsonBulk => "application/x-ndjson",
        _ => "application/json",
    };

    /// <summary>Records written so far.</summary>
    public long Count { get; private set; }

    /// <summary>True when enough bytes are buffered that the caller should flush.</summary>
    public bool NeedsFlush => _pending + (_json?.BytesPending ?? 0) >= FlushThreshold;

    /// <summary>Writes what comes before the first record.</summary>
    public void Begin()
    {
        switch (_format)
        {
            case ReportFormat.Json:
                _json!.WriteStartObject();
                _json.WriteStartArray("entries"u8);
                break;
            case ReportFormat.Csv:
                for (var i = 0; i < _fields.Length; i++)
                {
                    Cell(i, _fields[i]);
                }

                Raw(Crlf);
                break;
        }
    }

    /// <summary>Adds an engagement object.</summary>
    public void Add(Engagement e)
    {
        BeginRecord();
        RecordFields.Write(this, e, _zone);
        EndRecord();
    }

    /// <summary>Adds an interaction record with its agent's name.</summary>
    public void Add(InteractionRecord r, string agentName)
    {
        BeginRecord();
        RecordFields.Write(this, r, agentName, _zone);
        EndRecord();
    }

    /// <summary>
    /// Adds <paramref name="records"/> records formatted by a <see cref="Records"/> writer of the same report type,
    /// format and zone, in their place after the records added before. Records added one by one (<see cref="Add(Engagement)"/>)
    /// may come before formatted ones, not after them: this writer's JSON writer does not know of the formatted ones.
    /// The bytes are not copied into the pipe: what the pipe holds is flushed to <paramref name="stream"/> (the stream
    /// under this writer's pipe), then the bytes are written to it straight. Copied through the pipe, a report's worth
    /// of blocks made ~70 MB of garbage (its segments and their buffers, more at once than it pools) for 1,000,000
    /// events (docs/performance.md, issue 18).
    /// </summary>
    public async ValueTask WriteFormattedAsync(Stream stream, ReadOnlyMemory<byte> bytes, int records, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (records == 0)
        {
            return;
        }

        Separate();
        Count += records;
        await FlushAsync(ct).ConfigureAwait(false);
        await stream.WriteAsync(bytes, ct).ConfigureAwait(false);
    }

    /// <summary>Writes what comes after the last record and commits everything to the pipe.</summary>
    public void End()
    {
        if (_format == ReportFormat.Json)
        {
            _json!.WriteEndArray();
            _json.WriteNumber("total"u8, Count);
            _json.WriteEndObject();
            _json.Flush();
            Raw("\n"u8);
        }

        Commit();
    }

    /// <summary>Commits buffered JSON to the pipe and flushes it.</summary>
    public async ValueTask FlushAsync(CancellationToken ct = default)
    {
        Commit();
        await (_pipe ?? throw new InvalidOperationException("a writer of records alone has no pipe to flush")).FlushAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Commits buffered JSON to the pipe (without flushing the pipe).</summary>
    public void Commit()
    {
        _json?.Flush();
        _pending = 0;
    }

    void IFieldSink.Null(int field)
    {
        if (_json is not null)
        {
            _json.WriteNull(_names[field]);
        }
        else
        {
            Cell(field, "");
        }
    }

    void IFieldSink.Number(int field, long value)
    {
        if (_json is not null)
        {
            _json.WriteNumber(_names[field], value);
        }
        else
        {
            if (field > 0)
            {
                Raw(","u8);
            }

            var span = _out.GetSpan(20);
            value.TryFormat(span, out var n, default, CultureInfo.InvariantCulture);
            _out.Advance(n);
            _pending += n;
        }
    }

    void IFieldSink.Text(int field, string value)
    {
        if (_json is not null)
        {
            _json.WriteString(_names[field], value);
        }
        else
        {
            Cell(field, value);
        }
    }

    void IFieldSink.Time(int field, long unixMs, DateTimeZone zone, char separator)
    {
        Span<char> text = stackalloc char[19];
        TimeText.Write(unixMs, zone, separator, text);
        if (_json is not null)
        {
            _json.WriteString(_names[field], text);
        }
        else
        {
            // Digits, '-', ':' and 'T' or ' ': nothing that a CSV cell quotes.
            if (field > 0)
            {
                Raw(","u8);
            }

            Text(text);
        }
    }

    /// <summary>Before records formatted apart: the JSON written so far goes first, then the comma the writer would have put between array elements.</summary>
    private void Separate()
    {
        if (_json is not null)
        {
            _json.Flush();
            if (_format == ReportFormat.Json && Count > 0)
            {
                Raw(","u8);
            }
        }
    }

    private void BeginRecord()
    {
        if (_json is not null)
        {
            _json.WriteStartObject();
        }
    }

    private void EndRecord()
    {
        Count++;
        if (_json is not null)
        {
            _json.WriteEndObject();
            if (_format == ReportFormat.JsonBulk)
            {
                _json.Flush();
                _pending += _json.BytesCommitted;
                Raw("\n"u8);
                _json.Reset();
            }
        }
        else
        {
            Raw(Crlf);
        }
    }

    private void Cell(int field, string value)
    {
        if (field > 0)
        {
            Raw(","u8);
        }

        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            Text(value);
            return;
        }

        Raw("\""u8);
        Text(value.Replace("\"", "\"\"", StringComparison.Ordinal));
        Raw("\""u8);
    }

    private void Text(ReadOnlySpan<char> value)
    {
        var span = _out.GetSpan(Encoding.UTF8.GetMaxByteCount(value.Length));
        var n = Encoding.UTF8.GetBytes(value, span);
        _out.Advance(n);
        _pending += n;
    }

    private void Raw(ReadOnlySpan<byte> bytes)
    {
        _out.Write(bytes);
        _pending += bytes.Length;
    }
}
