using System.Globalization;
using System.Text.Json.Nodes;
using OmniReport.Api.Live;
using OmniReport.Api.Webhooks;
using OmniReport.Storage;

namespace OmniReport.Api.Tests.Webhooks;

/// <summary>
/// Webhook deliveries (SPEC §9) to a real receiver that answers, fails, hangs and recovers, on a fake clock: every
/// change after creation, in order, signed; retries at 1 s, 2 s, 4 s … up to 1 h apart for 24 h; then given up. Each
/// test runs on SQLite and on PostgreSQL.
/// </summary>
public sealed class WebhookDeliveryTests
{
    [Fact]
    public Task Every_change_after_creation_is_delivered_once_in_order_and_signed_on_SQLite() => EveryChangeAsync(postgres: false);

    [PostgresFact]
    public Task Every_change_after_creation_is_delivered_once_in_order_and_signed_on_PostgreSQL() => EveryChangeAsync(postgres: true);

    [Fact]
    public Task A_failing_then_hanging_receiver_is_retried_with_backoff_until_it_recovers_on_SQLite() => RecoversAsync(postgres: false);

    [PostgresFact]
    public Task A_failing_then_hanging_receiver_is_retried_with_backoff_until_it_recovers_on_PostgreSQL() => RecoversAsync(postgres: true);

    [Fact]
    public Task A_change_is_given_up_after_24_hours_of_retries_and_the_next_one_follows_on_SQLite() => GivesUpAsync(postgres: false);

    [PostgresFact]
    public Task A_change_is_given_up_after_24_hours_of_retries_and_the_next_one_follows_on_PostgreSQL() => GivesUpAsync(postgres: true);

    [Fact]
    public Task Changes_pruned_from_the_log_before_delivery_are_recorded_as_skipped_and_delivery_goes_on_on_SQLite() => PrunedAsync(postgres: false);

    [PostgresFact]
    public Task Changes_pruned_from_the_log_before_delivery_are_recorded_as_skipped_and_delivery_goes_on_on_PostgreSQL() => PrunedAsync(postgres: true);

    [Fact]
    public async Task A_deleted_webhook_is_sent_nothing_more()
    {
        await using var h = await WebhookHarness.StartAsync(postgres: false);
        var (id, _) = await h.CreateWebhookAsync("/gone");
        Assert.Equal(System.Net.HttpStatusCode.NoContent, await h.DeleteAsync($"/api/v2/webhooks/{id}"));
        await h.IngestAsync(WebhookHarness.SolvedEmail("1", 0));
        var (other, _) = await h.CreateWebhookAsync("/kept");
        await h.IngestAsync(WebhookHarness.SolvedEmail("2", 1));
        await h.TickUntilAsync(() => h.Receiver.Delivered("/kept").Count > 0, "the kept webhook's first delivery");
        h.Time.Advance(TimeSpan.FromSeconds(5));
        await Task.Delay(300);
        Assert.DoesNotContain(h.Receiver.Received, r => r.Path == "/gone");
        Assert.NotEmpty(await h.DeliveriesAsync(other));
    }

    [Fact]
    public async Task An_address_refused_by_webhook_targets_is_refused_again_when_connecting()
    {
        // As if the host's name had resolved elsewhere at creation (DNS rebinding): the store holds a loopback URL and
        // the server delivers to public addresses only. The connection is refused; the receiver hears nothing.
        await using var h = await WebhookHarness.StartAsync(postgres: false, WebhookTargets.Public);
        var webhook = await h.Store.CreateWebhookAsync(h.Account.Id, h.Receiver.BaseUrl + "/rebound", ChangeMessage.Types, "secret");
        await h.IngestAsync(WebhookHarness.SolvedEmail("1", 0));
        h.Time.Advance(TimeSpan.FromSeconds(1));
        var attempt = (await h.WaitForAttemptsAsync(webhook.Id, 1))[0]!;
        Assert.Equal("retrying", attempt["outcome"]!.GetValue<string>());
        Assert.Null(attempt["status"]);
        Assert.Contains("refused to connect: 127.0.0.1 is a loopback address", attempt["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(h.Receiver.Received);
    }

    private static async Task PrunedAsync(bool postgres)
    {
        await using var h = await WebhookHarness.StartAsync(postgres);
        var (id, _) = await h.CreateWebhookAsync("/gap");
        var down = true;
        h.Receiver.Answer = (_, _) => Volatile.Read(ref down) ? 500 : 200;
        await h.IngestAsync(WebhookHarness.SolvedEmail("1", 1));
        await h.TickUntilAsync(() => h.Receiver.Received.Count > 0, "the first attempt");
        await h.WaitForAttemptsAsync(id, 1);
        // The change log lets go of everything so far (as retention does after 7 days), then more comes.
        Assert.True(await h.Store.PruneChangesAsync(h.Time.GetUtcNow().ToUnixTimeMilliseconds() + 1) > 0);
        await h.IngestAsync(WebhookHarness.SolvedEmail("2", 2));
        var kept = (await ChangeMessage.ReadAsync(h.Store, h.Account.Id, 0, 1000)).Where(m => !m.Superseded).ToList();
        Volatile.Write(ref down, false);
        h.Time.Advance(TimeSpan.FromSeconds(1));
        await h.Receiver.WaitUntilAsync(r => r.Count(x => x.Answered == 200) == kept.Count, TimeSpan.FromSeconds(30), "the changes still kept");
        Assert.Equal(kept.Select(m => m.Id), h.Receiver.Delivered("/gap").Select(r => r.Id));
        var attempts = (await h.WaitForAttemptsAsync(id, kept.Count + 2)).Reverse().Select(a => a!.AsObject()).ToList();
        Assert.Equal(["retrying", "skipped"], attempts.Take(2).Select(a => a["outcome"]!.GetValue<string>()));
        var skipped = attempts[1];
        Assert.Equal(kept[0].Id - 1, skipped["change_id"]!.GetValue<long>());
        Assert.Null(skipped["type"]);
        Assert.Null(skipped["status"]);
        Assert.Equal($"changes 1 to {kept[0].Id - 1} are no longer in the change log", skipped["error"]!.GetValue<string>());
        Assert.All(attempts.Skip(2), a => Assert.Equal("delivered", a["outcome"]!.GetValue<string>()));
    }

    private static async Task EveryChangeAsync(bool postgres)
    {
        await using var h = await WebhookHarness.StartAsync(postgres);
        await h.IngestAsync(WebhookHarness.SolvedEmail("before", 0));
        var before = (await h.Store.ReadChangesAsync(h.Account.Id, 0, 1000)).Max(c => c.Sequence);
        var (all, allSecret) = await h.CreateWebhookAsync("/all");
        var (records, recordsSecret) = await h.CreateWebhookAsync("/records", ChangeMessage.InteractionUpdated);
        await h.IngestAsync([.. WebhookHarness.SolvedEmail("1", 1), .. WebhookHarness.SolvedEmail("2", 2)]);
        await h.IngestAsync(WebhookHarness.SolvedEmail("3", 3));
        // A late, earlier assignment: agent 7's engagement of "1" starts earlier, so the old one goes (unlogged); "2" is deleted.
        await h.IngestAsync([
            WebhookHarness.Ev("1-late", "assignment.changed", "2026-05-04T09:01:05Z", "1", ",\"agent_id\":\"7\",\"via\":\"manual\""),
            WebhookHarness.Ev("2-gone", "status.changed", "2026-05-04T09:30:00Z", "2", ",\"status\":\"deleted\""),
        ]);

        // What is sent: every change after the cursor but those superseded since (the engagement of "1" the late
        // assignment unlogged), each with its object as it is now.
        var read = await ChangeMessage.ReadAsync(h.Store, h.Account.Id, before, 1000);
        Assert.Contains(read, m => m.Superseded);
        var expected = read.Where(m => !m.Superseded).ToList();
        Assert.Contains(expected, m => m.Type == ChangeMessage.EngagementUnlogged);
        Assert.Contains(expected, m => m.Type == ChangeMessage.InteractionRemoved);
        var expectedRecords = expected.Where(m => m.Type == ChangeMessage.InteractionUpdated).ToList();
        await h.TickUntilAsync(
            () => h.Receiver.Delivered("/all").Count >= expected.Count && h.Receiver.Delivered("/records").Count >= expectedRecords.Count,
            "every change delivered");
        h.Time.Advance(TimeSpan.FromSeconds(3));
        await Task.Delay(200);

        var got = h.Receiver.Delivered("/all");
        Assert.Equal(expected.Select(m => m.Id), got.Select(r => r.Id));
        Assert.Equal(expected.Select(m => Convert.ToHexString(m.Envelope())), got.Select(r => Convert.ToHexString(r.Body)));
        Assert.All(got, r => Assert.True(r.SignedWith(allSecret), $"signature of {r.Id}"));
        Assert.All(got, r => Assert.False(r.SignedWith(recordsSecret)));
        Assert.All(got, r => Assert.InRange(long.Parse(r.Timestamp!, CultureInfo.InvariantCulture),
            WebhookHarness.T0.ToUnixTimeSeconds(), h.Time.GetUtcNow().ToUnixTimeSeconds()));
        var first = got[0].Json;
        Assert.Equal(["id", "type", "data"], first.Select(p => p.Key));

        var gotRecords = h.Receiver.Delivered("/records");
        Assert.Equal(expectedRecords.Select(m => m.Id), gotRecords.Select(r => r.Id));
        Assert.All(gotRecords, r => Assert.Equal("interaction.updated", r.Json["type"]!.GetValue<string>()));
        Assert.All(gotRecords, r => Assert.True(r.SignedWith(recordsSecret)));
        Assert.Equal(h.Receiver.Received.Count, got.Count + gotRecords.Count); // nothing sent twice, nothing else sent

        var deliveries = await h.WaitForAttemptsAsync(all, expected.Count);
        Assert.Equal(expected.Select(m => m.Id).Reverse(), deliveries.Select(d => d!["change_id"]!.GetValue<long>()));
        Assert.All(deliveries, d =>
        {
            Assert.Equal(["change_id", "type", "attempt", "attempted_at", "duration_ms", "status", "error", "outcome"], d!.AsObject().Select(p => p.Key));
            Assert.Equal(200, d["status"]!.GetValue<int>());
            Assert.Null(d["error"]);
            Assert.Equal(1, d["attempt"]!.GetValue<int>());
            Assert.Equal("delivered", d["outcome"]!.GetValue<string>());
        });
        Assert.Equal(expectedRecords.Count, (await h.WaitForAttemptsAsync(records, expectedRecords.Count)).Count);
    }

    private static async Task RecoversAsync(bool postgres)
    {
        await using var h = await WebhookHarness.StartAsync(postgres);
        var (id, secret) = await h.CreateWebhookAsync("/flaky");
        await h.IngestAsync(WebhookHarness.SolvedEmail("1", 1));
        await h.IngestAsync(WebhookHarness.SolvedEmail("2", 2));
        var expected = (await ChangeMessage.ReadAsync(h.Store, h.Account.Id, 0, 1000)).Where(m => !m.Superseded).ToList();
        var firstId = expected[0].Id;
        var calls = 0;
        // The first change: 500, then no answer at all, then 503, then 200.
        h.Receiver.Answer = (_, body) => body["id"]!.GetValue<long>() != firstId ? 200 : Interlocked.Increment(ref calls) switch
        {
            1 => 500,
            2 => 0,
            3 => 503,
            _ => 200,
        };

        await h.TickUntilAsync(() => h.Receiver.Received.Count > 0, "the first attempt");
        var start = DateTimeOffset.Parse((await h.WaitForAttemptsAsync(id, 1))[0]!["attempted_at"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        h.Time.Advance(TimeSpan.FromSeconds(1));       // the first retry is due 1 s after the failure
        await h.Receiver.WaitUntilAsync(r => r.Count == 2, TimeSpan.FromSeconds(30), "the second attempt (it hangs)");
        h.Time.Advance(TimeSpan.FromSeconds(9.9));
        await Task.Delay(300);
        Assert.Single(await h.DeliveriesAsync(id)); // still waiting for an answer at 9.9 s
        h.Time.Advance(TimeSpan.FromSeconds(0.1));     // 10 s: no answer, given up on this attempt
        await h.WaitForAttemptsAsync(id, 2);
        h.Time.Advance(TimeSpan.FromSeconds(1));
        await Task.Delay(300);
        Assert.Equal(2, h.Receiver.Received.Count);    // the next retry is 2 s after, not 1 s
        h.Time.Advance(TimeSpan.FromSeconds(1));
        await h.WaitForAttemptsAsync(id, 3);
        h.Time.Advance(TimeSpan.FromSeconds(3));
        await Task.Delay(300);
        Assert.Equal(3, h.Receiver.Received.Count);    // then 4 s
        Assert.All(h.Receiver.Received, r => Assert.Equal(firstId, r.Id)); // nothing later goes before it
        h.Time.Advance(TimeSpan.FromSeconds(1));
        await h.Receiver.WaitUntilAsync(r => r.Count(x => x.Answered == 200) == expected.Count, TimeSpan.FromSeconds(30), "every change after recovery");

        var delivered = h.Receiver.Delivered("/flaky");
        Assert.Equal(expected.Select(m => m.Id), delivered.Select(r => r.Id));
        Assert.All(h.Receiver.Received, r => Assert.True(r.SignedWith(secret)));
        Assert.Equal([500, 0, 503, 200], h.Receiver.Received.Take(4).Select(r => r.Answered));

        var attempts = (await h.DeliveriesAsync(id)).Reverse().Take(4).Select(d => d!.AsObject()).ToList();
        Assert.All(attempts, a => Assert.Equal(firstId, a["change_id"]!.GetValue<long>()));
        Assert.Equal([1, 2, 3, 4], attempts.Select(a => a["attempt"]!.GetValue<int>()));
        Assert.Equal([0, 1, 13, 17], attempts.Select(a => (int)(DateTimeOffset.Parse(a["attempted_at"]!.GetValue<string>(), CultureInfo.InvariantCulture) - start).TotalSeconds));
        Assert.Equal([500, (int?)null, 503, 200], attempts.Select(a => a["status"]?.GetValue<int>()));
        Assert.Equal(["retrying", "retrying", "retrying", "delivered"], attempts.Select(a => a["outcome"]!.GetValue<string>()));
        Assert.Equal("answered 500 Internal Server Error: receiver says no (500)", attempts[0]["error"]!.GetValue<string>());
        Assert.Equal("no answer within 10 s", attempts[1]["error"]!.GetValue<string>());
        Assert.StartsWith("answered 503", attempts[2]["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(attempts[3]["error"]);
        // The timestamp header is the clock's second of each attempt.
        Assert.Equal([0, 1, 13, 17], h.Receiver.Received.Take(4).Select(r => (int)(long.Parse(r.Timestamp!, CultureInfo.InvariantCulture) - start.ToUnixTimeSeconds())));
    }

    private static async Task GivesUpAsync(bool postgres)
    {
        await using var h = await WebhookHarness.StartAsync(postgres);
        var (id, _) = await h.CreateWebhookAsync("/dead", ChangeMessage.EngagementLogged);
        await h.IngestAsync(WebhookHarness.SolvedEmail("1", 1));
        await h.IngestAsync(WebhookHarness.SolvedEmail("2", 2));
        var expected = (await ChangeMessage.ReadAsync(h.Store, h.Account.Id, 0, 1000)).Where(m => !m.Superseded && m.Type == ChangeMessage.EngagementLogged).ToList();
        Assert.Equal(2, expected.Count);
        h.Receiver.Answer = (_, body) => body["id"]!.GetValue<long>() == expected[0].Id ? 502 : 200;

        // The SPEC's schedule, computed here: 1 s after the first failure, doubling, at most 1 h apart, the last attempt
        // 24 h after the first.
        var schedule = new List<long> { 0 };
        for (long delay = 1; ; delay = Math.Min(delay * 2, 3600))
        {
            var at = schedule[^1] + delay;
            if (at >= 86_400)
            {
                schedule.Add(86_400);
                break;
            }

            schedule.Add(at);
        }

        Assert.Equal(36, schedule.Count);
        await h.TickUntilAsync(() => h.Receiver.Received.Count > 0, "the first attempt");
        for (var i = 1; i < schedule.Count; i++)
        {
            await h.WaitForAttemptsAsync(id, i);
            var wait = schedule[i] - schedule[i - 1];
            if (wait > 1)
            {
                h.Time.Advance(TimeSpan.FromSeconds(wait - 1));
                await Task.Delay(50);
                Assert.Equal(i, h.Receiver.Received.Count); // not a second early
            }

            h.Time.Advance(TimeSpan.FromSeconds(1));
        }

        await h.Receiver.WaitUntilAsync(r => r.Any(x => x.Answered == 200), TimeSpan.FromSeconds(30), "the next change after the give-up");
        var attempts = (await h.WaitForAttemptsAsync(id, schedule.Count + 1)).Reverse().Select(d => d!.AsObject()).ToList();
        var start = DateTimeOffset.Parse(attempts[0]["attempted_at"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        var dead = attempts.Take(schedule.Count).ToList();
        Assert.All(dead, a => Assert.Equal(expected[0].Id, a["change_id"]!.GetValue<long>()));
        Assert.Equal(schedule, dead.Select(a => (long)(DateTimeOffset.Parse(a["attempted_at"]!.GetValue<string>(), CultureInfo.InvariantCulture) - start).TotalSeconds));
        Assert.Equal(Enumerable.Range(1, schedule.Count), dead.Select(a => a["attempt"]!.GetValue<int>()));
        Assert.All(dead.SkipLast(1), a => Assert.Equal("retrying", a["outcome"]!.GetValue<string>()));
        Assert.Equal("given_up", dead[^1]["outcome"]!.GetValue<string>());
        Assert.All(dead, a => Assert.Equal(502, a["status"]!.GetValue<int>()));
        var next = attempts[schedule.Count];
        Assert.Equal(expected[1].Id, next["change_id"]!.GetValue<long>());
        Assert.Equal("delivered", next["outcome"]!.GetValue<string>());
        Assert.Equal(86_400, (long)(DateTimeOffset.Parse(next["attempted_at"]!.GetValue<string>(), CultureInfo.InvariantCulture) - start).TotalSeconds);
        Assert.Equal([expected[1].Id], h.Receiver.Delivered("/dead").Select(r => r.Id));
    }
}
