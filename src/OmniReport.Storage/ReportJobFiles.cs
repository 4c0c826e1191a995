using System.IO.Compression;
using OmniReport.Core.Reports;

namespace OmniReport.Storage;

/// <summary>
/// How report files are kept: each stored part is one gzip member of the file's text (CSV and JSON shrink
/// several times, so far less is written to the database), and the parts in order form one gzip file.
/// <see cref="Pack"/> makes a part; <see cref="CopyAsync"/> gives the file's text back.
/// </summary>
public static class ReportJobFiles
{
    /// <summary>One part: <paramref name="text"/> as a gzip member.</summary>
    public static byte[] Pack(ReadOnlySpan<byte> text)
    {
        using var packed = new MemoryStream(Math.Max(256, text.Length / 4));
        using (var gzip = new GZipStream(packed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(text);
        }

        return packed.ToArray();
    }

    /// <summary>Writes the text of a done job's file to <paramref name="destination"/>; nothing when there is no file.</summary>
    public static async Task CopyAsync(IStore store, long accountId, ReportType type, string jobId, Stream destination, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(destination);
        await using var parts = new PartsStream(store.ReadReportFileAsync(accountId, type, jobId, ct).GetAsyncEnumerator(ct));
        if (!await parts.StartAsync().ConfigureAwait(false))
        {
            return;
        }

        await using var text = new GZipStream(parts, CompressionMode.Decompress);
        await text.CopyToAsync(destination, 64 * 1024, ct).ConfigureAwait(false);
    }

    /// <summary>A read-only stream over the stored parts, chunk by chunk.</summary>
    private sealed class PartsStream(IAsyncEnumerator<ReadOnlyMemory<byte>> chunks) : Stream
    {
        private ReadOnlyMemory<byte> _current;
        private bool _done;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        /// <summary>Reads the first chunk; false when there is none (no file).</summary>
        public async Task<bool> StartAsync() => await NextAsync().ConfigureAwait(false);

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            while (_current.IsEmpty)
            {
                if (_done || !await NextAsync().ConfigureAwait(false))
                {
                    return 0;
                }
            }

            var n = Math.Min(buffer.Length, _current.Length);
            _current[..n].CopyTo(buffer);
            _current = _current[n..];
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override async ValueTask DisposeAsync()
        {
            await chunks.DisposeAsync().ConfigureAwait(false);
            await base.DisposeAsync().ConfigureAwait(false);
        }

        private async Task<bool> NextAsync()
        {
            // A chunk's memory is valid until the next one is asked for: it is consumed before that.
            if (await chunks.MoveNextAsync().ConfigureAwait(false))
            {
                _current = chunks.Current;
                return true;
            }

            _done = true;
            return false;
        }
    }
}
