using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;
using OmniReport.Core.Derivation;

namespace OmniReport.Api.Zendesk;

/// <summary>
/// An engagement object on the wire (SPEC §5.3). Its converter hands it to the field writer shared with the report
/// files (<see cref="EngagementJson"/>: field order, id typing, time format), so the dialect's serializer can write it
/// inside its records; the OpenAPI document describes it from the same field list (OpenApiSetup).
/// </summary>
/// <param name="Engagement">The engagement.</param>
[JsonConverter(typeof(Converter))]
public sealed record EngagementObject(Engagement Engagement)
{
    internal sealed class Converter : JsonConverter<EngagementObject>
    {
        public override EngagementObject Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("Engagements are written, never read.");

        public override void Write(Utf8JsonWriter writer, EngagementObject value, JsonSerializerOptions options) =>
            new EngagementJson(writer).Write(value.Engagement);
    }
}

/// <summary>
/// One page of <c>GET /api/v2/engagements</c>:
/// <c>{"agent_engagement_data": [...], "next_page_url": url|null, "has_more": bool, "page_size": rows}</c>.
/// </summary>
/// <param name="AgentEngagementData">The rows of the page.</param>
/// <param name="NextPageUrl">The next page, or null on the last one.</param>
/// <param name="HasMore">Whether there is a next page.</param>
/// <param name="PageSize">The number of rows on this page.</param>
public sealed record EngagementPage(
    IReadOnlyList<EngagementObject> AgentEngagementData,
    [property: Description("Absolute URL of the next page (filters, page_size and the cursor of the last row); null on the last page.")] string? NextPageUrl,
    bool HasMore,
    [property: Description("The number of rows on this page.")] int PageSize);
