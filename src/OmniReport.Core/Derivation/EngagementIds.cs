using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace OmniReport.Core.Derivation;

/// <summary>The engagement id of SPEC §3.6.</summary>
public static class EngagementIds
{
    /// <summary>
    /// First 32 upper-case hex digits of SHA-256 over <c>{interaction_id}\n{agent_id}\n{start ms}</c>,
    /// with <c>\n{k}</c> appended when <paramref name="k"/> &gt; 0.
    /// </summary>
    public static string Compute(string interactionId, string agentId, long startMs, int k)
    {
        // The UTF-8 text is written straight into a buffer: the two ids never form a surrogate pair across the
        // '\n' between them, so encoding them one by one gives the bytes of the whole text.
        var max = Encoding.UTF8.GetMaxByteCount(interactionId.Length + agentId.Length) + 3 + 20 + 11;
        byte[]? rented = null;
        var buffer = max <= 1024 ? stackalloc byte[1024] : (rented = ArrayPool<byte>.Shared.Rent(max));
        var n = Encoding.UTF8.GetBytes(interactionId, buffer);
        buffer[n++] = (byte)'\n';
        n += Encoding.UTF8.GetBytes(agentId, buffer[n..]);
        buffer[n++] = (byte)'\n';
        startMs.TryFormat(buffer[n..], out var written, default, CultureInfo.InvariantCulture);
        n += written;
        if (k > 0)
        {
            buffer[n++] = (byte)'\n';
            k.TryFormat(buffer[n..], out written, default, CultureInfo.InvariantCulture);
            n += written;
        }

        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(buffer[..n], hash);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        return Convert.ToHexString(hash[..16]);
    }
}
