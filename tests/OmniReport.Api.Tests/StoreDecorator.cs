using OmniReport.Core.Derivation;
using OmniReport.Core.Events;
using OmniReport.Core.Reports;
using OmniReport.Core.Settings;
using OmniReport.Storage;

namespace OmniReport.Api.Tests;

/// <summary>The real store with every call passed through; tests override one call to hold or slow it (not a mock).</summary>
public abstract class StoreDecorator(IStore inner) : IStore
{
    public string Kind => inner.Kind;
    public virtual Task<IngestResult> IngestAsync(long accountId, IReadOnlyList<Event> events, CancellationToken ct = default) => inner.IngestAsync(accountId, events, ct);
    public Task MigrateAsync(CancellationToken ct = default) => inner.MigrateAsync(ct);
    public Task<Account> CreateAccountAsync(string name, CancellationToken ct = default) => inner.CreateAccountAsync(name, ct);
    public Task<Account?> FindAccountAsync(string name, CancellationToken ct = default) => inner.FindAccountAsync(name, ct);
    public Task<string> CreateTokenAsync(long accountId, Scopes scopes, CancellationToken ct = default) => inner.CreateTokenAsync(accountId, scopes, ct);
    public virtual Task<TokenIdentity?> AuthenticateAsync(string token, CancellationToken ct = default) => inner.AuthenticateAsync(token, ct);
    public Task<NewOAuthClient> CreateOAuthClientAsync(long accountId, Scopes scopes, CancellationToken ct = default) => inner.CreateOAuthClientAsync(accountId, scopes, ct);
    public Task<IReadOnlyList<OAuthClient>> ListOAuthClientsAsync(long accountId, CancellationToken ct = default) => inner.ListOAuthClientsAsync(accountId, ct);
    public Task<OAuthClient?> FindOAuthClientAsync(string clientId, CancellationToken ct = default) => inner.FindOAuthClientAsync(clientId, ct);
    public Task<bool> RevokeOAuthClientAsync(string clientId, CancellationToken ct = default) => inner.RevokeOAuthClientAsync(clientId, ct);
    public Task<AccessToken?> IssueAccessTokenAsync(long oauthClientId, Scopes scopes, TimeSpan lifetime, CancellationToken ct = default) => inner.IssueAccessTokenAsync(oauthClientId, scopes, lifetime, ct);
    public Task<AccountSettings> GetSettingsAsync(long accountId, CancellationToken ct = default) => inner.GetSettingsAsync(accountId, ct);
    public Task UpdateSettingsAsync(long accountId, AccountSettings settings, CancellationToken ct = default) => inner.UpdateSettingsAsync(accountId, settings, ct);
    public Task<SweepResult> SweepAsync(CancellationToken ct = default) => inner.SweepAsync(ct);
    public Task<IReadOnlyList<AccountProjection>> ListProjectionsAsync(CancellationToken ct = default) => inner.ListProjectionsAsync(ct);
    public Task<RebuildStep> RebuildStepAsync(long accountId, int maxInteractions, CancellationToken ct = default) => inner.RebuildStepAsync(accountId, maxInteractions, ct);
    public Task DeferRollupsAsync(long accountId, CancellationToken ct = default) => inner.DeferRollupsAsync(accountId, ct);
    public Task<bool> BuildRollupsAsync(long accountId, CancellationToken ct = default) => inner.BuildRollupsAsync(accountId, ct);
    public Task<(long Total, long Done)> RebuildProgressAsync(long accountId, CancellationToken ct = default) => inner.RebuildProgressAsync(accountId, ct);
    public Task<IReadOnlyList<Change>> ReadChangesAsync(long accountId, long afterSequence, int limit, CancellationToken ct = default) => inner.ReadChangesAsync(accountId, afterSequence, limit, ct);
    public Task<IReadOnlyDictionary<string, string>> AgentNamesAsync(long accountId, CancellationToken ct = default) => inner.AgentNamesAsync(accountId, ct);
    public Task<long> LastChangeAsync(long accountId, CancellationToken ct = default) => inner.LastChangeAsync(accountId, ct);
    public Task<long> PruneChangesAsync(long beforeMs, CancellationToken ct = default) => inner.PruneChangesAsync(beforeMs, ct);
    public Task WatchChangesAsync(Action<long> changed, TimeSpan poll, CancellationToken ct) => inner.WatchChangesAsync(changed, poll, ct);
    public IAsyncEnumerable<Engagement> QueryEngagementsAsync(long accountId, EngagementQuery query, CancellationToken ct = default) => inner.QueryEngagementsAsync(accountId, query, ct);
    public Task<Engagement?> GetEngagementAsync(long accountId, string engagementId, CancellationToken ct = default) => inner.GetEngagementAsync(accountId, engagementId, ct);
    public virtual IAsyncEnumerable<Engagement> EngagementsByStartAsync(long accountId, long fromMs, long toMs, CancellationToken ct = default) => inner.EngagementsByStartAsync(accountId, fromMs, toMs, ct);
    public virtual IAsyncEnumerable<InteractionRow> InteractionsByStartAsync(long accountId, long fromMs, long toMs, CancellationToken ct = default) => inner.InteractionsByStartAsync(accountId, fromMs, toMs, ct);
    public virtual Task<NowPage<OpenEngagementRow>> OpenEngagementsAsync(long accountId, NowQuery query, CancellationToken ct = default) => inner.OpenEngagementsAsync(accountId, query, ct);
    public virtual Task<NowPage<WaitingInteraction>> WaitingInteractionsAsync(long accountId, NowQuery query, CancellationToken ct = default) => inner.WaitingInteractionsAsync(accountId, query, ct);
    public virtual Task<IReadOnlyList<AgentEntry>> AgentsAsync(long accountId, CancellationToken ct = default) => inner.AgentsAsync(accountId, ct);
    public virtual Task<IReadOnlyList<GroupEntry>> GroupsAsync(long accountId, CancellationToken ct = default) => inner.GroupsAsync(accountId, ct);
    public Task<ReportJob> CreateReportJobAsync(long accountId, ReportType type, ReportJobRequest request, CancellationToken ct = default) => inner.CreateReportJobAsync(accountId, type, request, ct);
    public Task<ReportJob?> GetReportJobAsync(long accountId, ReportType type, string jobId, CancellationToken ct = default) => inner.GetReportJobAsync(accountId, type, jobId, ct);
    public Task<ReportJobPage> ListReportJobsAsync(long accountId, ReportType type, int page, int perPage, CancellationToken ct = default) => inner.ListReportJobsAsync(accountId, type, page, perPage, ct);
    public Task<bool> RemoveReportJobAsync(long accountId, ReportType type, string jobId, CancellationToken ct = default) => inner.RemoveReportJobAsync(accountId, type, jobId, ct);
    public Task<ReportJob?> ClaimReportJobAsync(TimeSpan lease, CancellationToken ct = default) => inner.ClaimReportJobAsync(lease, ct);
    public Task<int> ReleaseOrphanedReportJobsAsync(CancellationToken ct = default) => inner.ReleaseOrphanedReportJobsAsync(ct);
    public Task<bool> RenewReportJobAsync(string jobId, int attempt, TimeSpan lease, CancellationToken ct = default) => inner.RenewReportJobAsync(jobId, attempt, lease, ct);
    public Task<bool> AppendReportFileAsync(string jobId, int attempt, int part, ReadOnlyMemory<byte> data, CancellationToken ct = default) => inner.AppendReportFileAsync(jobId, attempt, part, data, ct);
    public Task<bool> CompleteReportJobAsync(string jobId, int attempt, long rows, CancellationToken ct = default) => inner.CompleteReportJobAsync(jobId, attempt, rows, ct);
    public Task FailReportJobAsync(string jobId, int attempt, string error, CancellationToken ct = default) => inner.FailReportJobAsync(jobId, attempt, error, ct);
    public IAsyncEnumerable<ReadOnlyMemory<byte>> ReadReportFileAsync(long accountId, ReportType type, string jobId, CancellationToken ct = default) => inner.ReadReportFileAsync(accountId, type, jobId, ct);
    public Task<int> DeleteExpiredReportJobsAsync(long beforeMs, CancellationToken ct = default) => inner.DeleteExpiredReportJobsAsync(beforeMs, ct);
    public Task SetConnectorSecretAsync(long accountId, string connector, string? secret, CancellationToken ct = default) => inner.SetConnectorSecretAsync(accountId, connector, secret, ct);
    public Task<string?> GetConnectorSecretAsync(long accountId, string connector, CancellationToken ct = default) => inner.GetConnectorSecretAsync(accountId, connector, ct);
    public Task<Webhook> CreateWebhookAsync(long accountId, string url, IReadOnlyList<string> types, string secret, CancellationToken ct = default) => inner.CreateWebhookAsync(accountId, url, types, secret, ct);
    public Task<IReadOnlyList<Webhook>> ListWebhooksAsync(long accountId, CancellationToken ct = default) => inner.ListWebhooksAsync(accountId, ct);
    public Task<Webhook?> GetWebhookAsync(long accountId, string webhookId, CancellationToken ct = default) => inner.GetWebhookAsync(accountId, webhookId, ct);
    public Task<bool> DeleteWebhookAsync(long accountId, string webhookId, CancellationToken ct = default) => inner.DeleteWebhookAsync(accountId, webhookId, ct);
    public Task<IReadOnlyList<WebhookAttempt>?> ListWebhookAttemptsAsync(long accountId, string webhookId, int limit, CancellationToken ct = default) => inner.ListWebhookAttemptsAsync(accountId, webhookId, limit, ct);
    public Task<WebhookLease?> ClaimWebhookAsync(TimeSpan lease, CancellationToken ct = default) => inner.ClaimWebhookAsync(lease, ct);
    public Task<bool> UpdateWebhookAsync(WebhookLease lease, WebhookState state, WebhookAttempt? attempt, TimeSpan? renew, CancellationToken ct = default) => inner.UpdateWebhookAsync(lease, state, attempt, renew, ct);
    public Task<int> ReleaseOrphanedWebhookLeasesAsync(CancellationToken ct = default) => inner.ReleaseOrphanedWebhookLeasesAsync(ct);
    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
