using System.Text.Json.Nodes;
using OmniReport.Core.Events;
using OmniReport.TestSupport;

namespace OmniReport.Core.Tests;

/// <summary>The engine's engagements against <see cref="ReferenceModel"/>, an independent plain reading of §3, on random streams.</summary>
public sealed class DifferentialTests
{
    private static readonly TimeZoneInfo Lisbon = TimeZoneInfo.FindSystemTimeZoneById("Europe/Lisbon");

    /// <summary>The generator's business hours, read with .NET's own time zones: Lisbon, mon 09–17, tue 08–24, wed all day, holiday 2026-03-04 (a wednesday).</summary>
    private static bool GeneratedHoursOpen(long ms)
    {
        var local = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(ms), Lisbon).DateTime;
        if (local.Date == new DateTime(2026, 3, 4, 0, 0, 0, DateTimeKind.Unspecified))
        {
            return false;
        }

        var minute = local.TimeOfDay.TotalMinutes;
        return local.DayOfWeek switch
        {
            DayOfWeek.Monday => minute is >= 9 * 60 and < 17 * 60,
            DayOfWeek.Tuesday => minute >= 8 * 60,
            DayOfWeek.Wednesday => true,
            _ => false,
        };
    }

    private static string Lower(TicketStatus s) => s == TicketStatus.OnHold ? "on_hold" : s.ToString().ToLowerInvariant();

    private static ReferenceModel.Eng FromEngine(OmniReport.Core.Derivation.Engagement e) => new(
        e.EngagementId, e.TicketId, e.AgentId, e.GroupId, e.RequesterId, e.OfferTimeSeconds, e.AssignmentToFirstReplyTimeSeconds,
        e.AgentMessagesCount, e.AgentRepliesCount, e.TotalRequesterWaitTimeSeconds, e.LongestRequesterWaitTimeSeconds,
        e.Channel.ToString().ToLowerInvariant(), e.StartReason, e.StartMs, e.EndMs, Lower(e.StatusStart), Lower(e.StatusEnd), e.EndReason,
        e.AverageRequesterWaitTimeSeconds, e.EndUserMessagesCount, e.EngagementDurationSeconds);

    private static List<ReferenceModel.Eng> Sorted(IEnumerable<ReferenceModel.Eng> list) =>
        list.OrderBy(e => e.TicketId, StringComparer.Ordinal).ThenBy(e => e.StartMs).ThenBy(e => e.EndMs).ThenBy(e => e.EngagementId, StringComparer.Ordinal).ToList();

    [Fact]
    public void Engine_engagements_equal_the_reference_reading_on_random_streams()
    {
        for (var seed = 0; seed < 500; seed++)
        {
            var s = PropertyTests.Generate(seed);
            var settings = JsonNode.Parse(s.Settings)!.AsObject();
            var hours = settings["business_hours"] is not null;
            var window = settings["inactivity_timeout_minutes"]!.GetValue<int>();
            var off = settings["messaging_activity_routing"]!.GetValue<bool>() || settings["inactive_conversations_count_toward_capacity"]!.GetValue<bool>();
            var engine = Sorted(Derived.From(s.Lines, settings.ToJsonString(), s.Now).Account.Engagements.Select(FromEngine));
            var model = Sorted(ReferenceModel.Engagements(s.Lines, window, off, s.MaxDays, EventLog.Ms(s.Now), hours ? GeneratedHoursOpen : null));
            for (var i = 0; i < Math.Max(engine.Count, model.Count); i++)
            {
                var a = i < engine.Count ? engine[i] : null;
                var b = i < model.Count ? model[i] : null;
                if (a != b)
                {
                    Assert.Fail($"seed {seed}, engagement {i}:\n engine {a}\n model  {b}\nsettings {settings.ToJsonString()} now {s.Now}\n{string.Join("\n", s.Lines)}");
                }
            }
        }
    }

    [Fact]
    public void Engine_interaction_records_equal_the_reference_reading_on_random_streams()
    {
        for (var seed = 0; seed < 500; seed++)
        {
            var s = PropertyTests.Generate(seed);
            var engine = Derived.From(s.Lines, s.Settings, s.Now).Interactions;
            var model = new JsonArray(ReferenceRecords.Records(s.Lines).Select(r => (JsonNode)r).ToArray());
            if (Scenarios.FirstDifference(engine, model) is { } difference)
            {
                Assert.Fail($"seed {seed}: {difference}\n{string.Join("\n", s.Lines)}");
            }
        }
    }
}
