using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using OmniReport.Cli.Commands;

namespace OmniReport.Cli.Tests;

/// <summary>
/// <c>./omnireport demo</c> as a newcomer runs it: a real child process in a fresh directory, then the curl commands
/// it prints, pasted into bash as they are.
/// </summary>
public sealed partial class DemoTests : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5); // includes ./omnireport building itself
    private readonly string _dir = Directory.CreateTempSubdirectory("omnireport-demo-").FullName;
    private Process? _demo;

    public void Dispose()
    {
        if (_demo is { HasExited: false })
        {
            _demo.Kill(entireProcessTree: true);
            _demo.WaitForExit(10_000);
        }

        _demo?.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Demo_serves_generated_data_and_the_printed_curl_commands_return_it()
    {
        var stdout = new StringBuilder();
        var printed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var start = new ProcessStartInfo(Path.Combine(RepositoryRoot(), "omnireport"), ["demo", "--urls", "http://127.0.0.1:0"])
        {
            WorkingDirectory = _dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("OMNIREPORT_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        var stderr = new StringBuilder();
        _demo = new Process { StartInfo = start };
        _demo.OutputDataReceived += (_, e) =>
        {
            lock (stdout)
            {
                stdout.Append(e.Data).Append('\n');
                if (e.Data == DemoBanner.End)
                {
                    printed.TrySetResult();
                }
            }
        };
        _demo.ErrorDataReceived += (_, e) =>
        {
            lock (stderr)
            {
                stderr.Append(e.Data).Append('\n');
            }
        };
        Assert.True(_demo.Start());
        _demo.BeginOutputReadLine();
        _demo.BeginErrorReadLine();

        var done = await Task.WhenAny(printed.Task, _demo.WaitForExitAsync(), Task.Delay(StartTimeout));
        Assert.True(printed.Task.IsCompleted, $"demo printed no commands (exited: {_demo.HasExited})\nstdout:\n{Text(stdout)}\nstderr:\n{Text(stderr)}");
        var banner = Text(stdout);
        Assert.True(File.Exists(Path.Combine(_dir, DemoCommand.DefaultFile)));

        var url = UrlLine().Match(banner).Groups[1].Value;
        Assert.StartsWith("http://127.0.0.1:", url, StringComparison.Ordinal);
        Assert.DoesNotContain(":0", url[^2..], StringComparison.Ordinal);
        await WaitForHealthAsync(url);

        // The dashboard link comes first in the banner (log lines, JSON here, may precede it), its token in the
        // fragment; the page itself needs no token.
        var first = banner.Split('\n').First(l => l.Trim().Length > 0 && !l.StartsWith('{')).Trim();
        Assert.Matches("^Dashboard: " + Regex.Escape(url) + "/#token=omr_[A-Za-z0-9_-]+$", first);
        using (var http = new HttpClient())
        {
            var page = await http.GetStringAsync(url + "/");
            Assert.Contains("data-kpi=\"engagements\"", page, StringComparison.Ordinal);
        }

        var commands = banner[(banner.IndexOf(DemoBanner.Start, StringComparison.Ordinal) + DemoBanner.Start.Length)..banner.IndexOf(DemoBanner.End, StringComparison.Ordinal)]
            .Split('\n')
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .ToList();
        Assert.All(commands, c => Assert.Contains("curl ", c, StringComparison.Ordinal));
        Assert.Contains(commands, c => c.Contains("Authorization: Bearer omr_", StringComparison.Ordinal));

        var outputs = await RunInBashAsync(commands);
        string Output(string marker) => outputs[commands.FindIndex(c => c.Contains(marker, StringComparison.Ordinal))];

        Assert.Contains("\"ok\"", Output("/healthz"), StringComparison.Ordinal);
        Assert.Matches("^\\{\"agent_engagement_data\":\\[\\{\"engagement_id\":\"[0-9A-F]{32}\"", Output("engagements?page_size=5"));
        Assert.Matches("^\\{\"engagement_id\":\"[0-9A-F]{32}\"", Output("/api/v2/engagements/"));

        // The showcase engagement is one inside business hours: its first-reply time, the headline metric, is a number.
        Assert.Matches("\"assignment_to_first_reply_time_seconds\":[0-9]+,", Output("/api/v2/engagements/"));
        Assert.Contains("\"business_hours\":{", Output("/api/v2/settings"), StringComparison.Ordinal);
        Assert.StartsWith("{\"accepted\":6,\"duplicates\":0,\"rejected\":0", Output("/api/v2/events"), StringComparison.Ordinal);
        Assert.Matches("^job [0-9a-f]+\\s*$", Output("JOB=$(curl"));
        Assert.Matches("^(200 |303 http)", Output("%{http_code} %{redirect_url}"));
        Assert.Contains("done", Output("until [ \"$(curl -s -o /dev/null -w '%{http_code}' -H \"Authorization: Bearer omr_"), StringComparison.Ordinal);
        var csv = Output("erc_omnichannel_report/jobs/$JOB | head").Split("\r\n");
        Assert.StartsWith("interaction_id,waiting_time,start_date-time,", csv[0], StringComparison.Ordinal);
        Assert.True(csv.Length >= 5 && csv[1].Length > 20, string.Join("\n", csv));
        Assert.Matches("^\\{\"entries\":\\[\\{\"engagement_id\":\"[0-9A-F]{32}\"", Output("/files/$EJOB"));
        Assert.Contains("\"_embedded\":{\"jobs\":[{", Output("jobs?page=1&per_page=10"), StringComparison.Ordinal);

        // Ctrl+C / SIGTERM stops it cleanly, with exit code 0.
        using (var kill = Process.Start("kill", ["-TERM", _demo.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _demo.WaitForExitAsync(exit.Token);
        Assert.Equal(0, _demo.ExitCode);
    }

    /// <summary>Runs the commands in one bash, in order (later ones use $JOB), and returns each one's output.</summary>
    private async Task<List<string>> RunInBashAsync(List<string> commands)
    {
        var script = new StringBuilder();
        for (var i = 0; i < commands.Count; i++)
        {
            script.Append("echo '@@@").Append(i).Append("'\n").Append(commands[i]).Append('\n');
        }

        var file = Path.Combine(_dir, "commands.sh");
        await File.WriteAllTextAsync(file, script.ToString());
        using var bash = Process.Start(new ProcessStartInfo("bash", [file]) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _dir })!;
        var output = bash.StandardOutput.ReadToEndAsync();
        var errors = bash.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await bash.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            bash.Kill(entireProcessTree: true);
            Assert.Fail($"the commands took more than 2 minutes:\n{await output}\n{await errors}");
        }

        var parts = (await output).Split("@@@");
        Assert.True(parts.Length == commands.Count + 1, $"{parts.Length - 1} outputs for {commands.Count} commands:\n{await output}\n{await errors}");
        return [.. parts.Skip(1).Select(p => p[(p.IndexOf('\n', StringComparison.Ordinal) + 1)..])];
    }

    private static async Task WaitForHealthAsync(string url)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        for (var i = 0; i < 100; i++)
        {
            try
            {
                if ((await http.GetAsync(new Uri(url + "/healthz"))).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(200);
        }

        Assert.Fail($"{url}/healthz never answered 200");
    }

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "omnireport")) && File.Exists(Path.Combine(dir.FullName, "OmniReport.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("no repository root above " + AppContext.BaseDirectory);
    }

    private static string Text(StringBuilder b)
    {
        lock (b)
        {
            return b.ToString();
        }
    }

    [GeneratedRegex(@"URL:\s+(\S+)")]
    private static partial Regex UrlLine();
}
