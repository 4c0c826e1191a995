using OmniReport.Api.Hosting;
using OmniReport.Core.Derivation;
using OmniReport.Core.Events;
using OmniReport.Core.Settings;
using OmniReport.TestSupport;
using static OmniReport.Storage.Tests.StoreTestKit;

namespace OmniReport.Storage.Tests;

/// <summary>
/// The store contract, once, for every implementation: each subclass says how to make an empty database
/// and the same tests run against it.
/// </summary>
public abstract partial class StoreContractTests : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2026, 5, 4, 9, 0, 0, TimeSpan.Zero);
    private readonly List<IStore> _opened = [];

    /// <summary>A new, empty database: what <c>--db</c> would say to reach it.</summary>
    protected abstract Task<string> NewDatabaseAsync();

    protected abstract Task DropDatabasesAsync();

    protected async Task<IStore> OpenAsync(string db, TimeProvider time)
    {
        var store = await StoreFactory.OpenAsync(db, time);
        _opened.Add(store);
        return store;
    }

    protected async Task<IStore> NewStoreAsync(TimeProvider? time = null) =>
        await OpenAsync(await NewDatabaseAsync(), time ?? new ManualTimeProvider(T0));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var s in _opened)
        {
            await s.DisposeAsync();
        }

        await DropDatabasesAsync();
    }

    private static string Ev(string id, string type, string at, string interaction, string fields = "") =>
        $"{{\"id\":\"{id}\",\"type\":\"{type}\",\"occurred_at\":\"{at}\",\"interaction_id\":\"{interaction}\"{fields}}}";

    /// <summary>A chat: created, customer writes, agent 7 accepts and replies. Open at the end.</summary>
    private static List<string> OpenChat(string interaction, string prefix = "") =>
    [
        Ev(prefix + "c1", "interaction.created", "2026-05-04T09:00:00Z", interaction, ",\"channel\":\"chat\",\"group_id\":\"3\""),
        Ev(prefix + "c2", "message.created", "2026-05-04T09:00:10Z", interaction, ",\"author_type\":\"end_user\""),
        Ev(prefix + "c3", "offer.created", "2026-05-04T09:00:20Z", interaction, ",\"agent_id\":\"7\",\"agent_name\":\"Ana\""),
        Ev(prefix + "c4", "offer.accepted", "2026-05-04T09:00:30Z", interaction, ",\"agent_id\":\"7\""),
        Ev(prefix + "c5", "message.created", "2026-05-04T09:01:00Z", interaction, ",\"author_type\":\"agent\",\"author_id\":\"7\""),
    ];

    [StoreFact]
    public async Task Migrations_run_once_and_are_recorded()
    {
        var db = await NewDatabaseAsync();
        var a = await OpenAsync(db, TimeProvider.System);
        await a.CreateAccountAsync("acme");
        var b = await OpenAsync(db, TimeProvider.System);
        await b.MigrateAsync();
        Assert.NotNull(await b.FindAccountAsync("acme"));
    }

    [StoreFact]
    public async Task Accounts_are_created_found_and_unique_by_name()
    {
        var store = await NewStoreAsync();
        var acme = await store.CreateAccountAsync("acme");
        Assert.Equal(acme, await store.FindAccountAsync("acme"));
        Assert.Null(await store.FindAccountAsync("nobody"));
        await Assert.ThrowsAsync<StoreConflictException>(() => store.CreateAccountAsync("acme"));
    }

    [StoreFact]
    public async Task Tokens_authenticate_with_their_account_and_scopes()
    {
        var store = await NewStoreAsync();
        var acme = await store.CreateAccountAsync("acme");
        var token = await store.CreateTokenAsync(acme.Id, Scopes.ReportsRead);
        var other = await store.CreateTokenAsync(acme.Id, Scopes.All);
        var id = await store.AuthenticateAsync(token);
        Assert.NotNull(id);
        Assert.Equal(acme.Id, id.AccountId);
        Assert.Equal(Scopes.ReportsRead, id.Scopes);
        Assert.NotEqual(id.TokenId, (await store.AuthenticateAsync(other))!.TokenId);
        Assert.Null(await store.AuthenticateAsync(token + "x"));
        Assert.Null(await store.AuthenticateAsync(""));
    }

    [StoreFact]
    public async Task Settings_are_the_defaults_until_changed()
    {
        var store = await NewStoreAsync();
        var acme = await store.CreateAccountAsync("acme");
        Assert.Equal(SettingsJson.Write(AccountSettings.Default), SettingsJson.Write(await store.GetSettingsAsync(acme.Id)));
        Assert.True(SettingsJson.TryApply(AccountSettings.Default, """{"inactivity_timeout_minutes": 3, "business_hours": {"timezone": "Europe/Lisbon", "weekly": [{"day": "mon", "start": "09:00", "end": "17:00"}], "holidays": ["2026-12-25"]}}""", out var changed, out _));
        await store.UpdateSettingsAsync(acme.Id, changed);
        Assert.Equal(SettingsJson.Write(changed), SettingsJson.Write(await store.GetSettingsAsync(acme.Id)));
    }

    [StoreFact]
    public async Task Duplicates_by_id_are_ignored_and_counted_within_and_across_batches()
    {
        var store = await NewStoreAsync();
        var acme = await store.CreateAccountAsync("acme");
        var chat = OpenChat("100");
        var first = await store.IngestAsync(acme.Id, Parse([chat[0], chat[1], chat[1], chat[2]]));
        Assert.Equal([true, true, false, true], first.Accepted);
        Assert.Equal(3, first.AcceptedCount);
        Assert.Equal(1, first.DuplicateCount);
        var second = await store.IngestAsync(acme.Id, Parse(chat));
        Assert.Equal([false, false, false, true, true], second.Accepted);
        var again = await store.IngestAsync(acme.Id, Parse(chat));
        Assert.Equal(0, again.AcceptedCount);
        Assert.Equal(await ReportsAsync(store, acme.Id), Reference(chat, AccountSettings.Default, T0.ToUnixTimeMilliseconds()));
    }

    [StoreFact]
    public async Task Events_before_their_interaction_created_are_kept_and_count_once_it_arrives()
    {
        var store = await NewStoreAsync(new ManualTimeProvider(T0.AddMinutes(5)));
        var acme = await store.CreateAccountAsync("acme");
        var chat = OpenChat("200");
        chat.Add(Ev("c6", "conversation.ended", "2026-05-04T09:02:00Z", "200", ",\"agent_id\":\"7\""));
        await store.IngestAsync(acme.Id, Parse(chat.Skip(1)));
        var (engagements, interactions) = await ReportsAsync(store, acme.Id);
        Assert.Empty(Entries(engagements));
        Assert.Empty(Entries(interactions));

        await store.IngestAsync(acme.Id, Parse(chat.Take(1)));
        var after = await ReportsAsync(store, acme.Id);
        Assert.Single(Entries(after.Engagements));
        var record = Assert.Single(Entries(after.Interactions))!;
        Assert.Equal("Ana", record["agent_name"]!.GetValue<string>()); // the name came from an event stored before the creation
        Assert.Equal(after, Reference(chat.Skip(1).Concat(chat.Take(1)), AccountSettings.Default, T0.AddMinutes(5).ToUnixTimeMilliseconds()));
    }

    [StoreFact]
    public async Task An_account_never_sees_another_accounts_data()
    {
        var store = await NewStoreAsync(new ManualTimeProvider(T0.AddHours(1)));
        var acme = await store.CreateAccountAsync("acme");
        var globex = await store.CreateAccountAsync("globex");
        var chat = OpenChat("300");
        Assert.Equal(5, (await store.IngestAsync(acme.Id, Parse(chat))).AcceptedCount);
        Assert.Equal(5, (await store.IngestAsync(globex.Id, Parse(chat))).AcceptedCount); // same ids, other account
        await store.IngestAsync(globex.Id, Parse([Ev("g1", "offer.created", "2026-05-04T09:30:00Z", "300", ",\"agent_id\":\"7\",\"agent_name\":\"Bruno\"")]));
        var acmeReports = await ReportsAsync(store, acme.Id);
        var globexReports = await ReportsAsync(store, globex.Id);
        Assert.Equal("Ana", Entries(acmeReports.Interactions)[0]!["agent_name"]!.GetValue<string>());
        Assert.Equal("Bruno", Entries(globexReports.Interactions)[0]!["agent_name"]!.GetValue<string>());
        var engagement = Entries(acmeReports.Engagements)[0]!["engagement_id"]!.GetValue<string>();
        Assert.NotNull(await store.GetEngagementAsync(acme.Id, engagement));
        var third = await store.CreateAccountAsync("initech");
        Assert.Null(await store.GetEngagementAsync(third.Id, engagement));
        Assert.Empty(await store.QueryEngagementsAsync(third.Id, new EngagementQuery()).ToListAsync());
        Assert.Empty(await store.InteractionsByStartAsync(third.Id, long.MinValue, long.MaxValue).ToListAsync());
    }

    [StoreFact]
    public async Task Time_passing_applies_the_inactivity_end_through_the_sweep()
    {
        var clock = new ManualTimeProvider(T0.AddMinutes(5));
        var store = await NewStoreAsync(clock);
        var acme = await store.CreateAccountAsync("acme");
        var chat = OpenChat("400");
        await store.IngestAsync(acme.Id, Parse(chat));
        Assert.Empty(Entries((await ReportsAsync(store, acme.Id)).Engagements));
        Assert.Equal(0, (await store.SweepAsync()).Interactions);

        clock.Set(T0.AddMinutes(10).AddSeconds(9)); // deadline: 09:00:10 + 10 min
        Assert.Equal(0, (await store.SweepAsync()).Interactions);
        clock.Set(T0.AddMinutes(10).AddSeconds(10));
        Assert.Equal(1, (await store.SweepAsync()).Interactions);
        var engagement = Assert.Single(Entries((await ReportsAsync(store, acme.Id)).Engagements))!;
        Assert.Equal(Reasons.InactivityTimeout, engagement["engagement_end_reason"]!.GetValue<string>());
        Assert.Equal("2026-05-04T09:10:10", engagement["engagement_end_time"]!.GetValue<string>());
        Assert.Equal(0, (await store.SweepAsync()).Interactions);
        Assert.Equal(await ReportsAsync(store, acme.Id), Reference(chat, AccountSettings.Default, clock.GetUtcNow().ToUnixTimeMilliseconds()));
    }

    [StoreFact]
    public async Task The_sweeper_runs_on_the_injected_clock()
    {
        var clock = new ManualTimeProvider(T0.AddMinutes(5));
        var store = await NewStoreAsync(clock);
        var acme = await store.CreateAccountAsync("acme");
        await store.IngestAsync(acme.Id, Parse(OpenChat("500")));
        var sweeper = new InactivitySweeper(store, clock, TimeSpan.FromSeconds(30));
        using var cts = new CancellationTokenSource();
        var run = sweeper.RunAsync(cts.Token);
        clock.Advance(TimeSpan.FromMinutes(6)); // past the deadline: the next tick sweeps
        var waited = TimeSpan.Zero;
        while (sweeper.Recomputed == 0 && waited < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(20);
            waited += TimeSpan.FromMilliseconds(20);
            clock.Advance(TimeSpan.FromSeconds(30));
        }

        await cts.CancelAsync();
        await run;
        Assert.Equal(1, sweeper.Recomputed);
        Assert.Single(Entries((await ReportsAsync(store, acme.Id)).Engagements));
    }

    [StoreFact]
    public async Task A_settings_change_recomputes_the_accounts_records()
    {
        var now = T0.AddMinutes(5);
        var store = await NewStoreAsync(new ManualTimeProvider(now));
        var acme = await store.CreateAccountAsync("acme");
        var chat = OpenChat("600");
        await store.IngestAsync(acme.Id, Parse(chat));
        Assert.Empty(Entries((await ReportsAsync(store, acme.Id)).Engagements)); // 10-minute window: still open

        Assert.True(SettingsJson.TryApply(AccountSettings.Default, """{"inactivity_timeout_minutes": 2}""", out var shorter, out _));
        await store.UpdateSettingsAsync(acme.Id, shorter);
        var reports = await ReportsAsync(store, acme.Id);
        Assert.Equal(reports, Reference(chat, shorter, now.ToUnixTimeMilliseconds()));
        Assert.Equal("2026-05-04T09:02:10", Entries(reports.Engagements)[0]!["engagement_end_time"]!.GetValue<string>());

        await store.UpdateSettingsAsync(acme.Id, AccountSettings.Default);
        Assert.Empty(Entries((await ReportsAsync(store, acme.Id)).Engagements));
    }

    [StoreFact]
    public async Task Generated_events_in_random_batches_with_duplicates_give_the_in_memory_records()
    {
        var lines = SyntheticEvents.Generate(300, seed: 7);
        var now = DateTimeOffset.Parse("2026-03-12T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var store = await NewStoreAsync(new ManualTimeProvider(now));
        var acme = await store.CreateAccountAsync("acme");
        var rng = new Random(3);
        var arrival = new List<string>();
        for (var i = 0; i < lines.Count;)
        {
            var n = rng.Next(1, 400);
            var batch = lines.Skip(i).Take(n).ToList();
            batch.AddRange(lines.Take(i + n).Where(_ => rng.Next(40) == 0)); // resent ones
            i += n;
            arrival.AddRange(batch);
            await store.IngestAsync(acme.Id, Parse(batch));
        }

        var expected = Reference(arrival, AccountSettings.Default, now.ToUnixTimeMilliseconds());
        Assert.True(Entries(expected.Engagements).Count > 100);
        Assert.Equal(expected, await ReportsAsync(store, acme.Id));
    }

    [StoreFact]
    public async Task Engagement_queries_filter_and_page_in_keyset_order()
    {
        var now = DateTimeOffset.Parse("2026-03-12T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var store = await NewStoreAsync(new ManualTimeProvider(now));
        var acme = await store.CreateAccountAsync("acme");
        await store.IngestAsync(acme.Id, Parse(SyntheticEvents.Generate(200, seed: 11, agents: 5)));
        var all = await store.EngagementsByStartAsync(acme.Id, long.MinValue, long.MaxValue).ToListAsync();
        Assert.True(all.Count > 100);
        Assert.Equal(all.OrderBy(e => e.StartSecond).ThenBy(e => e.EngagementId, StringComparer.Ordinal).Select(e => e.EngagementId), all.Select(e => e.EngagementId));

        var from = all[20].StartSecond;
        var before = all[^20].StartSecond;
        var queries = new (EngagementQuery Query, Func<Engagement, bool> Match)[]
        {
            (new EngagementQuery(), _ => true),
            (new EngagementQuery { StartTimeFrom = from, StartTimeBefore = before }, e => e.StartSecond >= from && e.StartSecond < before),
            (new EngagementQuery { AgentId = "3" }, e => e.AgentId == "3"),
            (new EngagementQuery { TicketId = all[5].TicketId }, e => e.TicketId == all[5].TicketId),
            (new EngagementQuery { GroupId = "2", Channel = Channel.Chat }, e => e.GroupId == "2" && e.Channel == Channel.Chat),
            (new EngagementQuery { AgentId = "1", StartTimeFrom = from }, e => e.AgentId == "1" && e.StartSecond >= from),
        };
        foreach (var (query, match) in queries)
        {
            var expected = all.Where(match).Select(e => e.EngagementId).ToList();
            var paged = new List<string>();
            var q = query with { Limit = 7 };
            while (true)
            {
                var page = await store.QueryEngagementsAsync(acme.Id, q).ToListAsync();
                paged.AddRange(page.Select(e => e.EngagementId));
                if (page.Count < 7)
                {
                    break;
                }

                q = q with { After = (page[^1].StartSecond, page[^1].EngagementId) };
            }

            Assert.Equal(expected, paged);
        }

        var one = all[42];
        Assert.Equal(one, await store.GetEngagementAsync(acme.Id, one.EngagementId));
        Assert.Null(await store.GetEngagementAsync(acme.Id, "0000"));
        var window = await store.EngagementsByStartAsync(acme.Id, all[10].StartMs, all[30].StartMs).ToListAsync();
        Assert.Equal(all.Where(e => e.StartMs >= all[10].StartMs && e.StartMs < all[30].StartMs), window);
    }

    [StoreFact]
    public async Task Empty_strings_are_stored_as_empty_strings_not_as_nothing()
    {
        // The parser takes "" for a name or a group id; the store must keep "" (not NULL) in every column.
        var now = DateTimeOffset.Parse("2026-03-12T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var store = await NewStoreAsync(new ManualTimeProvider(now));
        var acme = await store.CreateAccountAsync("acme");
        var lines = SyntheticEvents.Generate(30, seed: 3, agents: 3)
            .Select(l => System.Text.RegularExpressions.Regex.Replace(l, "\"(agent_name|group_id|group_name)\":\"[^\"]*\"", "\"$1\":\"\""))
            .ToList();
        Assert.Contains(lines, l => l.Contains("\"agent_name\":\"\"", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("\"group_id\":\"\"", StringComparison.Ordinal));
        var result = await store.IngestAsync(acme.Id, Parse(lines));
        Assert.Equal(lines.Count, result.AcceptedCount);

        var expected = Reference(lines, AccountSettings.Default, now.ToUnixTimeMilliseconds());
        Assert.Equal(expected, await ReportsAsync(store, acme.Id));
        var all = await store.EngagementsByStartAsync(acme.Id, long.MinValue, long.MaxValue).ToListAsync();
        Assert.NotEmpty(all);
        Assert.All(all, e => Assert.Equal("", e.GroupId));
        Assert.Equal(all.Select(e => e.EngagementId), (await store.QueryEngagementsAsync(acme.Id, new EngagementQuery { GroupId = "", Limit = 1000 }).ToListAsync()).Select(e => e.EngagementId));
    }

    [StoreFact]
    public async Task The_ticket_filter_finds_exactly_the_tickets_engagements_and_pages_through_them()
    {
        // The ticket filter is served from the interaction's list of its engagements, not from an index by
        // ticket: it must still agree with every other filter, page, follow changes and stay in its account.
        var now = DateTimeOffset.Parse("2026-03-12T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var store = await NewStoreAsync(new ManualTimeProvider(now));
        var acme = await store.CreateAccountAsync("acme");
        var other = await store.CreateAccountAsync("other");
        var lines = SyntheticEvents.Generate(150, seed: 23, agents: 4);
        await store.IngestAsync(acme.Id, Parse(lines.Take(lines.Count / 2)));
        await store.IngestAsync(other.Id, Parse(lines));
        await store.IngestAsync(acme.Id, Parse(lines.Skip(lines.Count / 2))); // engagements replaced and added

        var all = await store.EngagementsByStartAsync(acme.Id, long.MinValue, long.MaxValue).ToListAsync();
        var busiest = all.GroupBy(e => e.TicketId).OrderByDescending(g => g.Count()).First();
        Assert.True(busiest.Count() >= 2);
        foreach (var ticket in all.Select(e => e.TicketId).Distinct())
        {
            var expected = all.Where(e => e.TicketId == ticket).Select(e => e.EngagementId).ToList();
            var paged = new List<string>();
            var q = new EngagementQuery { TicketId = ticket, Limit = 1 };
            while (await store.QueryEngagementsAsync(acme.Id, q).ToListAsync() is [var e])
            {
                paged.Add(e.EngagementId);
                q = q with { After = (e.StartSecond, e.EngagementId) };
            }

            Assert.Equal(expected, paged);
        }

        var agent = busiest.First().AgentId;
        Assert.Equal(
            all.Where(e => e.TicketId == busiest.Key && e.AgentId == agent).Select(e => e.EngagementId),
            (await store.QueryEngagementsAsync(acme.Id, new EngagementQuery { TicketId = busiest.Key, AgentId = agent }).ToListAsync()).Select(e => e.EngagementId));
        Assert.Empty(await store.QueryEngagementsAsync(acme.Id, new EngagementQuery { TicketId = busiest.Key, AgentId = "no such agent" }).ToListAsync());
        Assert.Empty(await store.QueryEngagementsAsync(acme.Id, new EngagementQuery { TicketId = "no such ticket" }).ToListAsync());

        var third = await store.CreateAccountAsync("third");
        Assert.Empty(await store.QueryEngagementsAsync(third.Id, new EngagementQuery { TicketId = busiest.Key }).ToListAsync());
        var theirs = await store.EngagementsByStartAsync(other.Id, long.MinValue, long.MaxValue).ToListAsync();
        Assert.Equal(
            theirs.Where(e => e.TicketId == busiest.Key).Select(e => e.EngagementId),
            (await store.QueryEngagementsAsync(other.Id, new EngagementQuery { TicketId = busiest.Key }).ToListAsync()).Select(e => e.EngagementId));
    }

    [StoreFact]
    public async Task Interaction_records_stream_by_start_in_a_half_open_range()
    {
        var now = DateTimeOffset.Parse("2026-03-12T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var store = await NewStoreAsync(new ManualTimeProvider(now));
        var acme = await store.CreateAccountAsync("acme");
        await store.IngestAsync(acme.Id, Parse(SyntheticEvents.Generate(100, seed: 5)));
        var all = await store.InteractionsByStartAsync(acme.Id, long.MinValue, long.MaxValue).ToListAsync();
        Assert.Equal(100, all.Count);
        var from = all[10].Record.StartMs;
        var to = all[50].Record.StartMs;
        var window = await store.InteractionsByStartAsync(acme.Id, from, to).ToListAsync();
        Assert.Equal(all.Where(r => r.Record.StartMs >= from && r.Record.StartMs < to), window);
        Assert.All(all, r => Assert.StartsWith("Agent ", r.AgentName));
    }
}
