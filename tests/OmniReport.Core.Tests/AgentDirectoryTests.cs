using OmniReport.Core.Derivation;
using OmniReport.Core.Events;

namespace OmniReport.Core.Tests;

/// <summary>SPEC §1: an agent's name is the one on the latest event (by occurred_at, then arrival) that names it.</summary>
public sealed class AgentDirectoryTests
{
    [Fact]
    public void The_newest_sighting_wins_whatever_order_the_events_are_observed_in()
    {
        Event[] events =
        [
            Offer("a1", "Ana", at: 2_000, seq: 1),
            Offer("a1", "Ana B.", at: 3_000, seq: 2),
            Offer("a1", "Old name", at: 1_000, seq: 3),
            Offer("a1", "Same ms, later arrival", at: 3_000, seq: 4),
            Offer("a2", "Bo", at: 500, seq: 5),
        ];
        foreach (var order in new[] { events, events.Reverse().ToArray() })
        {
            var names = new AgentDirectory();
            foreach (var e in order)
            {
                names.Observe(e);
            }

            Assert.Equal("Same ms, later arrival", names.NameOf("a1"));
            Assert.Equal("Bo", names.NameOf("a2"));
            Assert.Equal("", names.NameOf("a3"));
            Assert.Equal(2, names.Count);
            Assert.Equal(new NameSighting("a1", "Same ms, later arrival", 3_000, 4), names.Sightings.Single(s => s.AgentId == "a1"));
        }
    }

    [Fact]
    public void An_internal_note_and_an_event_without_a_name_name_nobody()
    {
        var names = new AgentDirectory();
        names.Observe(Offer("a1", "Ana", at: 1_000, seq: 1));
        names.Observe(new Event
        {
            Id = "n", Type = EventType.MessageCreated, OccurredAtMs = 9_000, InteractionId = "i", Sequence = 2,
            AuthorType = AuthorType.Agent, AgentId = "a1", AgentName = "Note author", IsPublic = false,
        });
        names.Observe(new Event { Id = "o", Type = EventType.OfferCreated, OccurredAtMs = 9_000, InteractionId = "i", Sequence = 3, AgentId = "a1" });
        Assert.Equal("Ana", names.NameOf("a1"));
    }

    private static Event Offer(string agent, string name, long at, long seq) => new()
    {
        Id = $"e{seq}", Type = EventType.OfferCreated, OccurredAtMs = at, InteractionId = "i", Sequence = seq, AgentId = agent, AgentName = name,
    };
}
