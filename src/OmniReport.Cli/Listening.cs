using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;

namespace OmniReport.Cli;

/// <summary>Starts the server; an address it cannot listen on is one line and exit 1, not a logged stack trace.</summary>
internal static class Listening
{
    public static async Task StartAsync(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        try
        {
            await app.StartAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or AddressInUseException or InvalidOperationException)
        {
            throw new CommandFailedException($"cannot listen on {string.Join(", ", app.Urls)}: {ex.Message}");
        }
    }
}
