using System.Diagnostics;

namespace OmniReport.Cli.Tests;

/// <summary>
/// The <c>./omnireport</c> launcher a newcomer runs first: it builds when it must and says so. Run on a copy of the
/// script with a stand-in <c>dotnet</c> on the PATH, so the test sees the launcher's own behaviour in seconds.
/// </summary>
public sealed class LauncherTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("omnireport-launcher-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task The_first_run_says_on_stderr_that_it_is_building_and_how_long_it_took_and_the_next_run_is_silent()
    {
        File.Copy(Path.Combine(DemoTests.RepositoryRoot(), "omnireport"), Path.Combine(_dir, "omnireport"));
        Directory.CreateDirectory(Path.Combine(_dir, "src"));
        await File.WriteAllTextAsync(Path.Combine(_dir, "src", "A.cs"), "class A {}");
        foreach (var f in new[] { "Directory.Build.props", "Directory.Packages.props", "global.json" })
        {
            await File.WriteAllTextAsync(Path.Combine(_dir, f), "");
        }

        // The stand-in: "publish" makes the dll, running it prints its arguments.
        var bin = Directory.CreateDirectory(Path.Combine(_dir, "bin")).FullName;
        var fake = Path.Combine(bin, "dotnet");
        await File.WriteAllTextAsync(fake, """
            #!/usr/bin/env bash
            if [ "$1" = publish ]; then while [ "$1" != -o ]; do shift; done; touch "$2/omnireport.dll"; exit 0; fi
            echo "ran $*"
            """);
        using (var chmod = Process.Start("chmod", ["+x", fake]))
        {
            await chmod.WaitForExitAsync();
        }

        var first = await RunAsync(bin, "--version");
        Assert.Contains("omnireport: building", first.Stderr, StringComparison.Ordinal);
        Assert.Contains("one to two minutes", first.Stderr, StringComparison.Ordinal);
        Assert.Matches(@"omnireport: built in \d+ s", first.Stderr);
        Assert.EndsWith("omnireport.dll --version\n", first.Stdout, StringComparison.Ordinal);

        var second = await RunAsync(bin, "--version");
        Assert.Equal("", second.Stderr);
        Assert.EndsWith("omnireport.dll --version\n", second.Stdout, StringComparison.Ordinal);
    }

    private async Task<(string Stdout, string Stderr)> RunAsync(string bin, params string[] args)
    {
        var start = new ProcessStartInfo(Path.Combine(_dir, "omnireport"), args) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH");
        using var p = Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.True(p.ExitCode == 0, await stderr);
        return (await stdout, await stderr);
    }
}
