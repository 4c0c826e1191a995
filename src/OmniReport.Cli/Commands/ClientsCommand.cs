using System.CommandLine;
using System.Globalization;
using System.Text;
using OmniReport.Cli.Settings;
using OmniReport.Storage;

namespace OmniReport.Cli.Commands;

/// <summary>
/// <c>omnireport clients create|list|revoke</c>: the OAuth clients Talkdesk clients authenticate as (SPEC §5.5). The
/// secret is printed once, at creation; the store keeps only its hash.
/// </summary>
internal static class ClientsCommand
{
    private static readonly Option<string> Account = Opt.Account();

    private static readonly Option<Scopes> ScopeList = Opt.ScopeList();

    private static readonly Argument<string> ClientId = new("CLIENT_ID") { Description = "the client's id (omnireport clients list)" };

    public static Command Create() => new("clients", "OAuth clients.")
    {
        new Command("create", """
            OAuth clients for the client-credentials grant (POST /oauth/token), which Talkdesk clients use instead of a
            static token. Prints the client_id and the client_secret on stdout; the secret is shown only this once.
            """) { Account, ScopeList, Setting.Db.Option }.Runs(CreateAsync),
        new Command("list", "Shows the account's OAuth clients (never their secrets).") { Account, Setting.Db.Option }.Runs(ListAsync),
        new Command("revoke", """
            Stops an OAuth client: it gets no more tokens, and the tokens it has stop working (within the server's
            token cache time, 30 s by default).
            """) { ClientId, Setting.Db.Option }.Runs(RevokeAsync),
    };

    private static async Task<int> CreateAsync(Run run)
    {
        var scopes = run.Get(ScopeList);
        await using var store = await run.OpenStoreAsync(create: false).ConfigureAwait(false);
        var account = await run.AccountAsync(store, run.Get(Account)!).ConfigureAwait(false);
        var created = await store.CreateOAuthClientAsync(account.Id, scopes).ConfigureAwait(false);
        await run.Console.WriteOutAsync($"client_id: {created.Client.ClientId}\nclient_secret: {created.Secret}\n").ConfigureAwait(false);
        await run.Console.Error.WriteLineAsync(
            $"created OAuth client for account \"{account.Name}\" with scopes {Tokens.Format(scopes)}; keep the secret now: it cannot be shown again. "
            + "Get a token with: POST /oauth/token (grant_type=client_credentials, HTTP Basic client_id:client_secret)").ConfigureAwait(false);
        return 0;
    }

    private static async Task<int> ListAsync(Run run)
    {
        await using var store = await run.OpenStoreAsync(create: false).ConfigureAwait(false);
        var account = await run.AccountAsync(store, run.Get(Account)!).ConfigureAwait(false);
        var clients = await store.ListOAuthClientsAsync(account.Id).ConfigureAwait(false);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{"CLIENT_ID",-32}  {"SCOPES",-31}  {"CREATED",-20}  REVOKED\n");
        foreach (var c in clients)
        {
            var revoked = c.RevokedAtMs is { } r ? Utc(r) : "-";
            text.Append(CultureInfo.InvariantCulture, $"{c.ClientId,-32}  {Tokens.Format(c.Scopes),-31}  {Utc(c.CreatedAtMs),-20}  {revoked}\n");
        }

        await run.Console.WriteOutAsync(text.ToString()).ConfigureAwait(false);
        return 0;
    }

    private static async Task<int> RevokeAsync(Run run)
    {
        var clientId = run.Get(ClientId);
        await using var store = await run.OpenStoreAsync(create: false).ConfigureAwait(false);
        if (!await store.RevokeOAuthClientAsync(clientId).ConfigureAwait(false))
        {
            throw new CommandFailedException($"no OAuth client \"{clientId}\" (list them with: omnireport clients list --account NAME)");
        }

        await run.Console.Error.WriteLineAsync($"revoked OAuth client {clientId}: it gets no more tokens, and its tokens stop working").ConfigureAwait(false);
        return 0;
    }

    private static string Utc(long ms) =>
        DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
