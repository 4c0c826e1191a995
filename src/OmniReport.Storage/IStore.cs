using OmniReport.Core.Derivation;
using OmniReport.Core.Events;
using OmniReport.Core.Reports;
using OmniReport.Core.Settings;

namespace OmniReport.Storage;

/// <summary>
/// The one store contract (SQLite and PostgreSQL implement it). Every method is scoped to one account
/// where it reads or writes account data: an account never sees another account's data.
/// Time comes from the <see cref="TimeProvider"/> the store was opened with.
/// </summary>
public interface IStore : IAsyncDisposable
{
    /// <summary>"sqlite" or "postgresql".</summary>
    string Kind { get; }

    /// <summary>Applies the schema migrations not yet recorded. Idempotent; safe from several processes.</summary>
    Task MigrateAsync(CancellationToken ct = default);

    /// <summary>Creates an account. Throws <see cref="StoreConflictException"/> when the name is taken.</summary>
    Task<Account> CreateAccountAsync(string name, CancellationToken ct = default);

    /// <summary>The account with this name, or null.</summary>
    Task<Account?> FindAccountAsync(string name, CancellationToken ct = default);

    /// <summary>Creates an API token and returns its text, which is shown once and stored only hashed.</summary>
    Task<string> CreateTokenAsync(long accountId, Scopes scopes, CancellationToken ct = default);

    /// <summary>
    /// The account and scopes of a token, or null when the token is unknown, or is an access token that has expired
    /// or whose OAuth client was revoked.
    /// </summary>
    Task<TokenIdentity?> AuthenticateAsync(string token, CancellationToken ct = default);

    // OAuth clients (SPEC §5.5): the client-credentials grant gives their access tokens, which live with the tokens
    // above and authenticate the same way until they expire or their client is revoked.

    /// <summary>Creates a client of the account; its secret is returned once and stored only hashed.</summary>
    Task<NewOAuthClient> CreateOAuthClientAsync(long accountId, Scopes scopes, CancellationToken ct = default);

    /// <summary>The account's clients, revoked ones included, oldest first.</summary>
    Task<IReadOnlyList<OAuthClient>> ListOAuthClientsAsync(long accountId, CancellationToken ct = default);

    /// <summary>The client with this public id, revoked or not, or null.</summary>
    Task<OAuthClient?> FindOAuthClientAsync(string clientId, CancellationToken ct = default);

    /// <summary>
    /// Revokes a client (a second revoke keeps the first time) and deletes its access tokens. False when there is no
    /// such client.
    /// </summary>
    Task<bool> RevokeOAuthClientAsync(string clientId, CancellationToken ct = default);

    /// <summary>
    /// Issues an access token to the client (by store id) with <paramref name="scopes"/>, expiring after
    /// <paramref name="lifetime"/>, and deletes the client's expired tokens. Null when the client is unknown or revoked.
    /// </summary>
    Task<AccessToken?> IssueAccessTokenAsync(long oauthClientId, Scopes scopes, TimeSpan lifetime, CancellationToken ct = default);

    /// <summary>The account's settings (the defaults until changed).</summary>
    Task<AccountSettings> GetSettingsAsync(long accountId, CancellationToken ct = default);

    /// <summary>Replaces the settings and recomputes every derived record of the account, in one transaction.</summary>
    Task UpdateSettingsAsync(long accountId, AccountSettings settings, CancellationToken ct = default);

    /// <summary>
    /// Stores a batch of validated events: those whose id the account already has (or that repeat an id
    /// earlier in the batch) are duplicates and ignored; the rest are stored, and the records of every
    /// touched interaction recomputed, in one transaction. Durable when the task completes.
    /// The store sets <see cref="Event.Sequence"/> (the arrival order of SPEC §1) on the events it accepts.
    /// </summary>
    /// <returns>For each event of the batch, in order, whether it was accepted (false: duplicate).</returns>
    Task<IngestResult> IngestAsync(long accountId, IReadOnlyList<Event> events, CancellationToken ct = default);

    /// <summary>
    /// Applies the inactivity ends whose moment has passed (SPEC §3.3–3.4) by recomputing the interactions
    /// whose deadline is at or before now. Returns how many interactions it recomputed.
    /// </summary>
    Task<int> SweepAsync(CancellationToken ct = default);

    /// <summary>Logged engagements matching <paramref name="query"/>, in API order (start second, engagement id).</summary>
    IAsyncEnumerable<Engagement> QueryEngagementsAsync(long accountId, EngagementQuery query, CancellationToken ct = default);

    /// <summary>One logged engagement, or null.</summary>
    Task<Engagement?> GetEngagementAsync(long accountId, string engagementId, CancellationToken ct = default);

    /// <summary>Logged engagements with fromMs ≤ start &lt; toMs, in API order (start second, engagement id), streamed.</summary>
    IAsyncEnumerable<Engagement> EngagementsByStartAsync(long accountId, long fromMs, long toMs, CancellationToken ct = default);

    /// <summary>Interaction records with fromMs ≤ start &lt; toMs, by start then interaction id, streamed.</summary>
    IAsyncEnumerable<InteractionRow> InteractionsByStartAsync(long accountId, long fromMs, long toMs, CancellationToken ct = default);

    // Report jobs (SPEC §5.4). A job is durable from creation. Workers claim it with a lease that they renew
    // while they write; every claim bumps its attempt, and only the attempt that holds the job may append to
    // its file or finish it, so a job whose worker died is taken up again and its file is produced once.

    /// <summary>Stores a new job in status created.</summary>
    Task<ReportJob> CreateReportJobAsync(long accountId, ReportType type, ReportJobRequest request, CancellationToken ct = default);

    /// <summary>The account's job of this type, or null.</summary>
    Task<ReportJob?> GetReportJobAsync(long accountId, ReportType type, string jobId, CancellationToken ct = default);

    /// <summary>A page (1-based) of the account's jobs of this type, newest first.</summary>
    Task<ReportJobPage> ListReportJobsAsync(long accountId, ReportType type, int page, int perPage, CancellationToken ct = default);

    /// <summary>
    /// Cancels a job that has not finished (it stays, as canceled), or deletes a finished or canceled one with
    /// its file. False when there is no such job.
    /// </summary>
    Task<bool> RemoveReportJobAsync(long accountId, ReportType type, string jobId, CancellationToken ct = default);

    /// <summary>
    /// Takes the oldest job that is created, or processing with an expired lease: it becomes processing under a
    /// new attempt, leased until now + <paramref name="lease"/>, and the file parts of earlier attempts are dropped.
    /// Null when there is no work.
    /// </summary>
    Task<ReportJob?> ClaimReportJobAsync(TimeSpan lease, CancellationToken ct = default);

    /// <summary>
    /// Called when a process starts its report workers: jobs left processing by a process that died become
    /// claimable at once where the store can tell they are orphaned (an embedded SQLite file belongs to one
    /// server); a shared PostgreSQL database leaves them to their leases. Returns how many were released.
    /// </summary>
    Task<int> ReleaseOrphanedReportJobsAsync(CancellationToken ct = default);

    /// <summary>Extends the lease of the attempt; false when the attempt no longer holds the job (canceled, deleted, taken).</summary>
    Task<bool> RenewReportJobAsync(string jobId, int attempt, TimeSpan lease, CancellationToken ct = default);

    /// <summary>
    /// Appends part <paramref name="part"/> (0, 1, …) of the attempt's file, as bytes the store keeps as they are (the
    /// worker stores gzip members: <see cref="ReportJobFiles"/>); false when the attempt lost the job.
    /// </summary>
    Task<bool> AppendReportFileAsync(string jobId, int attempt, int part, ReadOnlyMemory<byte> data, CancellationToken ct = default);

    /// <summary>Marks the attempt's job done with its file; false when the attempt lost the job.</summary>
    Task<bool> CompleteReportJobAsync(string jobId, int attempt, long rows, CancellationToken ct = default);

    /// <summary>Marks the attempt's job failed and drops its file parts.</summary>
    Task FailReportJobAsync(string jobId, int attempt, string error, CancellationToken ct = default);

    /// <summary>
    /// The stored parts of a done job's file in order, streamed in chunks; empty when the job is not done. Each chunk's
    /// memory is valid only until the next one is asked for. <see cref="ReportJobFiles.CopyAsync"/> gives the text.
    /// </summary>
    IAsyncEnumerable<ReadOnlyMemory<byte>> ReadReportFileAsync(long accountId, ReportType type, string jobId, CancellationToken ct = default);

    /// <summary>Deletes finished jobs (done, failed, canceled) whose status changed before <paramref name="beforeMs"/>, with their files.</summary>
    Task<int> DeleteExpiredReportJobsAsync(long beforeMs, CancellationToken ct = default);

    // Connector secrets (SPEC §10): what a vendor signs its callbacks with, kept as given because the server must
    // compute the same signature.

    /// <summary>
    /// Stores the account's secret for <paramref name="connector"/> (e.g. "twilio"), replacing any earlier one;
    /// null removes it.
    /// </summary>
    Task SetConnectorSecretAsync(long accountId, string connector, string? secret, CancellationToken ct = default);

    /// <summary>The account's secret for <paramref name="connector"/>, or null when none is set.</summary>
    Task<string?> GetConnectorSecretAsync(long accountId, string connector, CancellationToken ct = default);
}

/// <summary>An account.</summary>
/// <param name="Id">Store id.</param>
/// <param name="Name">Unique name.</param>
public sealed record Account(long Id, string Name);

/// <summary>Token scopes (SPEC §5.1).</summary>
[Flags]
public enum Scopes
{
    /// <summary>No scope.</summary>
    None = 0,
    /// <summary><c>events:write</c></summary>
    EventsWrite = 1,
    /// <summary><c>reports:read</c></summary>
    ReportsRead = 2,
    /// <summary><c>admin</c></summary>
    Admin = 4,
    /// <summary>Every scope.</summary>
    All = EventsWrite | ReportsRead | Admin,
}

/// <summary>Who a token speaks for.</summary>
/// <param name="AccountId">The account.</param>
/// <param name="TokenId">The token's store id (rate limits are per token).</param>
/// <param name="Scopes">What it may do.</param>
/// <param name="OAuthClientId">For an access token of SPEC §5.5, its client's store id (its rate limit is the client's).</param>
/// <param name="ExpiresAtMs">For an access token, when it stops working (Unix ms).</param>
public sealed record TokenIdentity(long AccountId, long TokenId, Scopes Scopes, long? OAuthClientId = null, long? ExpiresAtMs = null);

/// <summary>The outcome of one ingested batch.</summary>
/// <param name="Accepted">Per event of the batch, in order: true when stored, false when a duplicate.</param>
public sealed record IngestResult(IReadOnlyList<bool> Accepted)
{
    /// <summary>Events stored.</summary>
    public int AcceptedCount => Accepted.Count(a => a);

    /// <summary>Duplicates ignored.</summary>
    public int DuplicateCount => Accepted.Count(a => !a);
}

/// <summary>The filters and keyset cursor of <c>GET /api/v2/engagements</c> (SPEC §5.3).</summary>
public sealed record EngagementQuery
{
    /// <summary>start_time: engagement start ≥ this many Unix seconds.</summary>
    public long? StartTimeFrom { get; init; }

    /// <summary>end_time: engagement start &lt; this many Unix seconds.</summary>
    public long? StartTimeBefore { get; init; }

    /// <summary>Only this agent (id text).</summary>
    public string? AgentId { get; init; }

    /// <summary>Only this interaction (id text).</summary>
    public string? TicketId { get; init; }

    /// <summary>Only this group at the start (id text).</summary>
    public string? GroupId { get; init; }

    /// <summary>Only this channel.</summary>
    public Channel? Channel { get; init; }

    /// <summary>Keyset cursor: rows strictly after (start second, engagement id).</summary>
    public (long StartSecond, string EngagementId)? After { get; init; }

    /// <summary>At most this many rows.</summary>
    public int Limit { get; init; } = 100;
}

/// <summary>An interaction record with its agent's name joined in.</summary>
/// <param name="Record">The record.</param>
/// <param name="AgentName">The agent's (or bot's) account-wide name, or "".</param>
public sealed record InteractionRow(InteractionRecord Record, string AgentName);

/// <summary>A unique name or id is already taken.</summary>
/// <param name="message">What is taken.</param>
public sealed class StoreConflictException(string message) : Exception(message);
