using System.Net.Http.Headers;
using System.Text;

namespace OmniReport.TestSupport;

/// <summary>One server-sent event as a browser's EventSource would parse it, or a comment line.</summary>
public sealed record SseMessage(string? Id, string? Type, string Data, string? Comment)
{
    public long Sequence => long.Parse(Id!, System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Reads <c>GET /api/v2/stream</c> over a real socket, line by line, as the SSE format says.</summary>
public sealed class SseClient : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private SseClient(HttpResponseMessage response, Stream body)
    {
        _response = response;
        _reader = new StreamReader(body, Encoding.UTF8);
    }

    public HttpResponseMessage Response => _response;

    /// <summary>Opens the stream; the token goes in the Authorization header, or in the query when <paramref name="queryToken"/>.</summary>
    public static async Task<SseClient> OpenAsync(HttpClient http, string token, string query = "", string? lastEventId = null, bool queryToken = false)
    {
        var path = "/api/v2/stream" + query;
        if (queryToken)
        {
            path += (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "access_token=" + Uri.EscapeDataString(token);
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (!queryToken)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (lastEventId is not null)
        {
            request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
        }

        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var body = await response.Content.ReadAsStreamAsync();
        return new SseClient(response, body);
    }

    /// <summary>The next event or comment; null when the server ended the stream.</summary>
    public async Task<SseMessage?> ReadAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        string? id = null, type = null;
        var data = new StringBuilder();
        var any = false;
        while (true)
        {
            string? line;
            try
            {
                line = await _reader.ReadLineAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"no message within {timeout}");
            }

            if (line is null)
            {
                return null;
            }

            if (line.Length == 0)
            {
                if (any && (data.Length > 0 || type is not null || id is not null))
                {
                    return new SseMessage(id, type, data.ToString(), null);
                }

                any = false;
                continue;
            }

            if (line[0] == ':')
            {
                return new SseMessage(null, null, "", line[1..].TrimStart());
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..];
            if (value.StartsWith(' '))
            {
                value = value[1..];
            }

            switch (field)
            {
                case "id":
                    id = value;
                    any = true;
                    break;
                case "event":
                    type = value;
                    any = true;
                    break;
                case "data":
                    if (data.Length > 0)
                    {
                        data.Append('\n');
                    }

                    data.Append(value);
                    any = true;
                    break;
                default:
                    // retry: and unknown fields set nothing a test reads
                    break;
            }
        }
    }

    /// <summary>The next event (comments skipped); null at the end of the stream.</summary>
    public async Task<SseMessage?> NextEventAsync(TimeSpan timeout)
    {
        while (true)
        {
            var m = await ReadAsync(timeout);
            if (m is null || m.Comment is null)
            {
                return m;
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}
