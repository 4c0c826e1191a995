using System.IO.Pipelines;
using System.Reflection;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;
using OmniReport.Storage;

namespace OmniReport.Api.Live;

/// <summary>
/// 200 <c>text/event-stream</c>: the account's changes (SPEC §9). First every change after the client's last id, read
/// from the change log (or <c>event: reset</c> when the log no longer reaches back there), then the live ones from
/// the account's feed, a comment every keep-alive interval, until the client goes, the server stops, or the client
/// falls so far behind that its buffer fills (then the stream ends; the client reconnects and resumes by id).
/// </summary>
internal sealed class EventStreamResult(long accountId, StreamRequest request) : IResult, IStatusCodeHttpResult, IEndpointMetadataProvider
{
    private const int Page = 1000;
    private static readonly byte[] KeepAlive = ": keep-alive\n\n"u8.ToArray();
    private static readonly byte[] Behind = ": too far behind; reconnect with Last-Event-ID to resume\n\n"u8.ToArray();

    int? IStatusCodeHttpResult.StatusCode => StatusCodes.Status200OK;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var services = httpContext.RequestServices;
        var store = services.GetRequiredService<IStore>();
        var hub = services.GetRequiredService<StreamHub>();
        var options = services.GetRequiredService<IOptions<ApiOptions>>().Value;
        var time = services.GetRequiredService<TimeProvider>();
        var life = services.GetRequiredService<IHostApplicationLifetime>();

        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no"; // nginx: pass each message on at once
        httpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(httpContext.RequestAborted, life.ApplicationStopping);
        var ct = stop.Token;
        var output = response.BodyWriter;
        try
        {
            // The reconnection delay a browser's EventSource uses after the stream ends.
            Write(output, "retry: 1000\n\n"u8);
            var last = await StartAsync(store, output, ct).ConfigureAwait(false);
            await output.FlushAsync(ct).ConfigureAwait(false);

            // Catch up from the log before joining the feed, so a long replay does not fill the live buffer.
            last = await CopyAsync(store, output, last, long.MaxValue, ct).ConfigureAwait(false);
            using var lease = await hub.JoinAsync(accountId, ct).ConfigureAwait(false);
            var (client, position) = lease.Feed.Subscribe(options.StreamBuffer);
            try
            {
                last = await CopyAsync(store, output, last, position, ct).ConfigureAwait(false);
                await FollowAsync(client, output, last, options.StreamKeepAlive, time, ct).ConfigureAwait(false);
            }
            finally
            {
                client.Leave();
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away, or the server is stopping.
        }
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(string), ["text/event-stream"]));
    }

    /// <summary>Where the stream starts: after the client's last id when the log still holds what follows it, else now.</summary>
    private async Task<long> StartAsync(IStore store, PipeWriter output, CancellationToken ct)
    {
        // Read first: every change up to it is committed, so a gap after the client's id means the log was pruned.
        var newest = await store.LastChangeAsync(accountId, ct).ConfigureAwait(false);
        if (request.LastEventId is not { } after)
        {
            return newest;
        }

        if (after == newest)
        {
            return after;
        }

        if (after < newest)
        {
            var next = await store.ReadChangesAsync(accountId, after, 1, ct).ConfigureAwait(false);
            if (next.Count == 1 && next[0].Sequence == after + 1)
            {
                return after;
            }
        }

        // Pruned past the client's id (or an id this account never gave): it must reload, then follow from now.
        var description = after > newest
            ? $"Event id {after} was never sent on this stream; reload from the API, then follow from here."
            : $"Changes after event id {after} are no longer kept; reload from the API, then follow from here.";
        var data = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new System.Text.Json.Utf8JsonWriter(data, Zendesk.Dialect.WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("description"u8, description);
            json.WriteEndObject();
        }

        WriteMessage(output, newest, "reset", data.WrittenSpan);
        return newest;
    }

    /// <summary>Sends the changes after <paramref name="after"/> up to <paramref name="upTo"/> from the log; returns the last id.</summary>
    private async Task<long> CopyAsync(IStore store, PipeWriter output, long after, long upTo, CancellationToken ct)
    {
        while (after < upTo)
        {
            var page = await ChangeMessage.ReadAsync(store, accountId, after, Page, ct).ConfigureAwait(false);
            foreach (var m in page)
            {
                if (m.Id > upTo)
                {
                    break;
                }

                Send(output, m);
                after = m.Id;
            }

            await output.FlushAsync(ct).ConfigureAwait(false);
            if (page.Count < Page)
            {
                break;
            }
        }

        return after;
    }

    private async Task FollowAsync(FeedClient client, PipeWriter output, long last, TimeSpan keepAlive, TimeProvider time, CancellationToken ct)
    {
        var reader = client.Reader;
        var tick = Task.Delay(keepAlive, time, ct);
        Task<bool>? ready = null;
        while (true)
        {
            while (reader.TryRead(out var m))
            {
                if (m.Id > last)
                {
                    Send(output, m);
                    last = m.Id;
                }
            }

            await output.FlushAsync(ct).ConfigureAwait(false);
            ready ??= reader.WaitToReadAsync(ct).AsTask();
            var done = await Task.WhenAny(ready, tick).ConfigureAwait(false);
            if (done == tick)
            {
                await tick.ConfigureAwait(false); // throws when cancelled
                Write(output, KeepAlive);
                tick = Task.Delay(keepAlive, time, ct);
                continue;
            }

            var more = await ready.ConfigureAwait(false);
            ready = null;
            if (!more)
            {
                // The feed let the client go: it was too far behind (or the server is stopping).
                if (client.CutOff)
                {
                    Write(output, Behind);
                    await output.FlushAsync(ct).ConfigureAwait(false);
                }

                return;
            }
        }
    }

    private void Send(PipeWriter output, ChangeMessage m)
    {
        if (!m.Superseded && request.Types.Contains(m.Type))
        {
            WriteMessage(output, m.Id, m.Type, m.Data.Span);
        }
    }

    /// <summary><c>id</c>, <c>event</c>, <c>data</c> (one line: the JSON writer escapes line breaks), blank line.</summary>
    private static void WriteMessage(PipeWriter output, long id, string type, ReadOnlySpan<byte> data)
    {
        Write(output, "id: "u8);
        var span = output.GetSpan(20);
        id.TryFormat(span, out var n, default, System.Globalization.CultureInfo.InvariantCulture);
        output.Advance(n);
        Write(output, "\nevent: "u8);
        var typeBytes = Encoding.ASCII.GetByteCount(type);
        Encoding.ASCII.GetBytes(type, output.GetSpan(typeBytes));
        output.Advance(typeBytes);
        Write(output, "\ndata: "u8);
        Write(output, data);
        Write(output, "\n\n"u8);
    }

    private static void Write(PipeWriter output, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(output.GetSpan(bytes.Length));
        output.Advance(bytes.Length);
    }
}
