using OmniReport.Core.Derivation;
using OmniReport.Core.Events;
using OmniReport.Core.Settings;

namespace OmniReport.Core.Tests;

/// <summary>
/// <see cref="AccountDerivation"/> holds what it reads as numbers and characters in blocks, not as the parser's strings
/// and details, and makes them into strings again in the fold: every value must come back exactly, however long or
/// unusual, and wherever it lands in the blocks.
/// </summary>
public sealed class HeldEventTests
{
    private const long T0 = 1_772_409_600_000; // 2026-03-02T00:00:00Z
    private const long Now = T0 + 86_400_000;

    [Fact]
    public void Every_detail_comes_back_from_the_held_event_as_it_was_given()
    {
        // Values of every kind: empty, non-ASCII, a surrogate pair, one character, 32,767 and 32,768 characters (the
        // length's one-character and two-character forms), and 1,100,000 characters (more than a block of 1 M).
        string[] texts =
        [
            "", "é", "Zoë 😀 Ñandú", "x", new string('n', 0x7FFF), new string('m', 0x8000), new string('b', 1_100_000),
            "https://example.com/rec/" + new string('r', 300), "a\tb\nc",
        ];
        var events = new List<Event>();
        for (var i = 0; i < 400; i++)
        {
            var id = $"ix-{i}";
            string? T(int k) => (i + k) % 11 == 0 ? null : texts[(i * 7 + k) % texts.Length];
            events.Add(new Event
            {
                Id = id + "-c",
                Type = EventType.InteractionCreated,
                OccurredAtMs = T0 + i,
                InteractionId = id,
                Channel = Channel.Voice,
                Direction = i % 2 == 0 ? Direction.Inbound : Direction.Outbound,
                Status = TicketStatus.Open,
                Details = new EventDetails { GroupId = T(1), GroupName = T(2), RequesterId = T(3), RequesterName = T(4), RequesterContact = T(5), ExternalId = T(6) },
            });
            events.Add(new Event
            {
                Id = id + "-a",
                Type = EventType.OfferAccepted,
                OccurredAtMs = T0 + i + 1000,
                InteractionId = id,
                AgentId = "agent " + (i % 5),
                AgentName = T(7) ?? "",
            });
            events.Add(new Event
            {
                Id = id + "-u",
                Type = EventType.InteractionUpdated,
                OccurredAtMs = T0 + i + 2000,
                InteractionId = id,
                Details = i % 13 == 0
                    ? new EventDetails()
                    : new EventDetails { Disposition = T(8), Notes = T(9), RecordingUrl = T(10), TranscriptUrl = T(11), GroupId = T(12), RequesterName = T(13) },
            });
            events.Add(new Event
            {
                Id = id + "-t",
                Type = EventType.TransferCreated,
                OccurredAtMs = T0 + i + 3000,
                InteractionId = id,
                AgentId = "agent " + ((i + 1) % 5),
                Details = new EventDetails { FromAgentId = T(14), GroupName = T(15) },
            });
            events.Add(new Event { Id = id + "-e", Type = EventType.InteractionEnded, OccurredAtMs = T0 + i + 60_000, InteractionId = id, Outcome = Outcome.Completed });
        }

        var derivation = new AccountDerivation();
        foreach (var e in events)
        {
            Assert.True(derivation.Add(e));
        }

        var derived = derivation.RunAndRelease(AccountSettings.Default, Now, 2);
        var expected = events.Select((e, i) => e.WithSequence(i)).GroupBy(e => e.InteractionId)
            .Select(g => Derivation.Derive.Interaction([.. g], AccountSettings.Default, Now)).ToList();
        Assert.Equal(400, derived.Interactions.Count);
        Assert.Equal(
            expected.Select(r => r.Record!).OrderBy(r => r.InteractionId, StringComparer.Ordinal),
            derived.Interactions.OrderBy(r => r.InteractionId, StringComparer.Ordinal));
        Assert.Equal(
            expected.SelectMany(r => r.Engagements).OrderBy(e => e.EngagementId, StringComparer.Ordinal),
            derived.Engagements.OrderBy(e => e.EngagementId, StringComparer.Ordinal));
        Assert.Contains(derived.Interactions, r => r.Notes.Length == 1_100_000);
        Assert.Contains(derived.Interactions, r => r.Name == "Zoë 😀 Ñandú");
    }

    [Fact]
    public void A_derivation_that_keeps_its_events_gives_the_same_twice()
    {
        var derivation = new AccountDerivation();
        derivation.Add(new Event
        {
            Id = "1", Type = EventType.InteractionCreated, OccurredAtMs = T0, InteractionId = "i", Channel = Channel.Email,
            Details = new EventDetails { RequesterName = "Ana", RequesterContact = "ana@example.com", GroupId = "g", GroupName = "Sales" },
        });
        derivation.Add(new Event { Id = "2", Type = EventType.OfferAccepted, OccurredAtMs = T0 + 5000, InteractionId = "i", AgentId = "7", AgentName = "Rui" });
        var first = derivation.Run(AccountSettings.Default, Now);
        var second = derivation.Run(AccountSettings.Default, Now);
        Assert.Equal("Ana", first.Interactions[0].Name);
        Assert.Equal("ana@example.com", first.Interactions[0].Contact);
        Assert.Equal(first.Interactions, second.Interactions);
        Assert.Equal(first.Engagements, second.Engagements);
        Assert.Equal("Rui", second.Names.NameOf("7"));
    }

    [Fact]
    public void Text_that_UTF_8_cannot_hold_is_refused_not_changed()
    {
        // The parser rejects a lone surrogate (SPEC §1), so only a direct caller can give one: it is told, rather than
        // two different ids made one or a value changed on its way to the report.
        var derivation = new AccountDerivation();
        Assert.ThrowsAny<ArgumentException>(() => derivation.Add(new Event { Id = "a\ud800", Type = EventType.InteractionEnded, OccurredAtMs = T0, InteractionId = "i" }));
        Assert.ThrowsAny<ArgumentException>(() => derivation.Add(new Event
        {
            Id = "b", Type = EventType.InteractionUpdated, OccurredAtMs = T0, InteractionId = "i", Details = new EventDetails { Notes = "x\udc00" },
        }));
        Assert.ThrowsAny<ArgumentException>(() => derivation.Add(new Event { Id = "c", Type = EventType.InteractionEnded, OccurredAtMs = T0, InteractionId = "\ud800" }));

        // What was refused left nothing half-added: the derivation goes on.
        Assert.True(derivation.Add(new Event { Id = "d", Type = EventType.InteractionCreated, OccurredAtMs = T0, InteractionId = "i", Channel = Channel.Chat }));
        Assert.Equal(1, derivation.Count);
        Assert.Single(derivation.RunAndRelease(AccountSettings.Default, Now).Interactions);
    }

    [Fact]
    public void Interaction_ids_that_end_alike_or_come_as_other_strings_stay_their_own_interactions()
    {
        // Same length and last characters (one place of the table of recent interactions), interleaved, each event's id a
        // string of its own: three interactions of two events each, whatever was met before.
        var derivation = new AccountDerivation();
        string[] ids = ["x-0001", "y-0001", "xy-0001", "x-0001", "y-0001", "xy-0001"];
        for (var i = 0; i < ids.Length; i++)
        {
            var iid = new string(ids[i].AsSpan());
            derivation.Add(i < 3
                ? new Event { Id = $"c{i}", Type = EventType.InteractionCreated, OccurredAtMs = T0 + i, InteractionId = iid, Channel = Channel.Chat }
                : new Event { Id = $"e{i}", Type = EventType.InteractionEnded, OccurredAtMs = T0 + (1000 * i), InteractionId = iid });
        }

        var records = derivation.RunAndRelease(AccountSettings.Default, Now).Interactions;
        Assert.Equal(["x-0001", "xy-0001", "y-0001"], records.Select(r => r.InteractionId).Order(StringComparer.Ordinal));
        Assert.All(records, r => Assert.NotNull(r.EndMs));
        Assert.Equal(T0 + 3000, records.Single(r => r.InteractionId == "x-0001").EndMs);
        Assert.Equal(T0 + 4000, records.Single(r => r.InteractionId == "y-0001").EndMs);
    }

    [Fact]
    public void Recent_codes_give_a_texts_own_code_or_none_never_another_texts()
    {
        // Four places for 500 texts: nearly every text shares its place; equal texts come as new strings.
        var recent = new RecentCodes(bits: 2);
        var random = new Random(10);
        var codes = new Dictionary<string, int>(StringComparer.Ordinal);
        var found = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var text = $"agent-{random.Next(500)}";
            if (recent.TryFind(text, out var code))
            {
                Assert.Equal(codes[text], code);
                found++;
                continue;
            }

            code = codes.TryGetValue(text, out var known) ? known : codes[text] = codes.Count + 1;
            recent.Remember(new string(text.AsSpan()), code);
        }

        Assert.InRange(found, 1, 19_999);
        recent.Clear();
        Assert.False(recent.TryFind("agent-1", out _));
    }
}
