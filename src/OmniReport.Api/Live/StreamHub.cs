using Microsoft.Extensions.Options;
using OmniReport.Storage;

namespace OmniReport.Api.Live;

/// <summary>
/// The process's fan-out of change logs to stream clients (SPEC §9). One <see cref="AccountFeed"/> per account that
/// has clients reads the account's log once per wake-up and hands the messages to every client; the store wakes it
/// after each commit (<see cref="IChangeFeed.WatchChangesAsync"/>: at once for this process, by NOTIFY or a short poll
/// for others). The change log stays the source of truth: a feed always reads from where it stands, so a spurious or
/// merged wake-up costs one query and loses nothing.
/// </summary>
internal sealed partial class StreamHub(IStore store, IOptions<ApiOptions> options, TimeProvider time, ILogger<StreamHub> log) : BackgroundService
{
    private readonly Dictionary<long, AccountFeed> _feeds = [];

    /// <summary>A client joins the account's feed (started when it is the first); dispose the lease to leave.</summary>
    public async Task<FeedLease> JoinAsync(long accountId, CancellationToken ct)
    {
        AccountFeed feed;
        lock (_feeds)
        {
            if (!_feeds.TryGetValue(accountId, out feed!))
            {
                feed = new AccountFeed(store, accountId, ex => LogFeedFailed(log, accountId, ex));
                _feeds[accountId] = feed;
            }

            feed.Clients++;
        }

        var lease = new FeedLease(this, feed);
        try
        {
            await feed.StartedAsync(ct).ConfigureAwait(false);
            return lease;
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }

    /// <summary>Wakes the feed of an account (or every feed, for <see cref="IChangeFeed.AnyAccount"/>).</summary>
    public void Wake(long accountId)
    {
        lock (_feeds)
        {
            if (accountId == IChangeFeed.AnyAccount)
            {
                foreach (var feed in _feeds.Values)
                {
                    feed.Wake();
                }
            }
            else if (_feeds.TryGetValue(accountId, out var feed))
            {
                feed.Wake();
            }
        }
    }

    /// <summary>How many accounts have a feed now (tests).</summary>
    public int FeedCount
    {
        get
        {
            lock (_feeds)
            {
                return _feeds.Count;
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await store.WatchChangesAsync(Wake, options.Value.StreamPollInterval, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The watch failed (the database went away): feeds still wake on every client's keep-alive tick.
                LogWatchFailed(log, ex);
                Wake(IChangeFeed.AnyAccount);
                try
                {
                    await Task.Delay(options.Value.StreamPollInterval, time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        List<AccountFeed> feeds;
        lock (_feeds)
        {
            feeds = [.. _feeds.Values];
            _feeds.Clear();
        }

        foreach (var feed in feeds)
        {
            await feed.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void Leave(AccountFeed feed)
    {
        lock (_feeds)
        {
            if (--feed.Clients > 0)
            {
                return;
            }

            if (_feeds.TryGetValue(feed.AccountId, out var current) && current == feed)
            {
                _feeds.Remove(feed.AccountId);
            }
        }

        _ = feed.DisposeAsync().AsTask();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live feed of account {AccountId} failed; it retries on the next wake-up")]
    private static partial void LogFeedFailed(ILogger logger, long accountId, Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Watching the change log failed; retrying")]
    private static partial void LogWatchFailed(ILogger logger, Exception ex);

    /// <summary>A client's membership of a feed.</summary>
    internal sealed class FeedLease(StreamHub hub, AccountFeed feed) : IDisposable
    {
        private int _disposed;

        public AccountFeed Feed => feed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                hub.Leave(feed);
            }
        }
    }
}
