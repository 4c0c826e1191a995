using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Http.Headers;

namespace OmniReport.Api.Webhooks;

/// <summary>What one POST to a receiver gave.</summary>
/// <param name="Delivered">True when the receiver answered 2xx in time.</param>
/// <param name="HttpStatus">Its status code, or null when there was no answer.</param>
/// <param name="Error">What went wrong, or null.</param>
public sealed record SendResult(bool Delivered, int? HttpStatus, string? Error);

/// <summary>
/// POSTs signed bodies to receivers (SPEC §9) over one connection pool. The connect callback checks every address
/// against <see cref="WebhookTargets"/>; no proxy and no redirects are followed (a 3xx is a failure), so nothing
/// reaches an address the check did not see. The timeout runs on the injected clock.
/// </summary>
public sealed class WebhookSender : IDisposable
{
    private const int ErrorBodyChars = 200;
    private readonly HttpClient _client;
    private readonly TimeProvider _time;
    private readonly TimeSpan _timeout;

    /// <summary>A sender for <paramref name="targets"/> that waits <paramref name="timeout"/> for an answer.</summary>
    [SuppressMessage("Reliability", "CA2000", Justification = "the client owns the handler")]
    public WebhookSender(WebhookTargets targets, TimeSpan timeout, TimeProvider time)
    {
        _time = time;
        _timeout = timeout;
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            // Names are resolved again at least this often, so a changed DNS answer is checked and used.
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            ConnectCallback = (context, ct) => WebhookTargetCheck.ConnectAsync(context.DnsEndPoint, targets, ct),
        };
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("OmniReport-Webhooks", "1"));
    }

    /// <summary>POSTs <paramref name="body"/> to <paramref name="url"/>, signed with <paramref name="secret"/> at the clock's now.</summary>
    public async Task<SendResult> SendAsync(string url, string secret, byte[] body, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(body);
        var timestamp = _time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(secret, timestamp, body));
        using var timeout = new CancellationTokenSource(_timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return new SendResult(true, status, null);
            }

            return new SendResult(false, status, $"answered {status} {response.ReasonPhrase}{await ExcerptAsync(response, linked.Token).ConfigureAwait(false)}".TrimEnd());
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            return new SendResult(false, null, $"no answer within {_timeout.TotalSeconds:0.###} s");
        }
        catch (HttpRequestException ex)
        {
            var refused = ex.InnerException as WebhookTargetRefusedException;
            return new SendResult(false, ex.StatusCode is { } s ? (int)s : null, refused?.Message ?? ex.Message);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _client.Dispose();

    /// <summary>The start of an error answer's body, for the deliveries list.</summary>
    private static async Task<string> ExcerptAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
            var buffer = new byte[ErrorBodyChars * 4];
            var n = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct).ConfigureAwait(false);
            var text = System.Text.Encoding.UTF8.GetString(buffer, 0, n).ReplaceLineEndings(" ").Trim();
            return text.Length == 0 ? "" : ": " + (text.Length > ErrorBodyChars ? text[..ErrorBodyChars] + "…" : text);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
        {
            return "";
        }
    }
}
