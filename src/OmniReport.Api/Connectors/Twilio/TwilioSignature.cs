using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.Features;

namespace OmniReport.Api.Connectors.Twilio;

/// <summary>
/// Twilio's request signature (SPEC §10; https://www.twilio.com/docs/usage/security#validating-requests): base64 of
/// HMAC-SHA1, keyed by the auth token, over the full URL followed by each POST parameter's name and value, sorted by
/// name (ordinal, as Twilio's helper libraries sort).
/// </summary>
internal static class TwilioSignature
{
    public static string Compute(string authToken, string url, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var text = new StringBuilder(url);
        foreach (var (name, value) in parameters.OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal))
        {
            text.Append(name).Append(value);
        }

        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>True when <paramref name="signature"/> is the signature of one of <paramref name="urls"/> (compared in constant time).</summary>
    public static bool IsValid(string authToken, IEnumerable<string> urls, IReadOnlyList<KeyValuePair<string, string>> parameters, string? signature)
    {
        if (string.IsNullOrEmpty(signature))
        {
            return false;
        }

        var given = Encoding.ASCII.GetBytes(signature);
        var valid = false;
        foreach (var url in urls)
        {
            valid |= CryptographicOperations.FixedTimeEquals(given, Encoding.ASCII.GetBytes(Compute(authToken, url, parameters)));
        }

        return valid;
    }

    /// <summary>
    /// The URLs Twilio may have signed for this request: Twilio signs the Event Callback URL as configured, which a proxy
    /// in front of the server may have changed (scheme, host, port). The signature proves the token either way, so the
    /// forwarded scheme and host are tried too, and each URL with and without its port (as Twilio's libraries do).
    /// </summary>
    public static IEnumerable<string> CandidateUrls(HttpRequest request)
    {
        var paths = new List<string> { request.PathBase.Add(request.Path).ToUriComponent() + request.QueryString.ToUriComponent() };

        // Twilio signs the URL as pasted, whose account name TwilioApi.CallbackPath escaped with Uri.EscapeDataString;
        // ASP.NET re-escapes the decoded path its own way and leaves "(", ")", "'", "!" bare. So the request target as
        // the client sent it is tried too: otherwise no callback of an account named "Acme (EU)" could ever match.
        if (request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget is { Length: > 0 } raw && raw[0] == '/' && raw != paths[0])
        {
            paths.Add(raw);
        }

        var schemes = new List<string> { request.Scheme };
        var hosts = new List<string> { request.Host.Value ?? "" };
        if (request.Headers["X-Forwarded-Proto"].FirstOrDefault() is { Length: > 0 } proto)
        {
            schemes.Add(proto.Split(',')[0].Trim());
        }

        if (request.Headers["X-Forwarded-Host"].FirstOrDefault() is { Length: > 0 } host)
        {
            hosts.Add(host.Split(',')[0].Trim());
        }

        if (!schemes.Contains("https", StringComparer.OrdinalIgnoreCase))
        {
            schemes.Add("https"); // TLS ended at a proxy that sets no header
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var scheme in schemes)
        {
            foreach (var h in hosts)
            {
                var bare = h.Contains(':', StringComparison.Ordinal) && !h.EndsWith(']') ? h[..h.LastIndexOf(':')] : h;
                var defaultPort = scheme.Equals("https", StringComparison.OrdinalIgnoreCase) ? 443 : 80;
                foreach (var pathAndQuery in paths)
                {
                    foreach (var candidate in new[] { $"{scheme}://{h}{pathAndQuery}", $"{scheme}://{bare}{pathAndQuery}", $"{scheme}://{bare}:{defaultPort}{pathAndQuery}" })
                    {
                        if (seen.Add(candidate))
                        {
                            yield return candidate;
                        }
                    }
                }
            }
        }
    }
}
