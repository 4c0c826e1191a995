using System.CommandLine;
using System.Globalization;
using OmniReport.Cli.Settings;
using OmniReport.Core.Derivation;
using OmniReport.Core.Events;
using OmniReport.Core.Reports;
using OmniReport.Core.Settings;
using NodaTime;

namespace OmniReport.Cli.Commands;

/// <summary>
/// <c>omnireport derive</c>: events from a file, no database, every record they give on stdout exactly as a
/// report file holds it. Rejected events are reported on stderr by line, id and field; the valid ones
/// around them still count.
/// </summary>
internal static class DeriveCommand
{
    private const int MaxErrorsShown = 100;

    private static readonly Argument<string> File = new("FILE") { Description = "events: NDJSON or a JSON array; - for stdin" };
    private static readonly Option<string> SettingsFile = Opt.Text("--settings", "FILE", "account settings (JSON object, any subset of the settings; defaults otherwise)");
    private static readonly Option<long?> Now = Opt.Instant("--now", "RFC 3339 time that decides which inactivity ends are reached (default: now)");

    private static readonly Option<ReportType> Report = Opt.Parsed("--report", "TYPE", "engagements (default) or erc_omnichannel_report", ReportType.Engagements,
        "be engagements or erc_omnichannel_report", t => ReportNames.TryType(t, out var type) ? type : null);

    private static readonly Option<ReportFormat> Format = Opt.Parsed("--format", "FORMAT", "json (default), json_bulk or csv", ReportFormat.Json,
        "be json, json_bulk or csv", t => ReportNames.TryFormat(t, out var f) ? f : null);

    private static readonly Option<DateTimeZone> Zone = Opt.Zone("--timezone", "IANA time zone of the times written (default UTC)");
    private static readonly Option<bool> Strict = new("--strict") { Description = "exit 1 when any event was rejected (the report is still written)" };

    public static Command Create() => new Command("derive", """
        Reads events (NDJSON, or a JSON array; FILE may be - for stdin) and writes every record they give to
        stdout, exactly as a report file holds it. No database.
        """) { File, SettingsFile, Now, Report, Format, Zone, Strict, Setting.ParseThreads.Option }.Runs(RunAsync);

    private static async Task<int> RunAsync(Run run)
    {
        var settings = LoadSettings(run.Get(SettingsFile));
        var now = run.Get(Now) ?? run.Time.GetUtcNow().ToUnixTimeMilliseconds();
        var file = run.Get(File);
        var threads = ParseThreads(run);
        var (derivation, rejected, broken) = await ReadEventsAsync(file, threads, run.Console.Error).ConfigureAwait(false);
        var used = derivation.CountOn(threads);
        // Only what the report written needs: the engagements, or the interaction records and the agents' names.
        var report = run.Get(Report);
        var derived = derivation.RunAndRelease(settings, now, threads, report == ReportType.Engagements ? DerivedParts.Engagements : DerivedParts.Interactions);
        // Formatted on every core too, a block of records each, written in order (the same bytes on any number of threads).
        await DerivedReport.WriteAsync(run.Console.Out, derived, report, run.Get(Format), run.Get(Zone)!, threads).ConfigureAwait(false);
        if (rejected > 0)
        {
            await run.Console.Error.WriteLineAsync($"omnireport derive: {file}: {rejected} event(s) rejected, {used} used").ConfigureAwait(false);
        }

        // A JSON array that breaks off still gives the report of the events before the break, but the file is
        // faulty: exit 1, as for a file that cannot be read.
        return broken || (rejected > 0 && run.Get(Strict)) ? 1 : 0;
    }

    /// <summary>The parse-threads setting: 0 is one per core.</summary>
    internal static int ParseThreads(Run run)
    {
        var n = (int)long.Parse(run.Settings.Text(Setting.ParseThreads)!, CultureInfo.InvariantCulture);
        return n == 0 ? ParallelEventReader.DefaultWorkers : n;
    }

    private static async Task<(AccountDerivation Derivation, long Rejected, bool Broken)> ReadEventsAsync(string file, int threads, TextWriter error)
    {
        var input = Input.Open(file);

        // Sized from the file (an event of NDJSON is 100–200 bytes), so the arrays are made once. Duplicates are found
        // all at once after the last event, which costs less than a lookup per event on this sequential thread.
        var derivation = new AccountDerivation(input.CanSeek ? (int)Math.Min(input.Length / 160, 50_000_000) : 0, duplicatesLast: true);
        long rejected = 0;
        var broken = false;
        var messages = new List<string>();
        try
        {
            await using (input.ConfigureAwait(false))
            {
                // Parsed on every core, handed over here in file order: the derivation stays one sequential fold. Add
                // copies what it keeps, so the reader refills the same few event instances and hands each id over as its
                // UTF-8 bytes, which is how the duplicate check keeps it (ReadHeld).
                ParallelEventReader.ReadHeld(input, threads, handler: (_, line, ev, id, problem) =>
                {
                    if (ev is not null)
                    {
                        derivation.Add(ev, id);
                        return;
                    }

                    rejected++;
                    if (messages.Count < MaxErrorsShown)
                    {
                        messages.Add($"omnireport derive: {file}: {problem!.AtLine(line)}");
                    }
                });
            }
        }
        catch (BrokenArrayException ex)
        {
            broken = true;
            messages.Add($"omnireport derive: {file}: line {ex.Line}, element {ex.Index}: {ex.Message}; nothing after it was read");
        }

        foreach (var m in messages)
        {
            await error.WriteLineAsync(m).ConfigureAwait(false);
        }

        if (rejected > MaxErrorsShown)
        {
            await error.WriteLineAsync($"omnireport derive: {file}: … and {rejected - MaxErrorsShown} more rejected events").ConfigureAwait(false);
        }

        return (derivation, rejected, broken);
    }

    private static AccountSettings LoadSettings(string? path)
    {
        if (path is null)
        {
            return AccountSettings.Default;
        }

        string json;
        try
        {
            json = System.IO.File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read settings {path}: {ex.Message}", 1);
        }

        if (!SettingsJson.TryApply(AccountSettings.Default, json, out var settings, out var error))
        {
            throw new UsageException($"settings {path}: {error!.Name}: {error.Description}", 1);
        }

        return settings;
    }
}
