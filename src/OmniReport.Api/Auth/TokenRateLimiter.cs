using Microsoft.Extensions.Options;

namespace OmniReport.Api.Auth;

/// <summary>
/// Per-token fixed windows of one minute (as Zendesk counts its limits), on the injected clock. A limit of 0
/// or less turns limiting off (headers still say the configured limit).
/// </summary>
internal sealed class TokenRateLimiter(IOptions<ApiOptions> options, TimeProvider time)
{
    private readonly FixedWindows<long> _windows = new(time);
    private readonly FixedWindows<long> _clientWindows = new(time);

    public int Limit => options.Value.RateLimitPerMinute;

    /// <summary>Counts one request of <paramref name="tokenId"/>.</summary>
    public Decision Acquire(long tokenId) => Acquire(_windows, tokenId);

    /// <summary>
    /// Counts one request of an OAuth client (SPEC §5.5), by its store id: its token requests and the requests of all
    /// its access tokens share one budget, so minting tokens does not multiply the limit.
    /// </summary>
    public Decision AcquireClient(long oauthClientId) => Acquire(_clientWindows, oauthClientId);

    private Decision Acquire(FixedWindows<long> windows, long key) =>
        Limit <= 0 ? new Decision(true, int.MaxValue, 0) : windows.Acquire(key, Limit);
}
