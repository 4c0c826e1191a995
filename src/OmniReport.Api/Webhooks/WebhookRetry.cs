using OmniReport.Storage;

namespace OmniReport.Api.Webhooks;

/// <summary>
/// The retry rule of SPEC §9, as a function of a webhook's state: a change that does not get a 2xx is retried after
/// 1 s, 2 s, 4 s … (doubling, at most 1 h apart, counted from the end of the failed attempt) until 24 h after its
/// first attempt; the last attempt is made at that moment, and when it fails too the change is given up and the
/// webhook goes on with the next change (docs/decisions.md, "Webhooks").
/// </summary>
public static class WebhookRetry
{
    /// <summary>The first retry's delay.</summary>
    public static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(1);

    /// <summary>The longest delay between two attempts.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromHours(1);

    /// <summary>How long a change is retried, from its first attempt.</summary>
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromHours(24);

    /// <summary>The delay after the <paramref name="failures"/>-th failed attempt (1-based).</summary>
    public static TimeSpan DelayAfter(int failures)
    {
        var exponent = Math.Min(failures - 1, 30);
        var delay = FirstDelay * (1L << exponent);
        return delay < MaxDelay ? delay : MaxDelay;
    }

    /// <summary>
    /// The state after an attempt at the change <paramref name="sequence"/> that started at <paramref name="startMs"/>
    /// and ended at <paramref name="endMs"/>, and its outcome.
    /// </summary>
    public static (WebhookState State, WebhookOutcome Outcome) After(WebhookState state, long sequence, bool delivered, long startMs, long endMs)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (delivered)
        {
            return (new WebhookState(sequence, 0, null, endMs), WebhookOutcome.Delivered);
        }

        var failures = state.Attempts + 1;
        var first = state.FirstAttemptAtMs ?? startMs;
        var deadline = first + (long)GiveUpAfter.TotalMilliseconds;
        if (endMs >= deadline)
        {
            return (new WebhookState(sequence, 0, null, endMs), WebhookOutcome.GivenUp);
        }

        var next = Math.Min(endMs + (long)DelayAfter(failures).TotalMilliseconds, deadline);
        return (new WebhookState(state.Cursor, failures, first, next), WebhookOutcome.Retrying);
    }
}
