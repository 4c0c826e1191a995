using OmniReport.Api.Connectors.Twilio;

namespace OmniReport.Cli;

/// <summary>
/// <c>omnireport connectors twilio --account NAME --auth-token TOKEN</c>: stores the account's Twilio auth token, as
/// <c>PUT /api/v2/connectors/twilio</c> does (SPEC §10), and prints the Event Callback URL to paste in the console.
/// </summary>
internal static class ConnectorsCommand
{
    private const string Help = """
        omnireport connectors twilio --account NAME --auth-token TOKEN [--url BASE_URL] [--db DB]
        omnireport connectors twilio --account NAME --remove [--db DB]

        Stores the account's Twilio auth token, which signs the TaskRouter Event Callbacks (X-Twilio-Signature), and
        prints on stdout the workspace's Event Callback URL: BASE_URL/connectors/twilio/NAME/taskrouter (only the path
        without --url). The token is never shown again. Amazon Connect needs no set-up here: its EventBridge API
        destination sends a token with the events:write scope (docs/connectors.md).

        Options:
          --account NAME       the account
          --auth-token TOKEN   the Twilio auth token (Console, Account Info)
          --url BASE_URL       the address Twilio reaches this server at, e.g. https://omnireport.example.com
          --remove             forget the account's token: callbacks are refused (403) until a new one is stored
        """ + "\n" + StoreOption.Help;

    private static readonly HashSet<string> Valued = ["account", "auth-token", "url", StoreOption.Name];
    private static readonly HashSet<string> Flags = ["remove"];

    public static async Task<int> RunAsync(string[] args, Terminal console, TimeProvider time)
    {
        var a = new Arguments("connectors", args, Valued, Flags, console);
        if (a.Flag("help"))
        {
            await console.WriteOutAsync(Help.TrimEnd() + "\n").ConfigureAwait(false);
            return 0;
        }

        if (a.Positional.Count != 1 || a.Positional[0] != "twilio")
        {
            throw new UsageException($"omnireport connectors: expected: connectors twilio --account NAME --auth-token TOKEN\n\n{Help}");
        }

        var accountName = a["account"] ?? throw new UsageException($"omnireport connectors: --account NAME is required\n\n{Help}");
        var remove = a.Flag("remove");
        var token = a["auth-token"];
        if (remove == (token is not null))
        {
            throw new UsageException($"omnireport connectors: give either --auth-token TOKEN or --remove\n\n{Help}");
        }

        if (token is not null && (token.Length is 0 or > 256 || token.Any(char.IsControl)))
        {
            throw new UsageException("omnireport connectors: --auth-token must be 1 to 256 characters without control characters");
        }

        var baseUrl = a["url"]?.TrimEnd('/');
        if (baseUrl is not null && !(Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
        {
            throw new UsageException($"omnireport connectors: --url must be an http or https URL, not \"{baseUrl}\"");
        }

        await using var store = await StoreOption.OpenAsync(a, time).ConfigureAwait(false);
        var account = await StoreOption.AccountAsync(store, "connectors", accountName).ConfigureAwait(false);
        await store.SetConnectorSecretAsync(account.Id, TwilioApi.Connector, token).ConfigureAwait(false);
        if (remove)
        {
            await console.Error.WriteLineAsync($"removed the Twilio auth token of account \"{account.Name}\"").ConfigureAwait(false);
            return 0;
        }

        await console.Error.WriteLineAsync($"stored the Twilio auth token of account \"{account.Name}\"; the workspace's Event Callback URL:").ConfigureAwait(false);
        await console.WriteOutAsync((baseUrl ?? "") + TwilioApi.CallbackPath(account.Name) + "\n").ConfigureAwait(false);
        return 0;
    }
}
