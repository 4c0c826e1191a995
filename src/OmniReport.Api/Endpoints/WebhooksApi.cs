using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OmniReport.Api.Auth;
using OmniReport.Api.Ingest;
using OmniReport.Api.Webhooks;
using OmniReport.Api.Zendesk;
using OmniReport.Core.Reports;
using OmniReport.Storage;

namespace OmniReport.Api.Endpoints;

/// <summary>
/// <c>/api/v2/webhooks</c> (SPEC §9, <c>admin</c>): create, list, get, delete, and the latest delivery attempts. The
/// deliveries themselves are the <see cref="WebhookDispatcher"/>'s.
/// </summary>
public static class WebhooksApi
{
    /// <summary>Attempts the deliveries list shows.</summary>
    private const int DeliveriesShown = 100;

    /// <summary>Maps the resource.</summary>
    public static IEndpointRouteBuilder MapWebhooks(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Dialect.Prefix + "/webhooks").WithTags("Webhooks").RequireScope(Scopes.Admin);
        group.MapPost("", CreateWebhook)
            .WithName("CreateWebhook")
            .WithSummary("Create a webhook")
            .WithDescription("Every change of the account's derived data logged from now on, of the types given, is POSTed to the URL as "
                + "{\"id\": seq, \"type\": \"...\", \"data\": {...}}, signed: X-OmniReport-Timestamp (Unix seconds) and X-OmniReport-Signature: "
                + "sha256= + hex HMAC-SHA256(secret, timestamp + \".\" + body). In change order; a delivery without a 2xx within 10 s is retried "
                + "with exponential backoff (1 s doubling, at most 1 h apart) for 24 h. The secret is in this answer only. A bad URL or type: 422 naming the field.")
            .Accepts<WebhookRequestDoc>("application/json")
            .Produces<WebhookCreatedDoc>(StatusCodes.Status201Created, "application/json")
            .ProducesDialectErrors(400, 401, 403, 413, 422, 429);
        group.MapGet("", ListWebhooks)
            .WithName("ListWebhooks")
            .WithSummary("The account's webhooks, oldest first")
            .Produces<WebhookListDoc>(StatusCodes.Status200OK, "application/json")
            .ProducesDialectErrors(401, 403, 429);
        group.MapGet("/{id}", GetWebhook)
            .WithName("GetWebhook")
            .WithSummary("One webhook")
            .Produces<WebhookDoc>(StatusCodes.Status200OK, "application/json")
            .ProducesDialectErrors(401, 403, 404, 429);
        group.MapDelete("/{id}", DeleteWebhook)
            .WithName("DeleteWebhook")
            .WithSummary("Delete a webhook")
            .WithDescription("Stops its deliveries (one in flight may still arrive) and forgets its attempts. 204.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesDialectErrors(401, 403, 404, 429);
        group.MapGet("/{id}/deliveries", ListDeliveries)
            .WithName("ListWebhookDeliveries")
            .WithSummary("The webhook's latest delivery attempts, newest first")
            .WithDescription("At most 100 attempts, each with the change it carried, the receiver's status and the error.")
            .Produces<WebhookDeliveriesDoc>(StatusCodes.Status200OK, "application/json")
            .ProducesDialectErrors(401, 403, 404, 429);
        return app;
    }

    internal static async Task<Results<JsonHttpResult<WebhookCreatedDoc>, ZendeskError>> CreateWebhook(
        Caller caller, HttpRequest request, IStore store, IOptions<ApiOptions> options, CancellationToken ct)
    {
        WebhookRequest? webhook;
        FieldProblem? problem;
        using (var body = await RequestBody.ReadAsync(request, options.Value.MaxSettingsBytes, ct).ConfigureAwait(false))
        {
            if (body is null)
            {
                return Dialect.Error(StatusCodes.Status413PayloadTooLarge, Dialect.Codes.PayloadTooLarge,
                    $"Too large: the body is larger than {options.Value.MaxSettingsBytes} bytes.");
            }

            try
            {
                using var doc = JsonDocument.Parse(body.Memory);
                if (doc.RootElement.ValueKind != JsonValueKind.Object)
                {
                    return Dialect.Error(StatusCodes.Status400BadRequest, Dialect.Codes.BadRequest,
                        "The body must be a JSON object: {\"url\": \"https://...\", \"types\": [...]}.");
                }

                webhook = WebhookRequest.Read(doc.RootElement, out problem);
            }
            catch (JsonException ex)
            {
                return Dialect.Error(StatusCodes.Status400BadRequest, Dialect.Codes.BadRequest, $"The body {JsonProblem.Describe(ex)}.");
            }
        }

        if (webhook is null)
        {
            return Dialect.FieldError(StatusCodes.Status422UnprocessableEntity, problem!.Name, problem.Description);
        }

        if (await WebhookTargetCheck.RefusalAsync(webhook.Url, options.Value.WebhookTargets, ct).ConfigureAwait(false) is { } refused)
        {
            return Dialect.FieldError(StatusCodes.Status422UnprocessableEntity, "url", refused);
        }

        var secret = WebhookSignature.NewSecret();
        var created = await store.CreateWebhookAsync(caller.AccountId, webhook.Url.OriginalString, webhook.Types, secret, CancellationToken.None).ConfigureAwait(false);
        request.HttpContext.Response.Headers.Location = $"{Dialect.Prefix}/webhooks/{created.Id}";
        return Dialect.Created(new WebhookCreatedDoc(created.Id, created.Url, created.Types, secret));
    }

    internal static async Task<JsonHttpResult<WebhookListDoc>> ListWebhooks(Caller caller, IStore store, CancellationToken ct) =>
        Dialect.Ok(new WebhookListDoc([.. (await store.ListWebhooksAsync(caller.AccountId, ct).ConfigureAwait(false)).Select(Doc)]));

    internal static async Task<Results<JsonHttpResult<WebhookDoc>, ZendeskError>> GetWebhook(string id, Caller caller, IStore store, CancellationToken ct) =>
        await store.GetWebhookAsync(caller.AccountId, id, ct).ConfigureAwait(false) is { } webhook ? Dialect.Ok(Doc(webhook)) : NotFound(id);

    internal static async Task<Results<NoContent, ZendeskError>> DeleteWebhook(string id, Caller caller, IStore store, CancellationToken ct) =>
        await store.DeleteWebhookAsync(caller.AccountId, id, CancellationToken.None).ConfigureAwait(false) ? TypedResults.NoContent() : NotFound(id);

    internal static async Task<Results<JsonHttpResult<WebhookDeliveriesDoc>, ZendeskError>> ListDeliveries(string id, Caller caller, IStore store, CancellationToken ct) =>
        await store.ListWebhookAttemptsAsync(caller.AccountId, id, DeliveriesShown, ct).ConfigureAwait(false) is { } attempts
            ? Dialect.Ok(new WebhookDeliveriesDoc([.. attempts.Select(Doc)]))
            : NotFound(id);

    private static ZendeskError NotFound(string id) =>
        Dialect.Error(StatusCodes.Status404NotFound, Dialect.Codes.RecordNotFound, $"No webhook {Core.Events.ErrorText.Quote(id)}.");

    private static WebhookDoc Doc(Webhook w) => new(w.Id, w.Url, w.Types);

    private static WebhookDeliveryDoc Doc(WebhookAttempt a) => new(
        a.ChangeSequence,
        a.ChangeType.Length == 0 ? null : a.ChangeType,
        a.Attempt,
        DateTimeOffset.FromUnixTimeMilliseconds(a.AtMs).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        a.DurationMs,
        a.HttpStatus,
        a.Error,
        WebhookOutcomes.Name(a.Outcome));
}
