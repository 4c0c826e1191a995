using System.Buffers;
using System.Text.Json;
using OmniReport.Core.Derivation;
using OmniReport.Core.Events;
using OmniReport.Generation;
using OmniReport.Core.Settings;

namespace OmniReport.Core.Tests;

/// <summary>The synthetic event generator: deterministic, valid, and covering the whole SPEC.</summary>
public sealed class EventGeneratorTests
{
    // Well after the default window (7 days from 2026-03-02): every inactivity end has been reached.
    private static readonly long Now = DateTimeOffset.Parse("2026-04-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();

    [Fact]
    public void Same_options_and_seed_give_the_same_bytes()
    {
        var options = new GeneratorOptions { Interactions = 300, LateFraction = 0.1, DuplicateFraction = 0.05 };
        Assert.Equal(Bytes(options), Bytes(options));
    }

    [Fact]
    public void A_different_seed_gives_different_events()
    {
        var options = new GeneratorOptions { Interactions = 300 };
        Assert.NotEqual(Bytes(options), Bytes(options with { Seed = 2 }));
    }

    [Fact]
    public void Every_event_passes_the_parser()
    {
        var lines = Lines(new GeneratorOptions { LateFraction = 0.05, DuplicateFraction = 0.02 });
        var parser = new EventParser();
        for (var i = 0; i < lines.Count; i++)
        {
            Assert.True(parser.TryParse(lines[i], i, out _, out var error), error?.ToString());
        }
    }

    [Fact]
    public void A_default_run_derives_every_start_reason_end_reason_and_interaction_status()
    {
        var derived = Derive(new GeneratorOptions());
        Assert.Empty(Reasons.AllStart.Except(derived.Engagements.Select(e => e.StartReason)));
        Assert.Empty(Reasons.AllEnd.Except(derived.Engagements.Select(e => e.EndReason)));
        string[] statuses = ["FINISHED", "MISSED", "ABANDONED", "VOICEMAIL", "ASSIGNED", "OFFERED"];
        Assert.Empty(statuses.Except(derived.Interactions.Select(r => r.Status)));
        Assert.Empty(Enum.GetValues<Channel>().Except(derived.Interactions.Select(r => r.Channel)));
        Assert.Contains(derived.Interactions, r => r.AgentType == "VIRTUAL_AGENT");
        Assert.Contains(derived.Interactions, r => r.Direction == Direction.Outbound);
    }

    [Fact]
    public void A_default_run_has_every_event_type_and_internal_notes()
    {
        var events = new EventGenerator(new GeneratorOptions()).Events().ToList();
        Assert.Empty(Enum.GetValues<EventType>().Except(events.Select(e => e.Type)));
        Assert.Contains(events, e => e.Internal);
        Assert.Contains(events, e => e.Unassign);
    }

    [Fact]
    public void Late_and_duplicate_deliveries_change_the_order_but_not_the_records()
    {
        var plain = Derive(new GeneratorOptions { Interactions = 400 });
        var messy = Derive(new GeneratorOptions { Interactions = 400, LateFraction = 0.2, DuplicateFraction = 0.1 });
        Assert.Equal(plain.Engagements, messy.Engagements);
        Assert.Equal(plain.Interactions, messy.Interactions);
    }

    [Fact]
    public void Late_deliveries_come_out_of_time_order_and_duplicates_repeat_an_id()
    {
        var events = new EventGenerator(new GeneratorOptions { Interactions = 300, LateFraction = 0.1, DuplicateFraction = 0.05 }).Events().ToList();
        var perInteraction = events.GroupBy(e => e.InteractionId);
        Assert.Contains(perInteraction, g => g.Zip(g.Skip(1)).Any(p => p.Second.OccurredAtMs < p.First.OccurredAtMs));
        Assert.True(events.Select(e => e.Id).Distinct().Count() < events.Count);
    }

    [Fact]
    public void Events_option_gives_exactly_that_many_events()
    {
        Assert.Equal(5000, Lines(new GeneratorOptions { Events = 5000, DuplicateFraction = 0.01 }).Count);
    }

    [Fact]
    public void Arrivals_follow_business_hours_and_weekdays_in_the_time_zone()
    {
        var zone = NodaTime.DateTimeZoneProviders.Tzdb["America/New_York"];
        var created = new EventGenerator(new GeneratorOptions { Interactions = 5000, Days = 14, TimeZone = zone }).Events()
            .Where(e => e.Type == EventType.InteractionCreated)
            .Select(e => NodaTime.Instant.FromUnixTimeMilliseconds(e.OccurredAtMs).InZone(zone).LocalDateTime)
            .ToList();
        var office = created.Count(t => t.Hour is >= 9 and < 17);
        var night = created.Count(t => t.Hour is >= 0 and < 6);
        Assert.True(office > 8 * night, $"{office} office-hours arrivals, {night} at night");
        var weekday = created.Count(t => t.DayOfWeek < NodaTime.IsoDayOfWeek.Saturday) / 10.0;
        var weekend = created.Count(t => t.DayOfWeek >= NodaTime.IsoDayOfWeek.Saturday) / 4.0;
        Assert.True(weekday > 2 * weekend, $"{weekday} a weekday, {weekend} a weekend day");
        Assert.All(created, t => Assert.InRange(t.Date, new NodaTime.LocalDate(2026, 3, 2), new NodaTime.LocalDate(2026, 3, 15)));
    }

    [Fact]
    public void The_channel_mix_decides_the_channels()
    {
        Assert.True(ChannelMix.TryParse("voice=1", out var mix, out _));
        var derived = Derive(new GeneratorOptions { Interactions = 200, Mix = mix! });
        Assert.All(derived.Interactions, r => Assert.Equal(Channel.Voice, r.Channel));
        Assert.False(ChannelMix.TryParse("fax=1", out _, out var problem));
        Assert.Contains("fax", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Ids_are_mostly_numeric()
    {
        var events = new EventGenerator(new GeneratorOptions()).Events().ToList();
        var agents = events.Where(e => e.Type == EventType.OfferAccepted).Select(e => e.AgentId!).ToList();
        Assert.True(agents.Count(a => a.All(char.IsAsciiDigit)) > agents.Count * 0.7);
        var tickets = events.Select(e => e.InteractionId).Distinct().ToList();
        Assert.True(tickets.Count(a => a.All(char.IsAsciiDigit)) > tickets.Count * 0.6);
    }

    private static byte[] Bytes(GeneratorOptions options)
    {
        using var stream = new MemoryStream();
        new EventGenerator(options).WriteNdjson(stream);
        return stream.ToArray();
    }

    private static List<byte[]> Lines(GeneratorOptions options)
    {
        var lines = new List<byte[]>();
        Utf8JsonWriter? writer = null;
        foreach (var e in new EventGenerator(options).Events())
        {
            var buffer = new ArrayBufferWriter<byte>();
            e.WriteLine(buffer, ref writer);
            Assert.Equal((byte)'\n', buffer.WrittenSpan[^1]);
            lines.Add(buffer.WrittenSpan[..^1].ToArray());
        }

        writer?.Dispose();
        return lines;
    }

    private static DerivedAccount Derive(GeneratorOptions options)
    {
        var derivation = new AccountDerivation();
        var parser = new EventParser();
        var lines = Lines(options);
        for (var i = 0; i < lines.Count; i++)
        {
            Assert.True(parser.TryParse(lines[i], i, out var ev, out var error), error?.ToString());
            derivation.Add(ev!);
        }

        return derivation.Run(AccountSettings.Default, Now);
    }
}
