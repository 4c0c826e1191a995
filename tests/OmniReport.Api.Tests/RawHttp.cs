using System.Net.Sockets;
using System.Text;

namespace OmniReport.Api.Tests;

/// <summary>
/// HTTP/1.1 over a plain socket, for tests that must send a client's request byte for byte (HttpClient would add,
/// drop or reorder headers). Reads one answer, framed by Content-Length or chunked transfer coding.
/// </summary>
public static class RawHttp
{
    public static async Task<RawResponse> SendAsync(Uri server, byte[] request)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(request);
        var reader = new Reader(stream);

        var statusLine = await reader.LineAsync();
        var parts = statusLine.Split(' ', 3);
        var status = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var line = await reader.LineAsync(); line.Length > 0; line = await reader.LineAsync())
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        byte[] body;
        if (headers.TryGetValue("Transfer-Encoding", out var te) && te.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            using var all = new MemoryStream();
            while (true)
            {
                var size = Convert.ToInt32((await reader.LineAsync()).Split(';')[0], 16);
                if (size == 0)
                {
                    while ((await reader.LineAsync()).Length > 0)
                    {
                    }

                    break;
                }

                all.Write(await reader.BytesAsync(size));
                await reader.LineAsync();
            }

            body = all.ToArray();
        }
        else
        {
            var length = headers.TryGetValue("Content-Length", out var cl) ? int.Parse(cl, System.Globalization.CultureInfo.InvariantCulture) : 0;
            body = await reader.BytesAsync(length);
        }

        return new RawResponse(status, headers, body);
    }

    /// <summary>Request text whose line ends are CRLF, as on the wire, followed by <paramref name="body"/>.</summary>
    public static byte[] Request(string head, string body = "") =>
        Encoding.UTF8.GetBytes(head.ReplaceLineEndings("\r\n") + "\r\n" + body);

    private sealed class Reader(NetworkStream stream)
    {
        private readonly byte[] _buffer = new byte[64 * 1024];
        private int _start;
        private int _end;

        public async Task<string> LineAsync()
        {
            var line = new List<byte>();
            while (true)
            {
                if (_start == _end)
                {
                    await FillAsync();
                }

                var b = _buffer[_start++];
                if (b == '\n')
                {
                    return Encoding.ASCII.GetString(line.ToArray()).TrimEnd('\r');
                }

                line.Add(b);
            }
        }

        public async Task<byte[]> BytesAsync(int count)
        {
            var result = new byte[count];
            var n = 0;
            while (n < count)
            {
                if (_start == _end)
                {
                    await FillAsync();
                }

                var take = Math.Min(count - n, _end - _start);
                Array.Copy(_buffer, _start, result, n, take);
                _start += take;
                n += take;
            }

            return result;
        }

        private async Task FillAsync()
        {
            _start = 0;
            _end = await stream.ReadAsync(_buffer);
            if (_end == 0)
            {
                throw new IOException("the server closed the connection mid-answer");
            }
        }
    }
}

public sealed record RawResponse(int Status, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string Text => Encoding.UTF8.GetString(Body);
}
