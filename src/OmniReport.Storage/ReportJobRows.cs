using System.Data.Common;
using OmniReport.Core.Reports;

namespace OmniReport.Storage;

/// <summary>The columns of a stored report job and how a row of them reads back, for both stores.</summary>
internal static class ReportJobRows
{
    /// <summary>The columns, in the order <see cref="Read"/> expects.</summary>
    public const string Columns =
        "id, account_id, type, name, timezone, format, from_text, to_text, from_ms, to_ms, status, attempt, rows, error, created_at_ms, updated_at_ms";

    /// <summary>A job from a row of <see cref="Columns"/>.</summary>
    public static ReportJob Read(DbDataReader r) => new()
    {
        Id = r.GetString(0),
        AccountId = r.GetInt64(1),
        Type = (ReportType)r.GetInt32(2),
        Request = new ReportJobRequest
        {
            Name = r.GetString(3),
            TimeZone = r.GetString(4),
            Format = (ReportFormat)r.GetInt32(5),
            From = r.GetString(6),
            To = r.GetString(7),
            FromMs = r.GetInt64(8),
            ToMs = r.GetInt64(9),
        },
        Status = JobStatusSql.Parse(r.GetString(10)),
        Attempt = r.GetInt32(11),
        Rows = r.IsDBNull(12) ? null : r.GetInt64(12),
        Error = r.IsDBNull(13) ? null : r.GetString(13),
        CreatedAtMs = r.GetInt64(14),
        UpdatedAtMs = r.GetInt64(15),
    };
}
