using System.Security.Cryptography;
using System.Text;

namespace OmniReport.Storage;

/// <summary>API tokens: random text shown once; only its SHA-256 is stored.</summary>
public static class Tokens
{
    /// <summary>A new token: "omr_" and 32 random bytes in base64url.</summary>
    public static string NewToken()
    {
        Span<byte> bytes = stackalloc byte[32];
        RandomNumberGenerator.Fill(bytes);
        return "omr_" + Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>What the store keeps of a token. A fast hash is enough: the token is 256 random bits.</summary>
    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>Parses "events:write,reports:read,admin" (any subset, comma separated).</summary>
    public static bool TryParseScopes(string text, out Scopes scopes)
    {
        scopes = Scopes.None;
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            switch (part)
            {
                case "events:write": scopes |= Scopes.EventsWrite; break;
                case "reports:read": scopes |= Scopes.ReportsRead; break;
                case "admin": scopes |= Scopes.Admin; break;
                default: return false;
            }
        }

        return scopes != Scopes.None;
    }

    /// <summary>The scopes as their wire names, comma separated.</summary>
    public static string Format(Scopes scopes) => string.Join(',', new[]
    {
        (scopes & Scopes.EventsWrite) != 0 ? "events:write" : null,
        (scopes & Scopes.ReportsRead) != 0 ? "reports:read" : null,
        (scopes & Scopes.Admin) != 0 ? "admin" : null,
    }.Where(s => s is not null));
}
