using System.Net;
using System.Net.Sockets;

namespace OmniReport.Api.Webhooks;

/// <summary>Which addresses webhooks may be delivered to (setting <c>webhook-targets</c>).</summary>
public enum WebhookTargets
{
    /// <summary>
    /// Public addresses only: never loopback, private (RFC 1918, fc00::/7, 100.64/10), link-local (169.254/16, fe80::/10,
    /// where cloud metadata services live), unspecified, multicast or reserved ones. The default: a webhook URL is account
    /// input, and must not make the server reach into its own network.
    /// </summary>
    Public,

    /// <summary>Any address: for a server whose receivers are on its own network (and for tests on 127.0.0.1).</summary>
    Any,
}

/// <summary>
/// The check of <see cref="WebhookTargets"/>: at creation (the URL's host, resolved) and again for every connection
/// (<see cref="ConnectAsync"/>, the sender's connect callback), so a name that later resolves to a refused address
/// (DNS rebinding) is still refused. Every address a name resolves to must be allowed.
/// </summary>
internal static class WebhookTargetCheck
{
    /// <summary>Why <paramref name="address"/> is refused under <paramref name="targets"/>, or null when it is allowed.</summary>
    public static string? Refusal(IPAddress address, WebhookTargets targets)
    {
        if (targets == WebhookTargets.Any)
        {
            return null;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address))
        {
            return "a loopback address";
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] switch
            {
                0 => "an unspecified address",
                10 => "a private address",
                100 when (b[1] & 0xC0) == 64 => "a private address", // 100.64.0.0/10, carrier-grade NAT
                169 when b[1] == 254 => "a link-local address",
                172 when (b[1] & 0xF0) == 16 => "a private address",
                192 when b[1] == 168 => "a private address",
                192 when b[1] == 0 && b[2] == 0 => "a reserved address",
                >= 224 and < 240 => "a multicast address",
                >= 240 => "a reserved address",
                _ => null,
            };
        }

        if (address.Equals(IPAddress.IPv6Any))
        {
            return "an unspecified address";
        }

        if (address.IsIPv6Multicast)
        {
            return "a multicast address";
        }

        if (address.IsIPv6LinkLocal)
        {
            return "a link-local address";
        }

        if (address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal)
        {
            return "a private address";
        }

        return null;
    }

    /// <summary>
    /// Why a webhook URL's host is refused, or null: an address is judged as it is; a name by the addresses it
    /// resolves to now (a name that does not resolve yet is accepted, and judged again when it is delivered to).
    /// </summary>
    public static async Task<string?> RefusalAsync(Uri url, WebhookTargets targets, CancellationToken ct)
    {
        if (targets == WebhookTargets.Any)
        {
            return null;
        }

        var host = url.DnsSafeHost;
        if (IPAddress.TryParse(host, out var literal))
        {
            return Describe(host, Refusal(literal, targets));
        }

        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return Describe(host, "a loopback address");
        }

        IPAddress[] addresses;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            addresses = await Dns.GetHostAddressesAsync(host, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return null;
        }

        foreach (var a in addresses)
        {
            if (Refusal(a, targets) is { } why)
            {
                return Describe($"{host} ({a})", why);
            }
        }

        return null;
    }

    /// <summary>Connects to a webhook's host, refusing addresses <paramref name="targets"/> does not allow.</summary>
    public static async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, WebhookTargets targets, CancellationToken ct)
    {
        var host = endpoint.Host.TrimStart('[').TrimEnd(']');
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct).ConfigureAwait(false);
        foreach (var a in addresses)
        {
            if (Refusal(a, targets) is { } why)
            {
                throw new WebhookTargetRefusedException($"refused to connect: {Describe(host == a.ToString() ? host : $"{host} ({a})", why)}");
            }
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, endpoint.Port, ct).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static string? Describe(string host, string? why) =>
        why is null ? null : $"{host} is {why}, and this server delivers webhooks to public addresses only (setting webhook-targets)";
}

/// <summary>A connection refused by <see cref="WebhookTargets"/>.</summary>
/// <param name="message">Which address, and why.</param>
internal sealed class WebhookTargetRefusedException(string message) : Exception(message);
