using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text;
using OmniReport.Api.Hosting;
using OmniReport.Core.Reports;
using OmniReport.Storage;
using Spectre.Console;

namespace OmniReport.Cli;

/// <summary>
/// <c>omnireport export</c>: one report from the store to a file, exactly as a report job's file would hold it
/// (the same request rules, the same writer), with a progress display on stderr.
/// </summary>
internal static class ExportCommand
{
    private const string Help = """
        omnireport export --account NAME --report TYPE --from TIME --to TIME [options]

        Writes a report of the account's records whose start lies in [from, to), exactly as a report job's file
        (POST /data/reports/TYPE/jobs) would hold it.

        Options:
          --account NAME    the account
          --report TYPE     erc_omnichannel_report or engagements
          --from TIME       start, inclusive: RFC 3339, or YYYY-MM-DDTHH:MM:SS / "YYYY-MM-DD HH:MM:SS" in --timezone
          --to TIME         end, exclusive (at most 366 days after --from)
          --timezone TZ     IANA time zone of the timespan and of the times written (default UTC)
          --format FORMAT   json (default), json_bulk or csv
          --out FILE        where to write (default: stdout)
        """ + "\n" + StoreOption.Help;

    private static readonly HashSet<string> Valued = ["account", "report", "from", "to", "timezone", "format", "out", StoreOption.Name];
    private static readonly HashSet<string> Flags = [];

    public static async Task<int> RunAsync(string[] args, Terminal console, TimeProvider time)
    {
        var a = new Arguments("export", args, Valued, Flags, console);
        if (a.Flag("help"))
        {
            await console.WriteOutAsync(Help.TrimEnd() + "\n").ConfigureAwait(false);
            return 0;
        }

        if (a.Positional.Count > 0)
        {
            throw new UsageException($"omnireport export: unexpected argument \"{a.Positional[0]}\"\n\n{Help}");
        }

        var accountName = a["account"] ?? throw new UsageException($"omnireport export: --account NAME is required\n\n{Help}");
        var typeName = a["report"] ?? throw new UsageException($"omnireport export: --report TYPE is required\n\n{Help}");
        if (!ReportNames.TryType(typeName, out var type))
        {
            throw new UsageException($"omnireport export: --report must be erc_omnichannel_report or engagements, not \"{typeName}\"");
        }

        var request = Request(a, typeName);
        var outPath = a["out"];
        await using var store = await StoreOption.OpenAsync(a, time).ConfigureAwait(false);
        var account = await StoreOption.AccountAsync(store, "export", accountName).ConfigureAwait(false);
        Stream output;
        try
        {
            output = outPath is null or "-" ? console.Out : new FileStream(outPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException($"omnireport export: cannot write {outPath}: {ex.Message}");
        }

        var clock = Stopwatch.StartNew();
        long rows;
        try
        {
            var interactive = console.InteractiveError;
            rows = interactive
                ? await WithSpinnerAsync(console, progress => Export(store, account.Id, type, request, output, progress)).ConfigureAwait(false)
                : await Export(store, account.Id, type, request, output, _ => { }).ConfigureAwait(false);
        }
        finally
        {
            if (!ReferenceEquals(output, console.Out))
            {
                await output.DisposeAsync().ConfigureAwait(false);
            }
        }

        await console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"exported {rows} {typeName} records of account \"{account.Name}\" to {outPath ?? "stdout"} in {clock.Elapsed.TotalSeconds:0.0} s")).ConfigureAwait(false);
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

    /// <summary>The options as a job body, validated by the same rules as <c>POST /data/reports/{type}/jobs</c>.</summary>
    private static ReportJobRequest Request(Arguments a, string typeName)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("name", typeName);
            w.WriteString("timezone", a["timezone"] ?? "UTC");
            w.WriteString("format", a["format"] ?? "json");
            w.WriteStartObject("timespan");
            if (a["from"] is { } from)
            {
                w.WriteString("from", from);
            }

            if (a["to"] is { } to)
            {
                w.WriteString("to", to);
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        if (ReportJobRequest.TryParse(typeName, buffer.ToArray(), out var request, out var problems))
        {
            return request!;
        }

        var lines = new StringBuilder();
        foreach (var p in problems)
        {
            var option = p.Name switch
            {
                "timespan.from" => "--from",
                "timespan.to" => "--to",
                "timespan" => "--from/--to",
                _ => "--" + p.Name,
            };
            lines.Append(CultureInfo.InvariantCulture, $"omnireport export: {option}: {p.Description}\n");
        }

        throw new UsageException(lines.ToString().TrimEnd());
    }
}
