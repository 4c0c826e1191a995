using OmniReport.Api.Live;
using OmniReport.Storage;

namespace OmniReport.Api.Webhooks;

/// <summary>
/// Delivers webhooks (SPEC §9): claims one that is due from the store, then sends its account's changes after its
/// cursor one at a time, in change order, each body made by <see cref="ChangeMessage"/> (the stream's messages). A
/// delivered change (or one of a type the webhook does not take) moves the cursor on; a failed one is recorded and
/// the webhook released until its retry is due (<see cref="WebhookRetry"/>). Every attempt and every move is written
/// under the claim's token before the next change is sent, so after a crash the change in flight is sent again (at
/// least once) and nothing is skipped; while a claim holds, no other process sends for the webhook.
/// </summary>
public sealed class WebhookDispatcher(IStore store, WebhookSender sender, TimeProvider time, TimeSpan lease)
{
    /// <summary>Changes read from the log at a time.</summary>
    private const int ReadBatch = 100;

    /// <summary>Attempts in one claim before the webhook is let go, so that one busy webhook does not hold a worker.</summary>
    private const int AttemptsPerClaim = 100;

    private long NowMs => time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Claims one due webhook and delivers what it can; false when no webhook was due.</summary>
    public async Task<bool> RunOnceAsync(CancellationToken ct)
    {
        var claim = await store.ClaimWebhookAsync(lease, ct).ConfigureAwait(false);
        if (claim is null)
        {
            return false;
        }

        var saved = new Saved(claim.State);
        WebhookState? release = saved.State;
        try
        {
            release = await DeliverAsync(claim, saved, ct).ConfigureAwait(false);
        }
        catch
        {
            release = saved.State; // what the store holds: the change in flight was not recorded, so it is sent again
            throw;
        }
        finally
        {
            if (release is not null)
            {
                // Let go (a cursor moved past changes of other types is saved with it).
                await store.UpdateWebhookAsync(claim, release, null, renew: null, CancellationToken.None).ConfigureAwait(false);
            }
        }

        return true;
    }

    /// <summary>Sends until the webhook is caught up, fails, or has had its turn; the state to release it with, or null when the claim is lost.</summary>
    private async Task<WebhookState?> DeliverAsync(WebhookLease claim, Saved saved, CancellationToken ct)
    {
        var webhook = claim.Webhook;
        var state = claim.State;
        var attempts = 0;
        while (true)
        {
            var messages = await ChangeMessage.ReadAsync(store, webhook.AccountId, state.Cursor, ReadBatch, ct).ConfigureAwait(false);
            if (messages.Count == 0)
            {
                return state;
            }

            if (messages[0].Id > state.Cursor + 1)
            {
                // The change log no longer holds the changes in between (it keeps them for a while, SPEC §9).
                var skipped = new WebhookAttempt(messages[0].Id - 1, "", 0, NowMs, 0, null,
                    $"changes {state.Cursor + 1} to {messages[0].Id - 1} are no longer in the change log", WebhookOutcome.Skipped);
                state = new WebhookState(messages[0].Id - 1, 0, null, NowMs);
                if (!await store.UpdateWebhookAsync(claim, state, skipped, lease, ct).ConfigureAwait(false))
                {
                    return null;
                }

                saved.State = state;
            }

            foreach (var message in messages)
            {
                if (message.Superseded || !webhook.Types.Contains(message.Type))
                {
                    state = state with { Cursor = message.Id };
                    continue;
                }

                if (attempts == AttemptsPerClaim || state.NextAttemptAtMs > NowMs)
                {
                    return state;
                }

                var start = NowMs;
                var started = time.GetTimestamp();
                var result = await sender.SendAsync(webhook.Url, claim.Secret, message.Envelope(), ct).ConfigureAwait(false);
                var end = NowMs;
                attempts++;
                var (next, outcome) = WebhookRetry.After(state, message.Id, result.Delivered, start, end);
                var attempt = new WebhookAttempt(message.Id, message.Type, state.Attempts + 1, start,
                    (long)time.GetElapsedTime(started).TotalMilliseconds, result.HttpStatus, result.Error, outcome);
                state = next;
                // A failure lets the webhook go until its retry; otherwise the claim is renewed for the next change.
                var retrying = outcome == WebhookOutcome.Retrying;
                if (!await store.UpdateWebhookAsync(claim, state, attempt, retrying ? null : lease, ct).ConfigureAwait(false))
                {
                    return null;
                }

                saved.State = state;

                if (retrying)
                {
                    return null;
                }
            }
        }
    }

    /// <summary>The state the store last took under the claim.</summary>
    private sealed class Saved(WebhookState state)
    {
        public WebhookState State { get; set; } = state;
    }
}
