using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace OmniReport.Api.Auth;

/// <summary>
/// Per-token fixed windows of one minute (as Zendesk counts its limits), on the injected clock. A limit of 0
/// or less turns limiting off (headers still say the configured limit).
/// </summary>
internal sealed class TokenRateLimiter(IOptions<ApiOptions> options, TimeProvider time)
{
    private const long WindowMs = 60_000;
    private readonly ConcurrentDictionary<long, Window> _windows = new();
    private readonly ConcurrentDictionary<long, Window> _clientWindows = new();

    public int Limit => options.Value.RateLimitPerMinute;

    /// <summary>Counts one request of <paramref name="tokenId"/>.</summary>
    public Decision Acquire(long tokenId) => Acquire(_windows, tokenId);

    /// <summary>
    /// Counts one request of an OAuth client (SPEC §5.5), by its store id: its token requests and the requests of all
    /// its access tokens share one budget, so minting tokens does not multiply the limit.
    /// </summary>
    public Decision AcquireClient(long oauthClientId) => Acquire(_clientWindows, oauthClientId);

    private Decision Acquire(ConcurrentDictionary<long, Window> windows, long key)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var start = now - (now % WindowMs);
        if (Limit <= 0)
        {
            return new Decision(true, int.MaxValue, 0);
        }

        var w = windows.GetOrAdd(key, static _ => new Window());
        lock (w)
        {
            if (w.Start != start)
            {
                w.Start = start;
                w.Count = 0;
            }

            var retryAfter = (int)Math.Ceiling((start + WindowMs - now) / 1000.0);
            if (w.Count >= Limit)
            {
                return new Decision(false, 0, Math.Max(1, retryAfter));
            }

            w.Count++;
            return new Decision(true, Limit - w.Count, retryAfter);
        }
    }

    /// <summary>The outcome of one request.</summary>
    public readonly record struct Decision(bool Allowed, int Remaining, int RetryAfterSeconds);

    private sealed class Window
    {
        public long Start;
        public int Count;
    }
}
