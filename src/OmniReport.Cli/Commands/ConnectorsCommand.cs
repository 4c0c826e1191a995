using System.CommandLine;
using OmniReport.Api.Connectors.Twilio;
using OmniReport.Cli.Settings;

namespace OmniReport.Cli.Commands;

/// <summary>
/// <c>omnireport connectors twilio --account NAME --auth-token TOKEN</c>: stores the account's Twilio auth token, as
/// <c>PUT /api/v2/connectors/twilio</c> does (SPEC §10), and prints the Event Callback URL to paste in the console.
/// </summary>
internal static class ConnectorsCommand
{
    private static readonly Option<string> Account = Opt.Account();
    private static readonly Option<string> AuthToken = Opt.Text("--auth-token", "TOKEN", "the Twilio auth token (Console, Account Info)");
    private static readonly Option<string> Url = Opt.Text("--url", "BASE_URL", "the address Twilio reaches this server at, e.g. https://omnireport.example.com");
    private static readonly Option<bool> Remove = new("--remove") { Description = "forget the account's token: callbacks are refused (403) until a new one is stored" };

    public static Command Create() => new("connectors", "Connectors.")
    {
        new Command("twilio", """
            Stores the account's Twilio auth token, which signs the TaskRouter Event Callbacks (X-Twilio-Signature), and
            prints on stdout the workspace's Event Callback URL: BASE_URL/connectors/twilio/NAME/taskrouter (only the path
            without --url). The token is never shown again. Amazon Connect needs no set-up here: its EventBridge API
            destination sends a token with the events:write scope (docs/connectors.md).
            """) { Account, AuthToken, Url, Remove, Setting.Db.Option }.Runs(TwilioAsync),
    };

    private static async Task<int> TwilioAsync(Run run)
    {
        var remove = run.Get(Remove);
        var token = run.Get(AuthToken);
        if (remove == (token is not null))
        {
            throw new UsageException("give either --auth-token TOKEN or --remove");
        }

        if (token is not null && (token.Length is 0 or > 256 || token.Any(char.IsControl)))
        {
            throw new UsageException("--auth-token must be 1 to 256 characters without control characters");
        }

        var baseUrl = run.Get(Url)?.TrimEnd('/');
        if (baseUrl is not null && !(Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
        {
            throw new UsageException($"--url must be an http or https URL, not \"{baseUrl}\"");
        }

        await using var store = await run.OpenStoreAsync(create: false).ConfigureAwait(false);
        var account = await run.AccountAsync(store, run.Get(Account)!).ConfigureAwait(false);
        await store.SetConnectorSecretAsync(account.Id, TwilioApi.Connector, token).ConfigureAwait(false);
        if (remove)
        {
            await run.Console.Error.WriteLineAsync($"removed the Twilio auth token of account \"{account.Name}\"").ConfigureAwait(false);
            return 0;
        }

        await run.Console.Error.WriteLineAsync($"stored the Twilio auth token of account \"{account.Name}\"; the workspace's Event Callback URL:").ConfigureAwait(false);
        await run.Console.WriteOutAsync((baseUrl ?? "") + TwilioApi.CallbackPath(account.Name) + "\n").ConfigureAwait(false);
        return 0;
    }
}
