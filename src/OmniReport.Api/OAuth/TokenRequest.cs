using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using OmniReport.Api.Ingest;

namespace OmniReport.Api.OAuth;

/// <summary>
/// A request to <c>POST /oauth/token</c> as read (SPEC §5.5): <c>grant_type</c> and <c>scope</c> from the query
/// string or an <c>application/x-www-form-urlencoded</c> body; the client's credentials from HTTP Basic or the
/// body's <c>client_id</c> / <c>client_secret</c> (RFC 6749 §2.3.1, which keeps them out of the URL).
/// </summary>
internal sealed record TokenRequest(string GrantType, string ClientId, string ClientSecret, string? Scope)
{
    /// <summary>A token request is a handful of short fields; anything longer is not one.</summary>
    public const int MaxBodyBytes = 16 * 1024;

    private const string FormType = "application/x-www-form-urlencoded";

    /// <summary>The request, or the RFC 6749 §5.2 error that it gives.</summary>
    public static async Task<(TokenRequest? Request, OAuthError? Error)> ReadAsync(HttpRequest http, CancellationToken ct)
    {
        Dictionary<string, StringValues> form;
        using (var body = await RequestBody.ReadAsync(http, MaxBodyBytes, ct).ConfigureAwait(false))
        {
            if (body is null)
            {
                return Fail($"The body is longer than {MaxBodyBytes} bytes.");
            }

            if (body.Length == 0)
            {
                form = [];
            }
            else if (!IsForm(http.ContentType))
            {
                return Fail($"The body must be {FormType}, not {(string.IsNullOrEmpty(http.ContentType) ? "untyped" : http.ContentType)}.");
            }
            else
            {
                form = QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body.Span));
            }
        }

        // RFC 6749 §3.2: no parameter twice; §3.1: one sent without a value counts as not sent.
        string? Single(string name, bool queryToo, out OAuthError? error)
        {
            error = null;
            var values = form.GetValueOrDefault(name).Concat(queryToo ? http.Query[name] : StringValues.Empty)
                .Where(v => !string.IsNullOrEmpty(v)).Distinct(StringComparer.Ordinal).ToList();
            if (values.Count > 1)
            {
                error = OAuthDialect.BadRequest(OAuthDialect.Codes.InvalidRequest, $"{name} is given more than once, with different values.");
            }

            return values.Count == 1 ? values[0] : null;
        }

        var grant = Single("grant_type", queryToo: true, out var e1);
        var scope = Single("scope", queryToo: true, out var e2);
        var formId = Single("client_id", queryToo: false, out var e3);
        var formSecret = Single("client_secret", queryToo: false, out var e4);
        if ((e1 ?? e2 ?? e3 ?? e4) is { } repeated)
        {
            return (null, repeated);
        }

        if (!StringValues.IsNullOrEmpty(http.Query["client_secret"]))
        {
            return Fail("client_secret must not be sent in the URL (RFC 6749 §2.3.1): send it in the form body or as HTTP Basic.");
        }

        if (grant is null)
        {
            return Fail("grant_type is required: grant_type=client_credentials.");
        }

        if (grant != "client_credentials")
        {
            return (null, OAuthDialect.BadRequest(OAuthDialect.Codes.UnsupportedGrantType,
                $"The grant type \"{grant}\" is not supported: use client_credentials."));
        }

        var header = http.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return formId is null || formSecret is null
                ? (null, OAuthDialect.InvalidClient("No client authentication: send HTTP Basic base64(client_id:client_secret), or client_id and client_secret in the form body."))
                : (new TokenRequest(grant, formId, formSecret, scope), null);
        }

        if (!TryBasic(header, out var basicId, out var basicSecret))
        {
            return (null, OAuthDialect.InvalidClient("The Authorization header must be HTTP Basic base64(client_id:client_secret)."));
        }

        if (formSecret is not null || (formId is not null && formId != basicId))
        {
            return Fail("The client authenticated twice (HTTP Basic and the form body): use one of them (RFC 6749 §2.3).");
        }

        return (new TokenRequest(grant, basicId, basicSecret, scope), null);
    }

    /// <summary>
    /// <c>Basic base64(id:secret)</c>, each part form-decoded as RFC 6749 §2.3.1 asks (our ids and secrets have no
    /// characters that encoding changes, so clients that skip it work too).
    /// </summary>
    private static bool TryBasic(string header, out string id, out string secret)
    {
        id = secret = "";
        if (!AuthenticationHeaderValue.TryParse(header, out var value)
            || !value.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase) || value.Parameter is null)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[Math.Min(value.Parameter.Length, 2048)];
        if (value.Parameter.Length > 2048 || !Convert.TryFromBase64String(value.Parameter, bytes, out var n))
        {
            return false;
        }

        var text = Encoding.UTF8.GetString(bytes[..n]);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }

        id = FormDecode(text[..colon]);
        secret = FormDecode(text[(colon + 1)..]);
        return true;
    }

    private static string FormDecode(string s) => Uri.UnescapeDataString(s.Replace('+', ' '));

    private static bool IsForm(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media) && string.Equals(media.MediaType, FormType, StringComparison.OrdinalIgnoreCase);

    private static (TokenRequest?, OAuthError?) Fail(string description) =>
        (null, OAuthDialect.BadRequest(OAuthDialect.Codes.InvalidRequest, description));
}
