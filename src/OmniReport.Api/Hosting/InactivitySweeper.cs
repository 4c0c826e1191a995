using OmniReport.Storage;

namespace OmniReport.Api.Hosting;

/// <summary>
/// Applies inactivity ends as time passes (SPEC §3.3–3.4): every <see cref="Period"/>, on the injected
/// <see cref="TimeProvider"/>, it asks the store to recompute the interactions whose deadline has passed.
/// The server runs one per process; with several processes on one PostgreSQL database each sweep is
/// idempotent, so running them side by side is safe.
/// </summary>
/// <param name="store">The store to sweep.</param>
/// <param name="time">The clock (tests pass a manual one).</param>
/// <param name="period">How often; default one second.</param>
/// <param name="onError">Told about a failed sweep; the loop goes on.</param>
public sealed class InactivitySweeper(IStore store, TimeProvider time, TimeSpan? period = null, Action<Exception>? onError = null)
{
    /// <summary>Time between sweeps.</summary>
    public TimeSpan Period { get; } = period ?? TimeSpan.FromSeconds(1);

    /// <summary>Interactions recomputed since the sweeper started.</summary>
    public long Recomputed => Interlocked.Read(ref _recomputed);

    private long _recomputed;

    /// <summary>Sweeps once now, then every period until <paramref name="ct"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(Period, time);
        do
        {
            try
            {
                Interlocked.Add(ref _recomputed, (await store.SweepAsync(ct).ConfigureAwait(false)).Interactions);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // one failed sweep (a lost connection) must not stop the next ones
            catch (Exception ex)
#pragma warning restore CA1031
            {
                onError?.Invoke(ex);
            }
        }
        while (await WaitAsync(timer, ct).ConfigureAwait(false));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            return await timer.WaitForNextTickAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
