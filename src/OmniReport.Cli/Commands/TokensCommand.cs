using System.CommandLine;
using OmniReport.Cli.Settings;
using OmniReport.Storage;

namespace OmniReport.Cli.Commands;

/// <summary><c>omnireport tokens create --account NAME [--scopes a,b]</c>: prints only the token.</summary>
internal static class TokensCommand
{
    private static readonly Option<string> Account = Opt.Account();

    private static readonly Option<Scopes> ScopeList = Opt.ScopeList();

    public static Command Create() => new("tokens", "API tokens.")
    {
        new Command("create", "Creates an API token for the account and prints it (only it) on stdout. The store keeps only its hash:\nit cannot be shown again.")
        {
            Account, ScopeList, Setting.Db.Option,
        }.Runs(CreateAsync),
    };

    private static async Task<int> CreateAsync(Run run)
    {
        await using var store = await run.OpenStoreAsync(create: false).ConfigureAwait(false);
        var account = await run.AccountAsync(store, run.Get(Account)!).ConfigureAwait(false);
        var token = await store.CreateTokenAsync(account.Id, run.Get(ScopeList)).ConfigureAwait(false);
        await run.Console.WriteOutAsync(token + "\n").ConfigureAwait(false);
        return 0;
    }
}
