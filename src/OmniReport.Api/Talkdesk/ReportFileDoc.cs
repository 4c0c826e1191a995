using System.ComponentModel;
using System.Text.Json.Nodes;

namespace OmniReport.Api.Talkdesk;

#pragma warning disable CA1812 // never instantiated: it exists for the OpenAPI document

/// <summary>
/// A report file in the <c>json</c> format (SPEC §5.4), as <see cref="ReportFileResult"/> streams it: written part by
/// part by the report writer, so this shape only describes it for the OpenAPI document.
/// </summary>
[Description("A json report file: the rows and their count. json_bulk files hold one row a line; csv files a header row, then one row a line.")]
internal sealed record ReportFileDoc(
    [property: Description("The rows: engagement objects (SPEC §5.3) in an engagements report, interaction records (SPEC §4) in an erc_omnichannel_report; times in the job's time zone.")] IReadOnlyList<JsonObject> Entries,
    [property: Description("How many rows.")] long Total);
