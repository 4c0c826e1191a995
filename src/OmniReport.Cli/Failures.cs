namespace OmniReport.Cli;

/// <summary>Bad arguments or configuration (exit code 2), or bad input with <paramref name="exitCode"/> 1: one line on stderr.</summary>
/// <param name="message">What is wrong, and where (the command's name is put before it).</param>
/// <param name="exitCode">2 for bad arguments, 1 for bad input.</param>
internal sealed class UsageException(string message, int exitCode = 2) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}

/// <summary>A command that could not do its work (exit code 1), with the message for stderr.</summary>
/// <param name="message">What went wrong (the command's name is put before it).</param>
internal sealed class CommandFailedException(string message) : Exception(message);
