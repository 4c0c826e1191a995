using NodaTime;
using OmniReport.Core.Derivation;
using OmniReport.Core.Events;
using OmniReport.Core.Reports;
using OmniReport.Core.Settings;
using OmniReport.Generation;

namespace OmniReport.Core.Tests;

/// <summary><see cref="AccountDerivation.RunAndRelease(AccountSettings, long, int)"/> gives the same account on any number of threads.</summary>
public sealed class ParallelFoldTests
{
    private static readonly long Now = DateTimeOffset.Parse("2026-04-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(8)]
    public async Task Folding_on_several_threads_gives_the_records_names_and_order_of_one_thread(int workers)
    {
        var lines = GeneratedLines.Of(new GeneratorOptions { Interactions = 3000, LateFraction = 0.1, DuplicateFraction = 0.05, Seed = 18 });
        var one = Derive(lines, 1);
        var many = Derive(lines, workers);
        Assert.True(one.Interactions.Count >= 2900);
        Assert.Equal(one.Names.Sightings.OrderBy(s => s.AgentId, StringComparer.Ordinal), many.Names.Sightings.OrderBy(s => s.AgentId, StringComparer.Ordinal));
        foreach (var type in new[] { ReportType.Engagements, ReportType.Interactions })
        {
            Assert.Equal(await Report(one, type), await Report(many, type));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void The_account_fold_gives_each_interaction_what_its_events_alone_give(int workers)
    {
        // The account fold refills a few event instances interaction after interaction; nothing may carry over from
        // one interaction to the next. The reference derives each interaction from freshly parsed events of its own.
        var lines = GeneratedLines.Of(new GeneratorOptions { Interactions = 2000, LateFraction = 0.1, DuplicateFraction = 0.05, Seed = 31 });
        var derived = Derive(lines, workers);
        var parser = new EventParser();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var byInteraction = new Dictionary<string, List<Event>>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Count; i++)
        {
            Assert.True(parser.TryParse(lines[i], i, out var ev, out _));
            if (seen.Add(ev!.Id))
            {
                (byInteraction.TryGetValue(ev.InteractionId, out var list) ? list : byInteraction[ev.InteractionId] = []).Add(ev.WithSequence(i));
            }
        }

        var records = new Dictionary<string, ulong>(StringComparer.Ordinal);
        var engagements = new List<ulong>();
        foreach (var (id, events) in byInteraction)
        {
            var result = Derivation.Derive.Interaction(events, AccountSettings.Default, Now);
            if (result.Record is { } r)
            {
                records[id] = DerivedFingerprint.Of(r);
            }

            engagements.AddRange(result.Engagements.Select(DerivedFingerprint.Of));
        }

        Assert.True(records.Count >= 1900, $"{records.Count} records");
        Assert.Equal(records.Count, derived.Interactions.Count);
        foreach (var r in derived.Interactions)
        {
            Assert.Equal(records[r.InteractionId], DerivedFingerprint.Of(r));
        }

        Assert.Equal(engagements.Order(), derived.Engagements.Select(DerivedFingerprint.Of).Order());
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Writing_a_report_on_several_threads_gives_the_bytes_of_one_thread(int workers)
    {
        // Several rounds of blocks (eight blocks of 96 records a thread; rounds written while the next is formatted, into
        // two sets of blocks that take turns), so blocks and rounds both join, and each set serves more than one round.
        var derived = Derive(GeneratedLines.Of(new GeneratorOptions { Interactions = 8_000, LateFraction = 0.05, Seed = 7 }), workers);
        Assert.True(derived.Engagements.Count > workers * 8 * 96 * 3, $"{derived.Engagements.Count} engagements");
        Assert.True(derived.Interactions.Count > workers * 8 * 96 * 3, $"{derived.Interactions.Count} records");
        var zone = DateTimeZoneProviders.Tzdb["America/Sao_Paulo"];
        foreach (var type in new[] { ReportType.Engagements, ReportType.Interactions })
        {
            foreach (var format in new[] { ReportFormat.Json, ReportFormat.JsonBulk, ReportFormat.Csv })
            {
                var one = await Report(derived, type, format, zone, 1);
                var many = await Report(derived, type, format, zone, workers);
                Assert.True(one.Length > 1_000_000, $"{type} {format}: {one.Length} bytes");
                Assert.True(one.AsSpan().SequenceEqual(many), $"{type} {format}: the bytes differ");
            }
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(8)]
    public async Task Engagements_whose_ids_are_equal_keep_the_order_of_one_thread(int workers)
    {
        // Ids may hold line feeds (SPEC §1 forbids control characters in the event id only), and §3.6's text joins
        // the interaction's and the agent's id with one: ("p\nb", "c") and ("p", "b\nc") starting at one millisecond
        // get one engagement id. Equal in the report's order, such two keep the order one sort of every engagement in
        // the order their interactions came gives them (the one-thread result, and any thread count's before the
        // parts were sorted apart and merged); the parts of a parallel fold must not reorder them.
        var random = new Random(12);
        var interactions = Enumerable.Range(0, 4000).Select(i => ($"f{i}", "9", random.Next(3))).ToList();
        for (var p = 0; p < 30; p++)
        {
            interactions.Insert(random.Next(interactions.Count + 1), ($"p{p}\nb", "c", 0));
            interactions.Insert(random.Next(interactions.Count + 1), ($"p{p}", "b\nc", 0));
        }

        var events = new List<Event>();
        foreach (var (interaction, agent, second) in interactions)
        {
            var start = Now + (second * 1000);
            events.Add(new Event { Id = $"e{events.Count}", Type = EventType.InteractionCreated, OccurredAtMs = start, InteractionId = interaction, Channel = Channel.Email });
            events.Add(new Event { Id = $"e{events.Count}", Type = EventType.AssignmentChanged, OccurredAtMs = start, InteractionId = interaction, AgentId = agent });
            events.Add(new Event { Id = $"e{events.Count}", Type = EventType.InteractionEnded, OccurredAtMs = start + 300_000, InteractionId = interaction });
        }

        DerivedAccount Run(int threads, DerivedParts parts)
        {
            var derivation = new AccountDerivation(events.Count, duplicatesLast: true);
            foreach (var e in events)
            {
                Assert.True(derivation.Add(e));
            }

            return derivation.RunAndRelease(AccountSettings.Default, Now + 86_400_000, threads, parts);
        }

        var one = Run(1, DerivedParts.Engagements);
        Assert.Equal(4060, one.Engagements.Count);
        Assert.Equal(30, one.Engagements.Where(e => e.AgentId == "c").Select(e => e.EngagementId)
            .Intersect(one.Engagements.Where(e => e.AgentId == "b\nc").Select(e => e.EngagementId)).Count());
        foreach (var parts in new[] { DerivedParts.Engagements, DerivedParts.All })
        {
            var many = Run(workers, parts);
            Assert.Equal(one.Engagements.Select(e => (e.TicketId, e.AgentId)), many.Engagements.Select(e => (e.TicketId, e.AgentId)));
            Assert.Equal(await Report(one, ReportType.Engagements, ReportFormat.JsonBulk, DateTimeZone.Utc, 1),
                await Report(many, ReportType.Engagements, ReportFormat.JsonBulk, DateTimeZone.Utc, workers));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Finding_duplicates_last_keeps_the_events_that_finding_them_one_by_one_keeps(int workers)
    {
        // Duplicates delivered twice alike (the generator's), and copies of every 40th event with its id but other
        // content — a later time, another agent name, another interaction — arriving later: only first arrivals count.
        var lines = GeneratedLines.Of(new GeneratorOptions { Interactions = 3000, LateFraction = 0.1, DuplicateFraction = 0.05, Seed = 44 });
        var parser = new EventParser();
        var events = new List<Event>();
        for (var i = 0; i < lines.Count; i++)
        {
            Assert.True(parser.TryParse(lines[i], i, out var ev, out _));
            events.Add(ev!);
            if (i % 40 == 0)
            {
                var copy = events[i / 2];
                events.Add(new Event
                {
                    Id = new string(copy.Id.AsSpan()), Type = copy.Type, OccurredAtMs = copy.OccurredAtMs + 1000,
                    InteractionId = i % 80 == 0 ? copy.InteractionId : "impostor-" + copy.InteractionId,
                    AgentId = copy.AgentId, AgentName = copy.AgentId is null ? null : "Impostor", Channel = copy.Channel,
                    Details = copy.Details,
                });
            }
        }

        var oneByOne = new AccountDerivation(events.Count);
        var last = new AccountDerivation(events.Count, duplicatesLast: true);
        var kept = events.Count(oneByOne.Add);
        foreach (var e in events)
        {
            Assert.True(last.Add(e));
        }

        Assert.True(kept < events.Count - 500, $"{events.Count - kept} duplicates");
        Assert.Equal(kept, oneByOne.Count);
        Assert.Equal(kept, last.Count);
        var expected = oneByOne.RunAndRelease(AccountSettings.Default, Now, workers);
        var actual = last.RunAndRelease(AccountSettings.Default, Now, workers);
        Assert.DoesNotContain(actual.Names.Sightings, s => s.Name == "Impostor");
        // The same names from the same sightings; their arrival numbers count the duplicates too (they only order events).
        Assert.Equal(
            expected.Names.Sightings.Select(s => (s.AgentId, s.Name, s.OccurredAtMs)).Order(),
            actual.Names.Sightings.Select(s => (s.AgentId, s.Name, s.OccurredAtMs)).Order());
        foreach (var type in new[] { ReportType.Engagements, ReportType.Interactions })
        {
            Assert.Equal(await Report(expected, type), await Report(actual, type));
        }
    }

    [Fact]
    public void Duplicates_found_last_are_found_again_after_more_events_and_by_every_run()
    {
        var derivation = new AccountDerivation(0, duplicatesLast: true);
        string[] ids = ["a", "A", "aa", "a\u0000", "ä", "a ", " a", "b", "evt-1", "evt-01", "evt-10", "EVT-1"];
        foreach (var id in ids.Concat(ids))
        {
            derivation.Add(new Event { Id = id, Type = EventType.MessageCreated, OccurredAtMs = Now, InteractionId = "1", AuthorType = AuthorType.EndUser });
        }

        Assert.Equal(ids.Length, derivation.Count);
        derivation.Add(new Event { Id = "new", Type = EventType.MessageCreated, OccurredAtMs = Now, InteractionId = "1", AuthorType = AuthorType.EndUser });
        derivation.Add(new Event { Id = "b", Type = EventType.MessageCreated, OccurredAtMs = Now, InteractionId = "1", AuthorType = AuthorType.EndUser });
        Assert.Equal(ids.Length + 1, derivation.Count);
        derivation.Run(AccountSettings.Default, Now);
        Assert.Equal(ids.Length + 1, derivation.Count);
    }

    [Fact]
    public async Task An_empty_report_written_on_several_threads_is_the_empty_report()
    {
        var derived = new AccountDerivation().RunAndRelease(AccountSettings.Default, Now);
        foreach (var format in new[] { ReportFormat.Json, ReportFormat.JsonBulk, ReportFormat.Csv })
        {
            Assert.Equal(await Report(derived, ReportType.Engagements, format, DateTimeZone.Utc, 1),
                await Report(derived, ReportType.Engagements, format, DateTimeZone.Utc, 4));
        }

        Assert.Equal("{\"entries\":[],\"total\":0}\n"u8.ToArray(), await Report(derived, ReportType.Engagements, ReportFormat.Json, DateTimeZone.Utc, 4));
    }

    private static async Task<byte[]> Report(DerivedAccount derived, ReportType type, ReportFormat format, DateTimeZone zone, int workers)
    {
        using var output = new MemoryStream();
        await DerivedReport.WriteAsync(output, derived, type, format, zone, workers);
        return output.ToArray();
    }

    private static DerivedAccount Derive(List<byte[]> lines, int workers)
    {
        var derivation = new AccountDerivation();
        var parser = new EventParser();
        for (var i = 0; i < lines.Count; i++)
        {
            Assert.True(parser.TryParse(lines[i], i, out var ev, out var error), error?.ToString());
            derivation.Add(ev!);
        }

        return derivation.RunAndRelease(AccountSettings.Default, Now, workers);
    }

    private static async Task<byte[]> Report(DerivedAccount derived, ReportType type)
    {
        using var output = new MemoryStream();
        await DerivedReport.WriteAsync(output, derived, type, ReportFormat.Csv, DateTimeZone.Utc);
        return output.ToArray();
    }
}
