using OmniReport.Core.Derivation;
using OmniReport.Core.Events;
using OmniReport.Core.Reports;
using OmniReport.Core.Settings;

namespace OmniReport.Cli;

/// <summary>
/// <c>omnireport derive</c>: events from a file, no database, every record they give on stdout exactly as a
/// report file holds it. Rejected events are reported on stderr by index, id and field; the valid ones
/// around them still count.
/// </summary>
internal static class DeriveCommand
{
    private const int MaxErrorsShown = 100;

    private const string Help = """
        omnireport derive FILE [options]

        Reads events (NDJSON, or a JSON array; FILE may be - for stdin) and writes every record they give to
        stdout, exactly as a report file holds it. No database.

        Options:
          --settings FILE   account settings (JSON object, any subset of the settings; defaults otherwise)
          --now TIME        RFC 3339 time that decides which inactivity ends are reached (default: now)
          --report TYPE     engagements (default) or erc_omnichannel_report
          --format FORMAT   json (default), json_bulk or csv
          --timezone TZ     IANA time zone of the times written (default UTC)
          --strict          exit 1 when any event was rejected (the report is still written)
        """ + "\n" + Arguments.CommonHelp;

    private static readonly HashSet<string> Valued = ["settings", "now", "report", "format", "timezone"];
    private static readonly HashSet<string> Flags = ["strict"];

    public static async Task<int> RunAsync(string[] args, Terminal console, TimeProvider time)
    {
        var a = new Arguments("derive", args, Valued, Flags, console);
        if (a.Flag("help"))
        {
            await console.WriteOutAsync(Help.TrimEnd() + "\n").ConfigureAwait(false);
            return 0;
        }

        if (a.Positional.Count != 1)
        {
            throw new UsageException($"omnireport derive: expected one FILE, got {a.Positional.Count}\n\n{Help}");
        }

        var settings = LoadSettings(a["settings"]);
        var now = ParseNow(a["now"], time);
        if (!ReportNames.TryType(a["report"] ?? "engagements", out var type))
        {
            throw new UsageException($"omnireport derive: --report must be engagements or erc_omnichannel_report, not \"{a["report"]}\"");
        }

        if (!ReportNames.TryFormat(a["format"] ?? "json", out var format))
        {
            throw new UsageException($"omnireport derive: --format must be json, json_bulk or csv, not \"{a["format"]}\"");
        }

        var zone = Zones.Find(a["timezone"] ?? "UTC")
            ?? throw new UsageException($"omnireport derive: --timezone must be an IANA time zone such as Europe/Lisbon, not \"{a["timezone"]}\"");

        var file = a.Positional[0];
        var (derivation, rejected, broken) = await ReadEventsAsync(file, console.Error).ConfigureAwait(false);
        var used = derivation.Count;
        var derived = derivation.RunAndRelease(settings, now);
        await DerivedReport.WriteAsync(console.Out, derived, type, format, zone).ConfigureAwait(false);
        if (rejected > 0)
        {
            await console.Error.WriteLineAsync($"omnireport derive: {file}: {rejected} event(s) rejected, {used} used").ConfigureAwait(false);
        }

        // A JSON array that breaks off still gives the report of the events before the break, but the file is
        // faulty: exit 1, as for a file that cannot be read.
        return broken || (rejected > 0 && a.Flag("strict")) ? 1 : 0;
    }

    private static async Task<(AccountDerivation Derivation, long Rejected, bool Broken)> ReadEventsAsync(string file, TextWriter error)
    {
        Stream input;
        try
        {
            input = file == "-" ? System.Console.OpenStandardInput() : new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"omnireport derive: cannot read {file}: {ex.Message}", 1);
        }

        // Sized from the file (an event of NDJSON is 100–200 bytes), so the duplicate check is built once.
        var derivation = new AccountDerivation(input.CanSeek ? (int)Math.Min(input.Length / 160, 50_000_000) : 0);
        var parser = new EventParser();
        long rejected = 0;
        var broken = false;
        var messages = new List<string>();
        try
        {
            await using (input.ConfigureAwait(false))
            {
                EventStreamReader.Read(input, (index, line, json) =>
                {
                    if (parser.TryParse(json, index, out var ev, out var problem))
                    {
                        derivation.Add(ev!);
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
            json = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"omnireport derive: cannot read settings {path}: {ex.Message}", 1);
        }

        if (!SettingsJson.TryApply(AccountSettings.Default, json, out var settings, out var error))
        {
            var where = error!.Field is null ? "" : $" {error.Field}:";
            throw new UsageException($"omnireport derive: settings {path}:{where} {error.Description}", 1);
        }

        return settings;
    }

    private static long ParseNow(string? text, TimeProvider time)
    {
        if (text is null)
        {
            return time.GetUtcNow().ToUnixTimeMilliseconds();
        }

        return Rfc3339.TryParse(text, out var ms)
            ? ms
            : throw new UsageException($"omnireport derive: --now must be an RFC 3339 time with an offset, such as 2026-11-21T09:15:00Z, not \"{text}\"");
    }
}
