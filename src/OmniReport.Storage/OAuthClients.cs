using System.Security.Cryptography;
using System.Text;

namespace OmniReport.Storage;

/// <summary>
/// OAuth clients of the client-credentials grant (SPEC §5.5): a public client id and a random secret shown once;
/// the store keeps only the secret's SHA-256 (256 random bits need no slow hash), as it does for tokens.
/// </summary>
public static class OAuthClients
{
    /// <summary>How long an access token lives (SPEC §5.5: <c>expires_in</c> 3600).</summary>
    public static readonly TimeSpan AccessTokenLifetime = TimeSpan.FromHours(1);

    /// <summary>A new client id: 32 lower-case hex digits, the shape of Talkdesk's client ids.</summary>
    public static string NewClientId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>
    /// A new secret: "omcs_" and 32 random bytes in base64url. Only unreserved characters, so it needs no
    /// form-encoding inside HTTP Basic (RFC 6749 §2.3.1) or a form body.
    /// </summary>
    public static string NewSecret()
    {
        Span<byte> bytes = stackalloc byte[32];
        RandomNumberGenerator.Fill(bytes);
        return "omcs_" + Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>What the store keeps of a secret.</summary>
    public static byte[] HashSecret(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    /// <summary>True when <paramref name="secret"/> is the client's (compared in constant time).</summary>
    public static bool SecretMatches(OAuthClient client, string secret)
    {
        ArgumentNullException.ThrowIfNull(client);
        return CryptographicOperations.FixedTimeEquals(client.SecretHash, HashSecret(secret ?? ""));
    }
}

/// <summary>A client as stored.</summary>
/// <param name="Id">Store id (rate limits and access tokens refer to it).</param>
/// <param name="ClientId">The public client id.</param>
/// <param name="AccountId">The account it speaks for.</param>
/// <param name="Scopes">What its access tokens may at most do.</param>
/// <param name="SecretHash">SHA-256 of the secret.</param>
/// <param name="CreatedAtMs">When it was created (Unix ms).</param>
/// <param name="RevokedAtMs">When it was revoked (Unix ms), or null while it is active.</param>
public sealed record OAuthClient(long Id, string ClientId, long AccountId, Scopes Scopes, byte[] SecretHash, long CreatedAtMs, long? RevokedAtMs)
{
    /// <summary>True once revoked: it gets no more tokens, and the ones it has stop working.</summary>
    public bool Revoked => RevokedAtMs is not null;
}

/// <summary>A client just created, with its secret (shown once, never stored).</summary>
/// <param name="Client">The client.</param>
/// <param name="Secret">The secret text.</param>
public sealed record NewOAuthClient(OAuthClient Client, string Secret);

/// <summary>An access token just issued to a client.</summary>
/// <param name="Token">The token text (shown once, stored hashed).</param>
/// <param name="Scopes">What it may do.</param>
/// <param name="ExpiresAtMs">When it stops working (Unix ms).</param>
public sealed record AccessToken(string Token, Scopes Scopes, long ExpiresAtMs);
