using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using OmniReport.Api.Hosting;
using OmniReport.Cli.Settings;
using OmniReport.Core.Reports;
using OmniReport.Storage;
using Spectre.Console;

namespace OmniReport.Cli.Commands;

/// <summary>
/// <c>omnireport export</c>: one report from the store to a file, exactly as a report job's file would hold it
/// (the same request rules, the same writer), with a progress display on stderr.
/// </summary>
internal static class ExportCommand
{
    private static readonly Option<string> Account = Opt.Account();
    private static readonly Option<string> Report = Opt.Text("--report", "TYPE", "erc_omnichannel_report or engagements", required: true);
    private static readonly Option<string> From = Opt.Text("--from", "TIME",
        "start, inclusive: RFC 3339, YYYY-MM-DD, or YYYY-MM-DDTHH:MM:SS / \"YYYY-MM-DD HH:MM:SS\" in --timezone", required: true);
    private static readonly Option<string> To = Opt.Text("--to", "TIME", "end, exclusive (at most 366 days after --from), as --from", required: true);
    private static readonly Option<string> TimeZone = Opt.Text("--timezone", "TZ", "IANA time zone of the timespan and of the times written (default UTC)");
    private static readonly Option<string> Format = Opt.Text("--format", "FORMAT", "json (default), json_bulk or csv");
    private static readonly Option<string> Out = Opt.Text("--out", "FILE", "where to write (default: stdout)");

    public static Command Create() => new Command("export", """
        Writes a report of the account's records whose start lies in [from, to), exactly as a report job's file
        (POST /data/reports/TYPE/jobs) would hold it.
        """) { Account, Report, From, To, TimeZone, Format, Out, Setting.Db.Option }.Runs(RunAsync);

    private static async Task<int> RunAsync(Run run)
    {
        var typeName = run.Get(Report)!;
        if (!ReportNames.TryType(typeName, out var type))
        {
            throw new UsageException($"--report must be erc_omnichannel_report or engagements, not \"{typeName}\"");
        }

        var request = Request(run, typeName);
        var outPath = run.Get(Out);
        await using var store = await run.OpenStoreAsync(create: false).ConfigureAwait(false);
        var account = await run.AccountAsync(store, run.Get(Account)!).ConfigureAwait(false);
        Stream output;
        try
        {
            output = outPath is null or "-" ? run.Console.Out : new FileStream(outPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException($"cannot write {outPath}: {ex.Message}");
        }

        var clock = Stopwatch.StartNew();
        long rows;
        try
        {
            rows = run.Console.InteractiveError
                ? await WithSpinnerAsync(run.Console, progress => Export(store, account.Id, type, request, output, progress)).ConfigureAwait(false)
                : await Export(store, account.Id, type, request, output, _ => { }).ConfigureAwait(false);
        }
        finally
        {
            if (!ReferenceEquals(output, run.Console.Out))
            {
                await output.DisposeAsync().ConfigureAwait(false);
            }
        }

        var what = type == ReportType.Engagements ? "engagement records" : "interaction records";
        await run.Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"exported {rows} {what} ({typeName}) of account \"{account.Name}\" to {outPath ?? "stdout"} in {clock.Elapsed.TotalSeconds:0.0} s")).ConfigureAwait(false);
        return 0;
    }

    private static async Task<long> Export(IStore store, long accountId, ReportType type, ReportJobRequest request, Stream output, Action<long> progress) =>
        await ReportExport.WriteAsync(store, accountId, type, request, output, n =>
        {
            progress(n);
            return ValueTask.FromResult(true);
        }).ConfigureAwait(false) ?? 0;

    private static Task<long> WithSpinnerAsync(Terminal console, Func<Action<long>, Task<long>> work)
    {
        var ansi = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(console.Error), Interactive = InteractionSupport.Yes });
        return ansi.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask("exporting", maxValue: 1);
                task.IsIndeterminate = true;
                var rows = await work(n => task.Description = string.Create(CultureInfo.InvariantCulture, $"exporting: {n:N0} records")).ConfigureAwait(false);
                task.Description = string.Create(CultureInfo.InvariantCulture, $"exported: {rows:N0} records");
                task.Value = 1;
                task.StopTask();
                return rows;
            });
    }

    /// <summary>The options as a job body, validated by the same rules as <c>POST /data/reports/{type}/jobs</c>; problems named by option.</summary>
    private static ReportJobRequest Request(Run run, string typeName)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["name"] = typeName,
            ["timezone"] = run.Get(TimeZone) ?? "UTC",
            ["format"] = run.Get(Format) ?? "json",
            ["timespan"] = new Dictionary<string, string> { ["from"] = Day(run.Get(From)!), ["to"] = Day(run.Get(To)!) },
        });
        if (ReportJobRequest.TryParse(typeName, body, out var request, out var problems))
        {
            return request!;
        }

        static string Option(string field) => field switch
        {
            "timespan.from" => "--from",
            "timespan.to" => "--to",
            "timespan" => "--from/--to",
            _ => "--" + field,
        };
        throw new UsageException(string.Join("; ", problems.Select(p => $"{Option(p.Name)}: {p.Description.Replace("timespan.from", "--from", StringComparison.Ordinal)}")));
    }

    /// <summary>A date alone is the start of that day in the time zone (the natural input on a command line).</summary>
    private static string Day(string text) =>
        text.Length == 10 && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _) ? text + "T00:00:00" : text;
}
