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
        var text = k > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{interactionId}\n{agentId}\n{startMs}\n{k}")
            : string.Create(CultureInfo.InvariantCulture, $"{interactionId}\n{agentId}\n{startMs}");
        var max = Encoding.UTF8.GetMaxByteCount(text.Length);
        byte[]? rented = null;
        var buffer = max <= 1024 ? stackalloc byte[max] : (rented = ArrayPool<byte>.Shared.Rent(max));
        var n = Encoding.UTF8.GetBytes(text, buffer);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(buffer[..n], hash);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        return Convert.ToHexString(hash[..16]);
    }
}
