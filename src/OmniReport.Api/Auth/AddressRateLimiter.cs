using Microsoft.Extensions.Options;

namespace OmniReport.Api.Auth;

/// <summary>
/// SPEC §5.1: requests that present no valid token are limited per client address, so guessing tokens is slow and
/// cheap for the server. Only failures count; once an address has used its minute, its requests without a token
/// known to be valid are answered 429 before any store lookup. The address is the connection's (no proxy header
/// is trusted, as for next_page_url). A limit of 0 or less turns it off.
/// </summary>
internal sealed class AddressRateLimiter(IOptions<ApiOptions> options, TimeProvider time)
{
    private readonly FixedWindows<string> _windows = new(time);

    public int Limit => options.Value.AddressRateLimitPerMinute;

    /// <summary>The client address a request is counted under: the connection's, never a header's.</summary>
    public static string AddressOf(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>Whether a request from <paramref name="address"/> may try a token now (not counted).</summary>
    public Decision MayTry(string address) => Limit <= 0 ? new Decision(true, int.MaxValue, 0) : _windows.Peek(address, Limit);

    /// <summary>Counts one request from <paramref name="address"/> that presented no valid token.</summary>
    public void Failed(string address)
    {
        if (Limit > 0)
        {
            _windows.Acquire(address, Limit);
        }
    }
}
