using OmniReport.Core.Events;
using static OmniReport.Storage.Tests.StoreTestKit;

namespace OmniReport.Storage.Tests;

/// <summary>The "now" reads (SPEC §9) of the store contract: from the stored open engagement and record status.</summary>
public abstract partial class StoreContractTests
{
    private static long Ms(string rfc3339) => DateTimeOffset.Parse(rfc3339, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();

    [StoreFact]
    public async Task Open_engagements_are_read_from_stored_state_oldest_first_until_their_inactivity_end()
    {
        var store = await NewStoreAsync();
        var acme = await store.CreateAccountAsync("acme");
        var other = await store.CreateAccountAsync("other");
        // 100 (group 3) starts at 09:00:30, 101 (group 4) at 09:00:20: 101 is older. Agent 7 is "Ana".
        var later = OpenChat("100");
        var earlier = OpenChat("101", "b").Select(e => e.Replace("\"group_id\":\"3\"", "\"group_id\":\"4\"", StringComparison.Ordinal)
            .Replace("09:00:30Z", "09:00:20Z", StringComparison.Ordinal)).ToList();
        await store.IngestAsync(acme.Id, Parse([.. later, .. earlier]));
        await store.IngestAsync(other.Id, Parse(OpenChat("900")));

        var now = Ms("2026-05-04T09:02:00Z");
        var all = await store.OpenEngagementsAsync(acme.Id, new NowQuery { NowMs = now });
        Assert.Equal(2, all.Count);
        Assert.Equal(["101", "100"], all.Rows.Select(r => r.Engagement.TicketId));
        Assert.All(all.Rows, r => Assert.Equal("Ana", r.AgentName));
        Assert.Equal(Ms("2026-05-04T09:00:20Z"), all.Rows[0].Engagement.StartMs);
        Assert.Equal("4", all.Rows[0].Engagement.GroupId);

        var one = await store.OpenEngagementsAsync(acme.Id, new NowQuery { NowMs = now, Limit = 1 });
        Assert.Equal(2, one.Count);
        Assert.Equal("101", Assert.Single(one.Rows).Engagement.TicketId);
        Assert.Equal(["100"], (await store.OpenEngagementsAsync(acme.Id, new NowQuery { NowMs = now, GroupId = "3" })).Rows.Select(r => r.Engagement.TicketId));
        Assert.Equal(0, (await store.OpenEngagementsAsync(acme.Id, new NowQuery { NowMs = now, Channel = Channel.Email })).Count);
        Assert.Equal(2, (await store.OpenEngagementsAsync(acme.Id, new NowQuery { NowMs = now, Channel = Channel.Chat })).Count);

        // The customer wrote last at 09:00:10; the window is 10 minutes: open before 09:10:10, not at it.
        Assert.Equal(2, (await store.OpenEngagementsAsync(acme.Id, new NowQuery { NowMs = Ms("2026-05-04T09:10:09.999Z") })).Count);
        Assert.Equal(0, (await store.OpenEngagementsAsync(acme.Id, new NowQuery { NowMs = Ms("2026-05-04T09:10:10Z") })).Count);
        // Not open before it starts.
        Assert.Equal(["101"], (await store.OpenEngagementsAsync(acme.Id, new NowQuery { NowMs = Ms("2026-05-04T09:00:25Z") })).Rows.Select(r => r.Engagement.TicketId));

        await store.IngestAsync(acme.Id, Parse([Ev("end", "conversation.ended", "2026-05-04T09:01:30Z", "101", ",\"agent_id\":\"7\"")]));
        Assert.Equal(["100"], (await store.OpenEngagementsAsync(acme.Id, new NowQuery { NowMs = now })).Rows.Select(r => r.Engagement.TicketId));
    }

    [StoreFact]
    public async Task Waiting_interactions_are_the_unassigned_going_ones_longest_first_filtered_by_current_group_id()
    {
        var store = await NewStoreAsync();
        var acme = await store.CreateAccountAsync("acme");
        await store.IngestAsync(acme.Id, Parse(
        [
            Ev("w1", "interaction.created", "2026-05-04T09:00:05Z", "200", ",\"channel\":\"email\",\"group_id\":\"5\",\"group_name\":\"Billing\""),
            Ev("w2", "interaction.created", "2026-05-04T09:00:00Z", "300", ",\"channel\":\"voice\",\"group_id\":\"3\""),
            Ev("w3", "interaction.created", "2026-05-04T09:00:01Z", "400", ",\"channel\":\"voice\""),
            Ev("w4", "interaction.ended", "2026-05-04T09:00:09Z", "400"),
            Ev("w5", "interaction.created", "2026-05-04T09:00:02Z", "500", ",\"channel\":\"email\""),
            Ev("w6", "status.changed", "2026-05-04T09:00:03Z", "500", ",\"status\":\"solved\""),
            Ev("w7", "interaction.created", "2026-05-04T09:00:02Z", "600", ",\"channel\":\"email\""),
            Ev("w8", "status.changed", "2026-05-04T09:00:03Z", "600", ",\"status\":\"deleted\""),
            .. OpenChat("100"),
        ]));

        var now = Ms("2026-05-04T09:02:00Z");
        var all = await store.WaitingInteractionsAsync(acme.Id, new NowQuery { NowMs = now });
        Assert.Equal(2, all.Count);
        Assert.Equal(
            [new WaitingInteraction("300", Channel.Voice, "3", Ms("2026-05-04T09:00:00Z")), new WaitingInteraction("200", Channel.Email, "Billing", Ms("2026-05-04T09:00:05Z"))],
            all.Rows);
        var one = await store.WaitingInteractionsAsync(acme.Id, new NowQuery { NowMs = now, Limit = 1 });
        Assert.Equal((1, 2L), (one.Rows.Count, one.Count));
        Assert.Equal(["200"], (await store.WaitingInteractionsAsync(acme.Id, new NowQuery { NowMs = now, GroupId = "5" })).Rows.Select(r => r.InteractionId));
        Assert.Empty((await store.WaitingInteractionsAsync(acme.Id, new NowQuery { NowMs = now, GroupId = "Billing" })).Rows);
        Assert.Equal(["300"], (await store.WaitingInteractionsAsync(acme.Id, new NowQuery { NowMs = now, Channel = Channel.Voice })).Rows.Select(r => r.InteractionId));

        // A transfer to a group unassigns: the chat waits again, in its new group.
        await store.IngestAsync(acme.Id, Parse([Ev("t", "transfer.created", "2026-05-04T09:01:30Z", "100", ",\"to_group_id\":\"8\"")]));
        Assert.Equal(["100"], (await store.WaitingInteractionsAsync(acme.Id, new NowQuery { NowMs = now, GroupId = "8" })).Rows.Select(r => r.InteractionId));
        Assert.Equal(0, (await store.OpenEngagementsAsync(acme.Id, new NowQuery { NowMs = now })).Count);
    }
}
