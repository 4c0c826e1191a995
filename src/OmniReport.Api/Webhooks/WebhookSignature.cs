using System.Security.Cryptography;
using System.Text;

namespace OmniReport.Api.Webhooks;

/// <summary>
/// How a delivery is signed (SPEC §9): <c>X-OmniReport-Signature: sha256=</c> + lower-case hex of HMAC-SHA256 keyed by
/// the secret's UTF-8 bytes (the text shown at creation, used as it is) over <c>timestamp + "." + body</c>, the
/// timestamp being the <c>X-OmniReport-Timestamp</c> header (Unix seconds).
/// </summary>
public static class WebhookSignature
{
    /// <summary>The timestamp header.</summary>
    public const string TimestampHeader = "X-OmniReport-Timestamp";

    /// <summary>The signature header.</summary>
    public const string SignatureHeader = "X-OmniReport-Signature";

    /// <summary>A new secret: 32 random bytes, URL-safe base64 after a prefix that says what it is.</summary>
    public static string NewSecret() =>
        "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The signature header's value for a body sent at <paramref name="timestamp"/>.</summary>
    public static string Sign(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.ASCII.GetBytes(timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".");
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret));
        hmac.AppendData(prefix);
        hmac.AppendData(body);
        return "sha256=" + Convert.ToHexStringLower(hmac.GetHashAndReset());
    }
}
