using System.CommandLine;
using OmniReport.Cli.Settings;
using OmniReport.Storage;

namespace OmniReport.Cli.Commands;

/// <summary><c>omnireport accounts create NAME</c>.</summary>
internal static class AccountsCommand
{
    private static readonly Argument<string> Name = new("NAME") { Description = "the account's name" };

    public static Command Create() => new("accounts", "Accounts.")
    {
        new Command("create", "Creates an account. Create a token for it with: omnireport tokens create --account NAME") { Name, Setting.Db.Option }
            .Runs(CreateAsync),
    };

    private static async Task<int> CreateAsync(Run run)
    {
        var name = run.Get(Name);
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new UsageException("the account's NAME must not be blank");
        }

        await using var store = await run.OpenStoreAsync(create: true).ConfigureAwait(false);
        try
        {
            var account = await store.CreateAccountAsync(name).ConfigureAwait(false);
            await run.Console.Error.WriteLineAsync($"created account \"{account.Name}\"").ConfigureAwait(false);
            return 0;
        }
        catch (StoreConflictException ex)
        {
            throw new CommandFailedException(ex.Message);
        }
    }
}
