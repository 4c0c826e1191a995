using System.ComponentModel;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using OmniReport.Api.Connectors;
using OmniReport.Api.Connectors.Twilio;
using OmniReport.Api.Endpoints;
using OmniReport.Core.Settings;

namespace OmniReport.Api.Zendesk;

/// <summary>An error: <c>{"error", "description", "details": {field: [{"description", "error"}]}}</c>.</summary>
/// <param name="Error">The error code.</param>
/// <param name="Description">What went wrong, for people.</param>
/// <param name="Details">The field or parameter at fault, if any; otherwise empty.</param>
public sealed record ZendeskErrorBody(
    [property: Description("InvalidValue, BadRequest, RecordNotFound, Unauthorized, Forbidden, TooManyRequests, MethodNotAllowed, PayloadTooLarge, UnsupportedMediaType, InternalError.")] string Error,
    string Description,
    [property: Description("For a bad field or parameter: {name: [{description, error}]}; otherwise {}.")] IReadOnlyDictionary<string, IReadOnlyList<ZendeskErrorDetail>> Details);

/// <summary>One entry of an error's details, as Zendesk's validation errors have them.</summary>
/// <param name="Description">What is wrong with the field.</param>
/// <param name="Error">The error code.</param>
public sealed record ZendeskErrorDetail(string Description, string Error);

/// <summary>
/// The dialect's JSON answers, source-generated: snake_case names, fields in the order of the records, UTF-8 text
/// unescaped. An engagement object inside them is written by the field writer shared with the report files
/// (<see cref="EngagementObject"/>'s converter).
/// </summary>
[JsonSerializable(typeof(ZendeskErrorBody))]
[JsonSerializable(typeof(EngagementPage))]
[JsonSerializable(typeof(EngagementObject))]
[JsonSerializable(typeof(SettingsDocument))]
[JsonSerializable(typeof(IngestResponse))]
[JsonSerializable(typeof(ConnectorResponse))]
[JsonSerializable(typeof(TwilioConnectorDoc))]
[JsonSerializable(typeof(Webhooks.WebhookCreatedDoc))]
[JsonSerializable(typeof(Webhooks.WebhookDoc))]
[JsonSerializable(typeof(Webhooks.WebhookListDoc))]
[JsonSerializable(typeof(Webhooks.WebhookDeliveriesDoc))]
internal sealed partial class ZendeskJson : JsonSerializerContext
{
    /// <summary>The context with the dialect's naming and encoder.</summary>
    public static ZendeskJson Wire { get; } = new(new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.Strict,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
