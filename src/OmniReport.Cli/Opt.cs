using System.CommandLine;
using System.CommandLine.Parsing;
using NodaTime;
using OmniReport.Cli.Settings;
using OmniReport.Core.Events;
using OmniReport.Core.Settings;
using OmniReport.Storage;

namespace OmniReport.Cli;

/// <summary>
/// Typed options of one run (not settings of an installation: those are <see cref="Setting"/>s). A value that does
/// not parse is an error naming the option, the value and what it must be.
/// </summary>
internal static class Opt
{
    /// <summary>A text option.</summary>
    public static Option<string> Text(string name, string placeholder, string description, bool required = false) =>
        new(name) { HelpName = placeholder, Description = description, Required = required };

    /// <summary><c>--account NAME</c>, required: the account a command works on.</summary>
    public static Option<string> Account(string description = "the account") => Text("--account", "NAME", description, required: true);

    /// <summary><c>--scopes a,b</c>: the scopes of a new token or client (default: all).</summary>
    public static Option<Scopes> ScopeList() => Parsed("--scopes", "SCOPES", "comma-separated: events:write, reports:read, admin (default: all three)",
        Scopes.All, "list events:write, reports:read and/or admin, comma separated", t => Tokens.TryParseScopes(t, out var s) ? s : null);

    /// <summary>A whole number within [min, max].</summary>
    public static Option<long> Number(string name, string description, long min, long max, long fallback) =>
        Parsed(name, "N", $"{description} (default {fallback})", fallback, "be " + Values.NumberText(min, max),
            t => Values.TryNumber(t, min, max, out var n) ? n : null);

    /// <summary>A fraction from 0 to 1 (default 0).</summary>
    public static Option<double> Fraction(string name, string description) =>
        Parsed(name, "FRACTION", $"{description} (default 0)", 0.0, "be a fraction between 0 and 1",
            t => Values.TryFraction(t, out var f) ? f : null);

    /// <summary>An option whose text <paramref name="parse"/> reads (null: not acceptable; "--name must <paramref name="what"/>" says what is).</summary>
    public static Option<T> Parsed<T>(string name, string placeholder, string description, T fallback, string what, Func<string, T?> parse)
        where T : struct =>
        new(name)
        {
            HelpName = placeholder,
            Description = description,
            DefaultValueFactory = _ => fallback,
            CustomParser = r => Read(r, name, what, parse) ?? fallback,
        };

    /// <summary>An RFC 3339 time, as Unix milliseconds (null when not given).</summary>
    public static Option<long?> Instant(string name, string description) => new(name)
    {
        HelpName = "TIME",
        Description = description,
        CustomParser = r => Read<long>(r, name, "be an RFC 3339 time with an offset, in the years 0001–9999 in UTC, such as 2026-11-21T09:15:00Z", t => Rfc3339.TryParse(t, out var ms) && Rfc3339.InRange(ms) ? ms : null),
    };

    /// <summary>An IANA time zone (default UTC).</summary>
    public static Option<DateTimeZone> Zone(string name, string description) => new(name)
    {
        HelpName = "TZ",
        Description = description,
        DefaultValueFactory = _ => DateTimeZone.Utc,
        CustomParser = r =>
        {
            var text = r.Tokens.Count > 0 ? r.Tokens[0].Value : "";
            var zone = Zones.Find(text);
            if (zone is null)
            {
                r.AddError($"{name} must be an IANA time zone such as Europe/Lisbon, not \"{text}\"");
            }

            return zone ?? DateTimeZone.Utc;
        },
    };

    private static T? Read<T>(ArgumentResult r, string name, string what, Func<string, T?> parse)
        where T : struct
    {
        var text = r.Tokens.Count > 0 ? r.Tokens[0].Value : "";
        var value = parse(text);
        if (value is null)
        {
            r.AddError($"{name} must {what}, not \"{text}\"");
        }

        return value;
    }
}
