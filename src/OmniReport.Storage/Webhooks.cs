namespace OmniReport.Storage;

/// <summary>A webhook of an account (SPEC §9): where its changes are POSTed, and which types.</summary>
/// <param name="Id">Public id.</param>
/// <param name="AccountId">The account.</param>
/// <param name="Url">The target URL.</param>
/// <param name="Types">The change types it receives (SPEC §9 event names), in the order given.</param>
/// <param name="CreatedAtMs">When it was created (store clock); it receives the changes logged after that.</param>
public sealed record Webhook(string Id, long AccountId, string Url, IReadOnlyList<string> Types, long CreatedAtMs);

/// <summary>Where a webhook's deliveries stand.</summary>
/// <param name="Cursor">The account's change sequence up to which the webhook is done (delivered, given up, or not a type it takes).</param>
/// <param name="Attempts">Failed attempts at the change after the cursor.</param>
/// <param name="FirstAttemptAtMs">When the first of those attempts was made (null: none yet).</param>
/// <param name="NextAttemptAtMs">When the next attempt is due.</param>
public sealed record WebhookState(long Cursor, int Attempts, long? FirstAttemptAtMs, long NextAttemptAtMs);

/// <summary>A webhook claimed for delivery by one process: only the holder of <see cref="Token"/> may move it on.</summary>
/// <param name="Webhook">The webhook.</param>
/// <param name="Secret">Its signing secret.</param>
/// <param name="Token">The claim's random token.</param>
/// <param name="State">Its state when claimed.</param>
public sealed record WebhookLease(Webhook Webhook, string Secret, string Token, WebhookState State);

/// <summary>What came of one attempt.</summary>
public enum WebhookOutcome
{
    /// <summary>The receiver answered 2xx.</summary>
    Delivered,

    /// <summary>It failed and will be retried.</summary>
    Retrying,

    /// <summary>It failed and the change's 24 hours of retries are over: the webhook goes on with the next change.</summary>
    GivenUp,

    /// <summary>Changes were no longer in the change log when the webhook came to them (no request was made).</summary>
    Skipped,
}

/// <summary>One attempt at delivering a change, as the deliveries list shows it.</summary>
/// <param name="ChangeSequence">The change (its id in the body).</param>
/// <param name="ChangeType">Its type.</param>
/// <param name="Attempt">1 for the first attempt at this change.</param>
/// <param name="AtMs">When the attempt started (Unix ms).</param>
/// <param name="DurationMs">How long it took.</param>
/// <param name="HttpStatus">The receiver's status code, or null when there was no answer.</param>
/// <param name="Error">What went wrong, or null.</param>
/// <param name="Outcome">What came of it.</param>
public sealed record WebhookAttempt(long ChangeSequence, string ChangeType, int Attempt, long AtMs, long DurationMs, int? HttpStatus, string? Error, WebhookOutcome Outcome);

/// <summary>The stored names of <see cref="WebhookOutcome"/>.</summary>
public static class WebhookOutcomes
{
    /// <summary>The name of an outcome.</summary>
    public static string Name(WebhookOutcome outcome) => outcome switch
    {
        WebhookOutcome.Delivered => "delivered",
        WebhookOutcome.Retrying => "retrying",
        WebhookOutcome.GivenUp => "given_up",
        WebhookOutcome.Skipped => "skipped",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome)),
    };

    /// <summary>The outcome of a stored name.</summary>
    public static WebhookOutcome Parse(string name) => name switch
    {
        "delivered" => WebhookOutcome.Delivered,
        "retrying" => WebhookOutcome.Retrying,
        "given_up" => WebhookOutcome.GivenUp,
        "skipped" => WebhookOutcome.Skipped,
        _ => throw new FormatException($"unknown webhook outcome \"{name}\""),
    };
}

/// <summary>What both stores share about webhook rows.</summary>
internal static class WebhookRows
{
    /// <summary>Attempts kept per webhook; older ones are deleted as new ones come.</summary>
    public const int AttemptsKept = 100;

    public const string Columns = "id, account_id, url, types, created_at_ms";

    public const string LeaseColumns = "id, account_id, url, types, created_at_ms, secret, lease_token, cursor, attempts, first_attempt_ms, next_attempt_ms";

    public const string AttemptColumns = "change_seq, change_type, attempt, at_ms, duration_ms, http_status, error, outcome";

    public static string NewId() => "wh_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));

    public static string NewLeaseToken() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    public static string JoinTypes(IReadOnlyList<string> types) => string.Join(',', types);

    public static Webhook Read(System.Data.Common.DbDataReader r) =>
        new(r.GetString(0), r.GetInt64(1), r.GetString(2), r.GetString(3).Split(','), r.GetInt64(4));

    public static WebhookLease ReadLease(System.Data.Common.DbDataReader r) =>
        new(Read(r), r.GetString(5), r.GetString(6),
            new WebhookState(r.GetInt64(7), r.GetInt32(8), r.IsDBNull(9) ? null : r.GetInt64(9), r.GetInt64(10)));

    public static WebhookAttempt ReadAttempt(System.Data.Common.DbDataReader r) =>
        new(r.GetInt64(0), r.GetString(1), r.GetInt32(2), r.GetInt64(3), r.GetInt64(4),
            r.IsDBNull(5) ? null : r.GetInt32(5), r.IsDBNull(6) ? null : r.GetString(6), WebhookOutcomes.Parse(r.GetString(7)));
}
