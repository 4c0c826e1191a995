using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace OmniReport.Api.Auth;

/// <summary>Reads the token of an <c>Authorization</c> header (SPEC §5.1).</summary>
internal static class Credentials
{
    private const int MaxHeaderLength = 4096;

    /// <summary>
    /// <c>Bearer {token}</c>, or Zendesk's <c>Basic base64("{anything}/token:{token}")</c>. Null when the header is
    /// absent or is neither form.
    /// </summary>
    public static string? Token(string? header)
    {
        if (string.IsNullOrEmpty(header) || header.Length > MaxHeaderLength)
        {
            return null;
        }

        var space = header.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0)
        {
            return null;
        }

        var scheme = header.AsSpan(0, space);
        var value = header.AsSpan(space + 1).Trim();
        if (scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            return value.IsEmpty ? null : value.ToString();
        }

        return scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase) ? FromBasic(value) : null;
    }

    private static string? FromBasic(ReadOnlySpan<char> base64)
    {
        var bytes = ArrayPool<byte>.Shared.Rent(Base64.GetMaxDecodedFromUtf8Length(base64.Length));
        try
        {
            if (!Convert.TryFromBase64Chars(base64, bytes, out var n))
            {
                return null;
            }

            var text = Encoding.UTF8.GetString(bytes, 0, n);
            const string marker = "/token:";
            var at = text.IndexOf(marker, StringComparison.Ordinal);
            if (at < 0)
            {
                return null;
            }

            var token = text[(at + marker.Length)..];
            return token.Length == 0 ? null : token;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }
}
