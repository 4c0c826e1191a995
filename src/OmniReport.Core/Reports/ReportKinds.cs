namespace OmniReport.Core.Reports;

/// <summary>The report types of SPEC §5.4.</summary>
public enum ReportType
{
    /// <summary><c>engagements</c>: engagement objects (§5.3).</summary>
    Engagements,
    /// <summary><c>erc_omnichannel_report</c>: interaction records (§4).</summary>
    Interactions,
}

/// <summary>Report file formats.</summary>
public enum ReportFormat
{
    /// <summary><c>{"entries": [...], "total": n}</c></summary>
    Json,
    /// <summary>One entry per line.</summary>
    JsonBulk,
    /// <summary>RFC 4180 CSV with a header row.</summary>
    Csv,
}

/// <summary>Wire names of report types and formats.</summary>
public static class ReportNames
{
    /// <summary>The wire name of a report type.</summary>
    public static string Name(ReportType t) => t == ReportType.Engagements ? "engagements" : "erc_omnichannel_report";

    /// <summary>The wire name of a format.</summary>
    public static string Name(ReportFormat f) => f switch
    {
        ReportFormat.Json => "json",
        ReportFormat.JsonBulk => "json_bulk",
        _ => "csv",
    };

    /// <summary>Parses a report type name.</summary>
    public static bool TryType(string? s, out ReportType t)
    {
        t = s == "engagements" ? ReportType.Engagements : ReportType.Interactions;
        return s is "engagements" or "erc_omnichannel_report";
    }

    /// <summary>Parses a format name.</summary>
    public static bool TryFormat(string? s, out ReportFormat f)
    {
        f = s switch { "json_bulk" => ReportFormat.JsonBulk, "csv" => ReportFormat.Csv, _ => ReportFormat.Json };
        return s is "json" or "json_bulk" or "csv";
    }
}
