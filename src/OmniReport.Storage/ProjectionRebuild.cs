namespace OmniReport.Storage;

/// <summary>
/// Rebuilds derived data from the stored events (SPEC §6), step by step so the service keeps answering and an
/// interrupted rebuild resumes where it stopped: <c>omnireport rebuild</c>, and every start of a binary that finds
/// an older <see cref="ProjectionFormat"/> (or a rebuild left half done) in its database.
/// </summary>
public static class ProjectionRebuild
{
    /// <summary>Interactions recomputed per transaction.</summary>
    public const int Chunk = 1000;

    /// <summary>
    /// Rebuilds one account to the end; <paramref name="progress"/> hears (done, total) interactions after each step.
    /// Returns how many interactions were recomputed.
    /// </summary>
    public static async Task<long> AccountAsync(IStore store, long accountId, Action<long, long>? progress = null, CancellationToken ct = default)
    {
        var (total, done) = await store.RebuildProgressAsync(accountId, ct).ConfigureAwait(false);
        progress?.Invoke(done, total);
        long recomputed = 0;
        while (true)
        {
            var step = await store.RebuildStepAsync(accountId, Chunk, ct).ConfigureAwait(false);
            recomputed += step.Interactions;
            done += step.Interactions;
            progress?.Invoke(Math.Min(done, Math.Max(total, done)), Math.Max(total, done));
            if (step.Finished)
            {
                return recomputed;
            }
        }
    }

    /// <summary>
    /// Rebuilds every account whose derived data is older than this binary's format or half rebuilt, and builds the
    /// rollups an interrupted import left pending.
    /// </summary>
    /// <returns>The accounts rebuilt.</returns>
    public static async Task<int> OutdatedAsync(IStore store, CancellationToken ct = default)
    {
        var n = 0;
        foreach (var p in await store.ListProjectionsAsync(ct).ConfigureAwait(false))
        {
            if (p.Format < ProjectionFormat.Current || p.Rebuilding)
            {
                await AccountAsync(store, p.Account.Id, null, ct).ConfigureAwait(false);
                n++;
            }
            else if (p.RollupsPending)
            {
                await store.BuildRollupsAsync(p.Account.Id, ct).ConfigureAwait(false);
                n++;
            }
        }

        return n;
    }
}
