using Microsoft.Extensions.Options;

namespace OmniReport.Api.Auth;

/// <summary>
/// Per-token fixed windows of one minute (as Zendesk counts its limits), on the injected clock. A limit of 0
/// or less turns limiting off (headers still say the configured limit).
/// </summary>
internal sealed class TokenRateLimiter(IOptions<ApiOptions> options, TimeProvider time)
{
    private readonly FixedWindows<long> _windows = new(time);

    public int Limit => options.Value.RateLimitPerMinute;

    /// <summary>Counts one request of <paramref name="tokenId"/>.</summary>
    public Decision Acquire(long tokenId) => Limit <= 0 ? new Decision(true, int.MaxValue, 0) : _windows.Acquire(tokenId, Limit);
}
