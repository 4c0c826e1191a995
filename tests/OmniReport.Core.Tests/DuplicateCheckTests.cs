using OmniReport.Core.Derivation;
using OmniReport.Core.Events;
using OmniReport.Core.Settings;

namespace OmniReport.Core.Tests;

/// <summary>
/// <see cref="AccountDerivation"/> keeps the ids it has seen as characters in large blocks rather than as strings: the
/// check must still be exact however many ids there are and however long.
/// </summary>
public sealed class DuplicateCheckTests
{
    private const long T0 = 1_772_409_600_000; // 2026-03-02T00:00:00Z

    [Fact]
    public void Every_second_sighting_of_an_id_is_ignored_across_growth_and_many_blocks()
    {
        // 150,000 ids of 10–137 characters: well over one block of a million characters, and many times the
        // starting table, so ids are found again after the table has grown and in every block.
        var derivation = new AccountDerivation();
        var ids = Enumerable.Range(0, 150_000).Select(Id).ToList();
        foreach (var id in ids)
        {
            Assert.True(derivation.Add(Message(id, "i" + (id.Length % 97))));
        }

        for (var i = 0; i < ids.Count; i += 7)
        {
            // A new string with the same text: equality, not reference, decides.
            Assert.False(derivation.Add(Message(new string(ids[i].AsSpan()), "other")));
        }

        Assert.True(derivation.Add(Message("one more", "i0")));
        Assert.False(derivation.Add(Message("one more", "i0")));
        Assert.Equal(150_001, derivation.Count);
    }

    [Fact]
    public void Ids_that_differ_only_in_case_length_or_one_character_are_different()
    {
        var derivation = new AccountDerivation(4);
        string[] ids = ["a", "A", "aa", "a\u0000", "ä", "a ", " a", "b", "evt-1", "evt-01", "evt-10", "EVT-1"];
        foreach (var id in ids)
        {
            Assert.True(derivation.Add(Message(id, "1")), id);
        }

        foreach (var id in ids)
        {
            Assert.False(derivation.Add(Message(id, "1")), id);
        }

        Assert.Equal(ids.Length, derivation.Count);
    }

    [Fact]
    public void The_first_arrival_of_an_id_counts_and_a_later_one_with_other_content_does_not()
    {
        var derivation = new AccountDerivation();
        derivation.Add(new Event { Id = "c", Type = EventType.InteractionCreated, OccurredAtMs = T0, InteractionId = "9", Channel = Channel.Chat });
        derivation.Add(new Event { Id = "o", Type = EventType.OfferCreated, OccurredAtMs = T0 + 1000, InteractionId = "9", AgentId = "7", AgentName = "First" });
        Assert.False(derivation.Add(new Event { Id = "o", Type = EventType.OfferCreated, OccurredAtMs = T0 + 2000, InteractionId = "9", AgentId = "7", AgentName = "Second" }));
        var derived = derivation.Run(AccountSettings.Default, T0 + 60_000);
        Assert.Equal("First", derived.Names.NameOf("7"));

        // Run leaves the events in place: a second run gives the same.
        Assert.Equal("First", derivation.Run(AccountSettings.Default, T0 + 60_000).Names.NameOf("7"));
        Assert.Equal(2, derivation.Count);
    }

    private static string Id(int i) => $"evt-{i:D6}-" + new string((char)('a' + (i % 26)), i % 128);

    private static Event Message(string id, string interaction) => new()
    {
        Id = id,
        Type = EventType.MessageCreated,
        OccurredAtMs = T0,
        InteractionId = interaction,
        AuthorType = AuthorType.EndUser,
    };
}
