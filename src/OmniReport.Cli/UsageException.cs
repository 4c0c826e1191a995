namespace OmniReport.Cli;

/// <summary>A problem with the command line or its input that is reported as one line, without a stack trace.</summary>
/// <param name="message">What is wrong, and where.</param>
/// <param name="exitCode">2 for bad arguments, 1 for bad input.</param>
internal sealed class UsageException(string message, int exitCode = 2) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
