using OmniReport.Core.Derivation;
using OmniReport.Core.Events;

namespace OmniReport.Storage;

/// <summary>
/// The store (SQLite and PostgreSQL implement it), the sum of its concerns: accounts, tokens and settings
/// (<see cref="IAccountStore"/>); the projection: ingest, sweep, rebuild, change log (<see cref="IProjectionStore"/>);
/// reads of derived records (<see cref="IRecordReader"/>); the report-job queue (<see cref="IReportJobQueue"/>); what live
/// clients need of the change log (<see cref="IChangeFeed"/>); webhooks and their deliveries (<see cref="IWebhookStore"/>). A
/// part of the service that needs one concern takes that interface. Every method is scoped to one account where it
/// reads or writes account data: an account never sees another account's data. Time comes from the
/// <see cref="TimeProvider"/> the store was opened with.
/// </summary>
public interface IStore : IAccountStore, IProjectionStore, IRecordReader, IReportJobQueue, IChangeFeed, IWebhookStore, IAsyncDisposable
{
    /// <summary>"sqlite" or "postgresql".</summary>
    string Kind { get; }

    /// <summary>Applies the schema migrations not yet recorded. Idempotent; safe from several processes.</summary>
    Task MigrateAsync(CancellationToken ct = default);
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
    /// <summary>The changes the batch appended to the account's change log, in order.</summary>
    public IReadOnlyList<Change> Changes { get; init; } = [];

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

/// <summary>An account and the state of its derived data.</summary>
/// <param name="Account">The account.</param>
/// <param name="Format">The <see cref="ProjectionFormat"/> its derived data is in.</param>
/// <param name="Rebuilding">True when a rebuild of it is under way (interrupted, or running now).</param>
/// <param name="RollupsPending">True when a bulk import deferred its rollups and has not built them yet (interrupted, or running now).</param>
public sealed record AccountProjection(Account Account, int Format, bool Rebuilding, bool RollupsPending = false);

/// <summary>What one rebuild step did.</summary>
/// <param name="Interactions">Interactions recomputed.</param>
/// <param name="Finished">True when the account's rebuild is complete.</param>
/// <param name="Changes">The changes it logged.</param>
public sealed record RebuildStep(int Interactions, bool Finished, IReadOnlyList<Change> Changes);

/// <summary>A unique name or id is already taken.</summary>
/// <param name="message">What is taken.</param>
public sealed class StoreConflictException(string message) : Exception(message);
