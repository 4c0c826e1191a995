namespace OmniReport.Storage;

/// <summary>
/// What the live stream and webhooks (SPEC §9) need of the store beyond the change log itself
/// (<see cref="IProjectionStore.ReadChangesAsync"/>).
/// </summary>
public interface IChangeFeed
{
    /// <summary>
    /// The account's agent (and bot) names, by agent id: an interaction record's <c>agent_name</c> is the account-wide
    /// name (SPEC §1), joined in when the record is written out, as report files do.
    /// </summary>
    Task<IReadOnlyDictionary<string, string>> AgentNamesAsync(long accountId, CancellationToken ct = default);
}
