using System.Threading.Channels;
using OmniReport.Storage;

namespace OmniReport.Api.Live;

/// <summary>
/// One account's live feed in this process: a single reader of the account's change log that hands each message to
/// every client of the account. It never waits for a client: each has a bounded buffer, and a client whose buffer is
/// full is cut off (it reconnects and resumes by id from the change log), so a slow client holds up neither ingest
/// nor the others.
/// </summary>
internal sealed class AccountFeed : IAsyncDisposable
{
    private const int Page = 1000;
    private readonly IStore _store;
    private readonly Action<Exception> _failed;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<FeedClient> _clients = [];
    private readonly Task _loop;
    private long _position;

    public AccountFeed(IStore store, long accountId, Action<Exception> failed)
    {
        _store = store;
        AccountId = accountId;
        _failed = failed;
        _loop = Task.Run(RunAsync);
    }

    public long AccountId { get; }

    /// <summary>Clients holding a lease (guarded by the hub's lock).</summary>
    public int Clients { get; set; }

    /// <summary>Completes once the feed knows where the log stands.</summary>
    public Task StartedAsync(CancellationToken ct) => _started.Task.WaitAsync(ct);

    /// <summary>Asks the feed to read the log (merged with a wake-up not yet taken).</summary>
    public void Wake() => _wake.Writer.TryWrite(true);

    /// <summary>
    /// Adds a client with a buffer of <paramref name="capacity"/> messages. Returns it and the id of the last message
    /// the feed has handed out: the client gets every later one, and reads up to this one from the log itself.
    /// </summary>
    public (FeedClient Client, long Position) Subscribe(int capacity)
    {
        var client = new FeedClient(this, capacity);
        lock (_clients)
        {
            _clients.Add(client);
            return (client, _position);
        }
    }

    public void Unsubscribe(FeedClient client)
    {
        lock (_clients)
        {
            _clients.Remove(client);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        lock (_clients)
        {
            foreach (var c in _clients)
            {
                c.Writer.TryComplete();
            }
        }

        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        var ct = _stop.Token;
        while (true)
        {
            try
            {
                _position = await _store.LastChangeAsync(AccountId, ct).ConfigureAwait(false);
                _started.TrySetResult();
                break;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                _started.TrySetCanceled(ct);
                return;
            }
            catch (Exception ex)
            {
                _failed(ex);
                await _wake.Reader.ReadAsync(ct).ConfigureAwait(false);
            }
        }

        while (true)
        {
            await _wake.Reader.ReadAsync(ct).ConfigureAwait(false);
            try
            {
                IReadOnlyList<ChangeMessage> page;
                do
                {
                    page = await ChangeMessage.ReadAsync(_store, AccountId, _position, Page, ct).ConfigureAwait(false);
                    if (page.Count > 0)
                    {
                        Publish(page);
                    }
                }
                while (page.Count == Page);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The store failed (the database is away): the next wake-up reads from the same position.
                _failed(ex);
            }
        }
    }

    private void Publish(IReadOnlyList<ChangeMessage> page)
    {
        lock (_clients)
        {
            _position = page[^1].Id;
            for (var i = _clients.Count - 1; i >= 0; i--)
            {
                var client = _clients[i];
                foreach (var m in page)
                {
                    if (!client.Writer.TryWrite(m))
                    {
                        // Full: the client is too far behind. It leaves the feed and catches up from the log.
                        client.CutOff = true;
                        client.Writer.TryComplete();
                        _clients.RemoveAt(i);
                        break;
                    }
                }
            }
        }
    }
}

/// <summary>One stream client's buffer of messages from its account's feed.</summary>
internal sealed class FeedClient(AccountFeed feed, int capacity)
{
    private readonly Channel<ChangeMessage> _buffer = Channel.CreateBounded<ChangeMessage>(new BoundedChannelOptions(Math.Max(1, capacity))
    {
        SingleReader = true,
        SingleWriter = true,
        FullMode = BoundedChannelFullMode.Wait, // never waited on: the feed only TryWrites
    });

    /// <summary>True when the feed dropped the client because its buffer was full.</summary>
    public bool CutOff { get; set; }

    public ChannelReader<ChangeMessage> Reader => _buffer.Reader;

    internal ChannelWriter<ChangeMessage> Writer => _buffer.Writer;

    public void Leave() => feed.Unsubscribe(this);
}
