using System.Text;

namespace OmniReport.Cli;

/// <summary>
/// What a command sees of its process: stdout as bytes (reports are UTF-8 files), stderr as text, and the
/// environment variables and working directory its configuration is read from (tests give their own).
/// </summary>
/// <param name="Out">Standard output.</param>
/// <param name="Error">Standard error.</param>
internal sealed record Terminal(Stream Out, TextWriter Error)
{
    /// <summary>Reads an environment variable (default: the process's).</summary>
    public Func<string, string?> Variable { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>Where relative defaults (<c>./omnireport.json</c>) are looked for; null: the current directory.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>True when stderr is the process's own and a terminal: progress bars instead of progress lines.</summary>
    public bool InteractiveError => ReferenceEquals(Error, Console.Error) && !Console.IsErrorRedirected;

    /// <summary>Writes text to stdout as UTF-8 and flushes.</summary>
    public async Task WriteOutAsync(string text)
    {
        await Out.WriteAsync(Encoding.UTF8.GetBytes(text)).ConfigureAwait(false);
        await Out.FlushAsync().ConfigureAwait(false);
    }
}
