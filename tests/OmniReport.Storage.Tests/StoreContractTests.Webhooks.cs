using static OmniReport.Storage.Tests.StoreTestKit;

namespace OmniReport.Storage.Tests;

/// <summary>Webhooks and their delivery state (SPEC §9), on every store.</summary>
public abstract partial class StoreContractTests
{
    private static readonly string[] AllTypes = ["engagement.logged", "engagement.unlogged", "interaction.updated", "interaction.removed"];

    [StoreFact]
    public async Task Webhooks_are_created_listed_found_and_deleted_per_account()
    {
        var clock = new ManualTimeProvider(T0);
        var store = await NewStoreAsync(clock);
        var acme = await store.CreateAccountAsync("acme");
        var other = await store.CreateAccountAsync("other");
        var a = await store.CreateWebhookAsync(acme.Id, "https://a.example.com/x", ["engagement.logged"], "s1");
        clock.Advance(TimeSpan.FromSeconds(1));
        var b = await store.CreateWebhookAsync(acme.Id, "https://b.example.com/y?z=1", AllTypes, "s2");
        Assert.NotEqual(a.Id, b.Id);
        Assert.Equal(T0.ToUnixTimeMilliseconds(), a.CreatedAtMs);
        Assert.Equal([a, b], (await store.ListWebhooksAsync(acme.Id)).Select(w => w with { Types = [.. w.Types] }).ToList(), new WebhookComparer());
        Assert.Equal(["engagement.logged"], (await store.GetWebhookAsync(acme.Id, a.Id))!.Types);
        Assert.Equal(AllTypes, (await store.GetWebhookAsync(acme.Id, b.Id))!.Types);
        Assert.Null(await store.GetWebhookAsync(other.Id, a.Id));
        Assert.Empty(await store.ListWebhooksAsync(other.Id));
        Assert.Null(await store.ListWebhookAttemptsAsync(other.Id, a.Id, 10));
        Assert.Empty((await store.ListWebhookAttemptsAsync(acme.Id, a.Id, 10))!);
        Assert.False(await store.DeleteWebhookAsync(other.Id, a.Id));
        Assert.True(await store.DeleteWebhookAsync(acme.Id, a.Id));
        Assert.False(await store.DeleteWebhookAsync(acme.Id, a.Id));
        Assert.Equal([b.Id], (await store.ListWebhooksAsync(acme.Id)).Select(w => w.Id));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => store.CreateWebhookAsync(987_654, "https://x.example.com", AllTypes, "s"));
    }

    [StoreFact]
    public async Task A_webhook_starts_after_the_accounts_last_change_and_is_claimed_only_when_a_later_change_is_due()
    {
        var clock = new ManualTimeProvider(T0);
        var store = await NewStoreAsync(clock);
        var acme = await store.CreateAccountAsync("acme");
        await store.IngestAsync(acme.Id, Parse(OpenChat("1")));
        var last = (await store.ReadChangesAsync(acme.Id, 0, 1000)).Max(c => c.Sequence);
        var webhook = await store.CreateWebhookAsync(acme.Id, "https://a.example.com/x", AllTypes, "secret");
        Assert.Null(await store.ClaimWebhookAsync(TimeSpan.FromSeconds(30))); // nothing after its cursor

        await store.IngestAsync(acme.Id, Parse(OpenChat("2", "b")));
        var claim = await store.ClaimWebhookAsync(TimeSpan.FromSeconds(30));
        Assert.NotNull(claim);
        Assert.Equal(webhook.Id, claim.Webhook.Id);
        Assert.Equal("secret", claim.Secret);
        Assert.Equal(new WebhookState(last, 0, null, T0.ToUnixTimeMilliseconds()), claim.State);
    }

    [StoreFact]
    public async Task A_claim_is_exclusive_until_released_or_its_lease_runs_out_and_only_its_token_moves_the_webhook()
    {
        var clock = new ManualTimeProvider(T0);
        var store = await NewStoreAsync(clock);
        var acme = await store.CreateAccountAsync("acme");
        var webhook = await store.CreateWebhookAsync(acme.Id, "https://a.example.com/x", AllTypes, "secret");
        await store.IngestAsync(acme.Id, Parse(OpenChat("1")));
        var first = (await store.ClaimWebhookAsync(TimeSpan.FromSeconds(30)))!;
        Assert.Null(await store.ClaimWebhookAsync(TimeSpan.FromSeconds(30)));

        // A failed attempt: recorded, the claim ends, and the webhook is not due again until its retry time.
        var now = T0.ToUnixTimeMilliseconds();
        var retry = new WebhookState(0, 1, now, now + 1000);
        var attempt = new WebhookAttempt(1, "interaction.updated", 1, now, 12, 500, "answered 500", WebhookOutcome.Retrying);
        Assert.True(await store.UpdateWebhookAsync(first, retry, attempt, renew: null));
        Assert.Null(await store.ClaimWebhookAsync(TimeSpan.FromSeconds(30)));
        clock.Advance(TimeSpan.FromSeconds(1));
        var second = (await store.ClaimWebhookAsync(TimeSpan.FromSeconds(30)))!;
        Assert.Equal(retry, second.State);
        Assert.NotEqual(first.Token, second.Token);
        Assert.False(await store.UpdateWebhookAsync(first, new WebhookState(5, 0, null, now), null, renew: null)); // an old claim writes nothing

        // The holder dies: after its lease another claim takes the webhook, and the dead one's token is void.
        clock.Advance(TimeSpan.FromSeconds(31));
        var third = (await store.ClaimWebhookAsync(TimeSpan.FromSeconds(30)))!;
        Assert.Equal(retry, third.State);
        Assert.False(await store.UpdateWebhookAsync(second, new WebhookState(5, 0, null, now), null, renew: null));
        var delivered = new WebhookState(1, 0, null, clock.GetUtcNow().ToUnixTimeMilliseconds());
        Assert.True(await store.UpdateWebhookAsync(third, delivered, attempt with { Attempt = 2, HttpStatus = 200, Error = null, Outcome = WebhookOutcome.Delivered },
            renew: TimeSpan.FromSeconds(30)));
        Assert.Null(await store.ClaimWebhookAsync(TimeSpan.FromSeconds(30))); // renewed: still held

        var attempts = (await store.ListWebhookAttemptsAsync(acme.Id, webhook.Id, 10))!;
        Assert.Equal([WebhookOutcome.Delivered, WebhookOutcome.Retrying], attempts.Select(a => a.Outcome));
        Assert.Equal(attempt, attempts[1]);
        Assert.Equal([200, 500], attempts.Select(a => a.HttpStatus ?? 0));
    }

    [StoreFact]
    public async Task The_store_keeps_the_latest_100_attempts_of_a_webhook_and_forgets_them_with_it()
    {
        var store = await NewStoreAsync();
        var acme = await store.CreateAccountAsync("acme");
        var webhook = await store.CreateWebhookAsync(acme.Id, "https://a.example.com/x", AllTypes, "secret");
        await store.IngestAsync(acme.Id, Parse(OpenChat("1")));
        var claim = (await store.ClaimWebhookAsync(TimeSpan.FromSeconds(30)))!;
        for (var i = 1; i <= 105; i++)
        {
            Assert.True(await store.UpdateWebhookAsync(claim, claim.State,
                new WebhookAttempt(1, "interaction.updated", i, i, 0, null, $"attempt {i}", WebhookOutcome.Retrying), TimeSpan.FromSeconds(30)));
        }

        var kept = (await store.ListWebhookAttemptsAsync(acme.Id, webhook.Id, 1000))!;
        Assert.Equal(Enumerable.Range(6, 100).Reverse(), kept.Select(a => a.Attempt));
        Assert.Equal(3, (await store.ListWebhookAttemptsAsync(acme.Id, webhook.Id, 3))!.Count);
        Assert.True(await store.DeleteWebhookAsync(acme.Id, webhook.Id));
        Assert.False(await store.UpdateWebhookAsync(claim, claim.State, null, renew: null)); // a deleted webhook cannot be moved
        var again = await store.CreateWebhookAsync(acme.Id, "https://a.example.com/x", AllTypes, "secret");
        Assert.Empty((await store.ListWebhookAttemptsAsync(acme.Id, again.Id, 1000))!);
    }

    private sealed class WebhookComparer : IEqualityComparer<Webhook>
    {
        public bool Equals(Webhook? x, Webhook? y) =>
            x is not null && y is not null && x.Id == y.Id && x.AccountId == y.AccountId && x.Url == y.Url && x.Types.SequenceEqual(y.Types) && x.CreatedAtMs == y.CreatedAtMs;

        public int GetHashCode(Webhook obj) => obj.Id.GetHashCode(StringComparison.Ordinal);
    }
}
