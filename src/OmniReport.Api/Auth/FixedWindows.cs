using System.Collections.Concurrent;

namespace OmniReport.Api.Auth;

/// <summary>
/// Fixed windows of one minute per key (as Zendesk counts its limits), on the injected clock: the counting shared
/// by the per-token and the per-address limits. Windows of past minutes are dropped once there are many keys, so
/// a flood of distinct keys (addresses) cannot grow the table without bound.
/// </summary>
internal sealed class FixedWindows<TKey>(TimeProvider time)
    where TKey : notnull
{
    private const long WindowMs = 60_000;
    private const int PruneAbove = 100_000;
    private readonly ConcurrentDictionary<TKey, Window> _windows = new();

    /// <summary>Counts one request of <paramref name="key"/>; refused (and not counted) once the window holds <paramref name="limit"/>.</summary>
    public Decision Acquire(TKey key, int limit) => Count(key, limit, add: true);

    /// <summary>Whether one more request of <paramref name="key"/> would be allowed, without counting it.</summary>
    public Decision Peek(TKey key, int limit) => Count(key, limit, add: false);

    private Decision Count(TKey key, int limit, bool add)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var start = now - (now % WindowMs);
        var retryAfter = (int)Math.Ceiling((start + WindowMs - now) / 1000.0);
        if (!add && !_windows.ContainsKey(key))
        {
            return new Decision(true, limit, retryAfter);
        }

        if (_windows.Count > PruneAbove)
        {
            foreach (var (k, old) in _windows)
            {
                if (old.Start != start)
                {
                    _windows.TryRemove(k, out _);
                }
            }
        }

        var w = _windows.GetOrAdd(key, static _ => new Window());
        lock (w)
        {
            if (w.Start != start)
            {
                w.Start = start;
                w.Count = 0;
            }

            if (w.Count >= limit)
            {
                return new Decision(false, 0, Math.Max(1, retryAfter));
            }

            if (add)
            {
                w.Count++;
            }

            return new Decision(true, limit - w.Count, retryAfter);
        }
    }

    private sealed class Window
    {
        public long Start;
        public int Count;
    }
}

/// <summary>The outcome of one request against a limit.</summary>
internal readonly record struct Decision(bool Allowed, int Remaining, int RetryAfterSeconds);
