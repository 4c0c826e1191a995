using System.ComponentModel;

namespace OmniReport.Api.Webhooks;

/// <summary>The body of <c>POST /api/v2/webhooks</c>.</summary>
/// <param name="Url">Where to POST the changes.</param>
/// <param name="Types">The change types to receive; every type when absent.</param>
public sealed record WebhookRequestDoc(
    [property: Description("An absolute http or https URL (no user name or password, no #fragment), at most 2,000 characters.")] string Url,
    [property: Description("Change types to receive: engagement.logged, engagement.unlogged, interaction.updated, interaction.removed. Absent or null: all of them.")] IReadOnlyList<string>? Types);

/// <summary>A webhook just created: the only answer that shows its secret.</summary>
/// <param name="Id">Its id.</param>
/// <param name="Url">Its URL.</param>
/// <param name="Types">The change types it receives.</param>
/// <param name="Secret">The key of its signatures; shown once.</param>
public sealed record WebhookCreatedDoc(
    string Id,
    string Url,
    IReadOnlyList<string> Types,
    [property: Description("The HMAC-SHA256 key of X-OmniReport-Signature (its UTF-8 text, as shown). Shown only in this answer.")] string Secret);

/// <summary>A webhook.</summary>
/// <param name="Id">Its id.</param>
/// <param name="Url">Its URL.</param>
/// <param name="Types">The change types it receives.</param>
public sealed record WebhookDoc(string Id, string Url, IReadOnlyList<string> Types);

/// <summary>The account's webhooks, oldest first.</summary>
/// <param name="Webhooks">The webhooks.</param>
public sealed record WebhookListDoc(IReadOnlyList<WebhookDoc> Webhooks);

/// <summary>One attempt at delivering a change.</summary>
/// <param name="ChangeId">The change's id (the body's <c>id</c>).</param>
/// <param name="Type">The change's type (null for a skip).</param>
/// <param name="Attempt">1 for the first attempt at the change.</param>
/// <param name="AttemptedAt">When the attempt started.</param>
/// <param name="DurationMs">How long it took.</param>
/// <param name="Status">The receiver's HTTP status.</param>
/// <param name="Error">What went wrong.</param>
/// <param name="Outcome">What came of it.</param>
public sealed record WebhookDeliveryDoc(
    long ChangeId,
    string? Type,
    int Attempt,
    [property: Description("RFC 3339, UTC, milliseconds.")] string AttemptedAt,
    long DurationMs,
    [property: Description("The receiver's HTTP status code; null when it did not answer (timeout, connection failure, refused address).")] int? Status,
    [property: Description("What went wrong (status and the start of the answer, a timeout, a connection error); null when delivered.")] string? Error,
    [property: Description("delivered; retrying (a later attempt is scheduled); given_up (24 h of retries are over, the webhook went on with the next change); skipped (changes no longer in the change log, no request made).")] string Outcome);

/// <summary>The latest attempts of a webhook, newest first.</summary>
/// <param name="Deliveries">The attempts (at most 100).</param>
public sealed record WebhookDeliveriesDoc(IReadOnlyList<WebhookDeliveryDoc> Deliveries);
