using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;
using NodaTime.Text;

namespace OmniReport.Core.Settings;

/// <summary>
/// The settings object of SPEC §2 as JSON has it: what <c>GET</c>/<c>PUT /api/v2/settings</c> answer and what the
/// stores keep. <see cref="SettingsJson.TryApply"/> reads it field by field, to name a bad one.
/// </summary>
/// <param name="InactivityTimeoutMinutes">The activity window, in minutes.</param>
/// <param name="MessagingActivityRouting">When true, inactivity never ends an engagement.</param>
/// <param name="InactiveConversationsCountTowardCapacity">When true, inactivity never ends an engagement.</param>
/// <param name="OpenEngagementMaxDays">An engagement longer than this many days is never logged.</param>
/// <param name="BusinessHours">Business hours; null means always open.</param>
public sealed record SettingsDocument(
    int InactivityTimeoutMinutes,
    bool MessagingActivityRouting,
    bool InactiveConversationsCountTowardCapacity,
    int OpenEngagementMaxDays,
    [property: Description("null (always open) or {timezone, weekly: [{day, start, end}], holidays: [YYYY-MM-DD]}.")] BusinessHoursDocument? BusinessHours)
{
    internal static readonly string[] DayNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

    /// <summary>The document of <paramref name="s"/>.</summary>
    public static SettingsDocument From(AccountSettings s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var b = s.BusinessHours;
        return new(s.InactivityTimeoutMinutes, s.MessagingActivityRouting, s.InactiveConversationsCountTowardCapacity, s.OpenEngagementMaxDays,
            b is null ? null : new BusinessHoursDocument(
                b.TimeZone,
                [.. b.Weekly.Select(i => new WeeklyIntervalDocument(DayNames[(int)i.Day - 1], Clock(i.StartMinute), Clock(i.EndMinute)))],
                [.. b.Holidays.Select(LocalDatePattern.Iso.Format)]));
    }

    private static string Clock(int minute) => $"{minute / 60:00}:{minute % 60:00}";
}

/// <summary>Business hours: <c>{timezone, weekly, holidays}</c>.</summary>
/// <param name="Timezone">IANA time zone name.</param>
/// <param name="Weekly">The open intervals of each week.</param>
/// <param name="Holidays">Whole days closed, YYYY-MM-DD.</param>
public sealed record BusinessHoursDocument(string Timezone, IReadOnlyList<WeeklyIntervalDocument> Weekly, IReadOnlyList<string> Holidays);

/// <summary>One weekly interval.</summary>
/// <param name="Day">mon … sun.</param>
/// <param name="Start">HH:MM.</param>
/// <param name="End">HH:MM, 24:00 allowed.</param>
public sealed record WeeklyIntervalDocument(
    [property: Description("mon … sun")] string Day,
    [property: Description("HH:MM")] string Start,
    [property: Description("HH:MM, 24:00 allowed")] string End);

/// <summary>The stores' form of the settings document: snake_case, source-generated.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(SettingsDocument))]
internal sealed partial class SettingsDocumentJson : JsonSerializerContext;
