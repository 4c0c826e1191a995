using static OmniReport.Storage.Tests.StoreTestKit;

namespace OmniReport.Storage.Tests;

/// <summary>Names for ids (the dashboard's agents table and group control): agents' names, groups' report texts.</summary>
public abstract partial class StoreContractTests
{
    [StoreFact]
    public async Task Agents_are_listed_with_their_latest_names_and_groups_with_the_texts_their_interaction_records_give_them()
    {
        var store = await NewStoreAsync();
        var acme = await store.CreateAccountAsync("acme");
        var other = await store.CreateAccountAsync("other");
        await store.IngestAsync(acme.Id, Parse(
        [
            .. OpenChat("100"), // group 3, no name; agent 7 is "Ana"
            Ev("g1", "interaction.created", "2026-05-04T09:00:00Z", "200", ",\"channel\":\"email\",\"group_id\":\"5\",\"group_name\":\"Billing\""),
            Ev("g2", "interaction.created", "2026-05-04T09:00:00Z", "201", ",\"channel\":\"email\",\"group_id\":\"5\",\"group_name\":\"Billing\""),
            Ev("g3", "interaction.created", "2026-05-04T09:00:00Z", "202", ",\"channel\":\"email\",\"group_id\":\"5\""),
            // Moved to group 8 without a name: its records say "8".
            Ev("g4", "interaction.created", "2026-05-04T09:00:00Z", "300", ",\"channel\":\"email\",\"group_id\":\"9\",\"group_name\":\"Sales\""),
            Ev("g5", "transfer.created", "2026-05-04T09:01:00Z", "300", ",\"to_group_id\":\"8\""),
            // Agent 9 works it in group 6, then it moves to group 8, "Escalations": the logged engagement keeps group 6.
            Ev("g6", "interaction.created", "2026-05-04T09:00:00Z", "400", ",\"channel\":\"email\",\"group_id\":\"6\",\"group_name\":\"Support\""),
            Ev("g7", "offer.accepted", "2026-05-04T09:00:20Z", "400", ",\"agent_id\":\"9\",\"agent_name\":\"Bo\""),
            Ev("g8", "transfer.created", "2026-05-04T09:02:00Z", "400", ",\"to_group_id\":\"8\",\"to_group_name\":\"Escalations\""),
            // A later event renames agent 9.
            Ev("g9", "message.created", "2026-05-04T09:05:00Z", "202", ",\"author_type\":\"agent\",\"author_id\":\"9\",\"author_name\":\"Bob\""),
        ]));
        await store.IngestAsync(other.Id, Parse(
        [
            Ev("o1", "interaction.created", "2026-05-04T09:00:00Z", "900", ",\"channel\":\"chat\",\"group_id\":\"77\",\"group_name\":\"Elsewhere\""),
            Ev("o2", "offer.accepted", "2026-05-04T09:00:20Z", "900", ",\"agent_id\":\"70\",\"agent_name\":\"Zed\""),
        ]));

        Assert.Equal([new AgentEntry("7", "Ana"), new AgentEntry("9", "Bob")], await store.AgentsAsync(acme.Id));
        var groups = await store.GroupsAsync(acme.Id);
        Assert.Equal(["3", "5", "6", "8"], groups.Select(g => g.GroupId));
        Assert.Equal(["3"], groups[0].Names);
        Assert.Equal(["Billing", "5"], groups[1].Names); // most frequent first
        Assert.Empty(groups[2].Names); // only an engagement's group at the start
        Assert.Equal(["8", "Escalations"], groups[3].Names); // one each: ordinal
        Assert.Equal([new AgentEntry("70", "Zed")], await store.AgentsAsync(other.Id));
        Assert.Equal(["77"], (await store.GroupsAsync(other.Id)).Select(g => g.GroupId));
    }
}
