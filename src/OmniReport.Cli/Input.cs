namespace OmniReport.Cli;

/// <summary>Opens an input file of events (<c>-</c>: stdin) for derive and import, with a one-line error when it cannot.</summary>
internal static class Input
{
    public static Stream Open(string path)
    {
        if (path == "-")
        {
            return Console.OpenStandardInput();
        }

        if (Directory.Exists(path))
        {
            throw new UsageException($"cannot read {path}: it is a directory; give a file of events", 1);
        }

        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read {path}: {ex.Message}", 1);
        }
    }
}
