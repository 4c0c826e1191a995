using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using OmniReport.Cli.Settings;
using OmniReport.Storage;
using Spectre.Console;

namespace OmniReport.Cli.Commands;

/// <summary>
/// <c>omnireport rebuild [--account NAME]</c> (SPEC §6): recomputes every stored record of one or all accounts from
/// their stored events, a chunk of interactions per transaction, so a running service keeps answering and an
/// interrupted rebuild resumes where it stopped when run again (or when any command next opens the store).
/// </summary>
internal static class RebuildCommand
{
    private static readonly Option<string> Account = Opt.Text("--account", "NAME", "only this account (default: every account)");

    public static Command Create() => new Command("rebuild", """
        Recomputes every engagement and interaction record of the account (default: of every account) from its
        stored events, as a fresh import of the same events would give them; for after an upgrade that changes
        how records are derived. Online: the service may keep running and taking events. Progress goes to stderr
        (a bar on a terminal, else one line per step); an interrupted rebuild resumes where it stopped.
        """) { Account, Setting.Db.Option }.Runs(RunAsync);

    private static async Task<int> RunAsync(Run run)
    {
        var console = run.Console;
        await using var store = await run.OpenStoreAsync(create: false).ConfigureAwait(false);
        IReadOnlyList<Account> accounts = run.Get(Account) is { } name
            ? [await run.AccountAsync(store, name).ConfigureAwait(false)]
            : [.. (await store.ListProjectionsAsync().ConfigureAwait(false)).Select(p => p.Account)];
        var clock = Stopwatch.StartNew();
        long total = 0;
        foreach (var account in accounts)
        {
            total += console.InteractiveError
                ? await WithProgressBarAsync(store, account, console).ConfigureAwait(false)
                : await ProjectionRebuild.AccountAsync(store, account.Id, (done, all) => console.Error.WriteLine(
                    string.Create(CultureInfo.InvariantCulture, $"rebuilt {done} of {all} interactions of account \"{account.Name}\""))).ConfigureAwait(false);
        }

        var seconds = Math.Max(clock.Elapsed.TotalSeconds, 1e-3);
        await console.WriteOutAsync(string.Create(CultureInfo.InvariantCulture,
            $"rebuilt {total} interactions of {accounts.Count} account(s) ({store.Kind}) in {seconds:0.0} s ({total / seconds:0} interactions/s)\n")).ConfigureAwait(false);
        return 0;
    }

    private static async Task<long> WithProgressBarAsync(IStore store, Account account, Terminal console)
    {
        var ansi = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(console.Error), Interactive = InteractionSupport.Yes });
        long rebuilt = 0;
        await ansi.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask($"rebuilding {Markup.Escape(account.Name)}", maxValue: 1);
                rebuilt = await ProjectionRebuild.AccountAsync(store, account.Id, (done, all) =>
                {
                    task.MaxValue = Math.Max(all, 1);
                    task.Value = Math.Min(done, task.MaxValue);
                }).ConfigureAwait(false);
                task.Value = task.MaxValue;
                task.StopTask();
            }).ConfigureAwait(false);
        return rebuilt;
    }
}
