namespace OmniReport.Cli;

/// <summary>Where a command writes: stdout as bytes (reports are UTF-8 files), stderr as text.</summary>
/// <param name="Out">Standard output.</param>
/// <param name="Error">Standard error.</param>
internal sealed record Terminal(Stream Out, TextWriter Error);
