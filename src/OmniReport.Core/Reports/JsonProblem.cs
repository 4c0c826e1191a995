using System.Text.Json;

namespace OmniReport.Core.Reports;

/// <summary>
/// What is wrong with a body that is not JSON, in words for its author: the line and column as an editor counts them
/// (from 1), never the reader's own text ("LineNumber: 0 | BytePositionInLine: 1").
/// </summary>
public static class JsonProblem
{
    /// <summary><c>is not valid JSON (line 3, column 7)</c>.</summary>
    public static string Describe(JsonException ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        return ex.LineNumber is { } line
            ? $"is not valid JSON (line {line + 1}, column {(ex.BytePositionInLine ?? 0) + 1})"
            : "is not valid JSON";
    }
}
