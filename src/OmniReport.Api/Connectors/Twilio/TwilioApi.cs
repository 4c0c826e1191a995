using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OmniReport.Api.Auth;
using OmniReport.Api.Ingest;
using OmniReport.Api.Zendesk;
using OmniReport.Storage;

namespace OmniReport.Api.Connectors.Twilio;

/// <summary>
/// The Twilio connector (SPEC §10): <c>GET</c>/<c>PUT /api/v2/connectors/twilio</c> keep the account's auth token, and
/// <c>POST /connectors/twilio/{account}/taskrouter</c> is the workspace's Event Callback URL, authenticated by
/// <c>X-Twilio-Signature</c> instead of a token.
/// </summary>
public static class TwilioApi
{
    /// <summary>The connector's name in the store.</summary>
    public const string Connector = "twilio";

    /// <summary>The callback path of an account: the Event Callback URL is the server's base URL followed by it.</summary>
    public static string CallbackPath(string accountName) => $"/connectors/twilio/{Uri.EscapeDataString(accountName)}/taskrouter";

    /// <summary>Maps the resource.</summary>
    public static IEndpointRouteBuilder MapTwilioConnector(this IEndpointRouteBuilder app)
    {
        var settings = app.MapGroup(Dialect.Prefix + "/connectors/twilio").WithTags("Connectors").RequireScope(Scopes.Admin);
        settings.MapGet("", GetSettings)
            .WithName("GetTwilioConnector")
            .WithSummary("Whether a Twilio auth token is set")
            .Produces<TwilioConnectorDoc>(StatusCodes.Status200OK, "application/json")
            .ProducesDialectErrors(401, 403, 429);
        settings.MapPut("", PutSettings)
            .WithName("PutTwilioConnector")
            .WithSummary("Store the account's Twilio auth token")
            .WithDescription("{\"auth_token\": \"...\"} stores the token that signs the workspace's TaskRouter Event Callbacks "
                + "(write-only: it is never answered); {\"auth_token\": null} removes it.")
            .Accepts<TwilioAuthTokenDoc>("application/json")
            .Produces<TwilioConnectorDoc>(StatusCodes.Status200OK, "application/json")
            .ProducesDialectErrors(400, 401, 403, 413, 422, 429);

        app.MapPost("/connectors/twilio/{account}/taskrouter", PostCallback)
            .WithTags("Connectors")
            .WithName("PostTwilioTaskRouterCallback")
            .WithSummary("TaskRouter Event Callback")
            .WithDescription("The workspace's Event Callback URL. Form-encoded, authenticated by X-Twilio-Signature (HMAC-SHA1 "
                + "keyed by the stored auth token); a missing or wrong signature is 403 and nothing is stored, "
                + "and counts against the address's limit of unauthenticated requests (over it: 429 with Retry-After). "
                + "Answers like POST /api/v2/events, plus the number of callbacks ignored.")
            .Accepts<TwilioCallbackDoc>("application/x-www-form-urlencoded")
            .Produces<ConnectorResponse>(StatusCodes.Status200OK, "application/json")
            .ProducesDialectErrors(403, 413, 429);
        return app;
    }

    internal static async Task<JsonHttpResult<TwilioConnectorDoc>> GetSettings(Caller caller, IStore store, CancellationToken ct) =>
        Dialect.Ok(new TwilioConnectorDoc(await store.GetConnectorSecretAsync(caller.AccountId, Connector, ct).ConfigureAwait(false) is not null));

    internal static async Task<Results<JsonHttpResult<TwilioConnectorDoc>, ZendeskError>> PutSettings(
        Caller caller, HttpRequest request, IStore store, IOptions<ApiOptions> options, CancellationToken ct)
    {
        using var body = await RequestBody.ReadAsync(request, options.Value.MaxSettingsBytes, ct).ConfigureAwait(false);
        if (body is null)
        {
            return Dialect.Error(StatusCodes.Status413PayloadTooLarge, Dialect.Codes.PayloadTooLarge,
                $"Too large: the body is larger than {options.Value.MaxSettingsBytes} bytes.");
        }

        string? token;
        try
        {
            using var doc = JsonDocument.Parse(body.Memory);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                return Dialect.Error(StatusCodes.Status400BadRequest, Dialect.Codes.BadRequest, "The body must be a JSON object: {\"auth_token\": \"...\"}.");
            }

            if (!doc.RootElement.TryGetProperty("auth_token", out var value))
            {
                return Dialect.FieldError(StatusCodes.Status422UnprocessableEntity, "auth_token", "is required");
            }

            if (value.ValueKind == JsonValueKind.Null)
            {
                token = null;
            }
            else if (value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 and <= 256 } text
                || text.Any(char.IsControl) || text.Any(char.IsSurrogate))
            {
                return Dialect.FieldError(StatusCodes.Status422UnprocessableEntity, "auth_token",
                    "must be the auth token as a string of 1 to 256 characters (or null to remove it)");
            }
            else
            {
                token = text;
            }
        }
        catch (JsonException)
        {
            return Dialect.Error(StatusCodes.Status400BadRequest, Dialect.Codes.BadRequest, "The body is not valid JSON.");
        }

        await store.SetConnectorSecretAsync(caller.AccountId, Connector, token, CancellationToken.None).ConfigureAwait(false);
        return Dialect.Ok(new TwilioConnectorDoc(token is not null));
    }

    internal static async Task<Results<JsonHttpResult<ConnectorResponse>, ZendeskError>> PostCallback(
        string account, HttpRequest request, IStore store, IOptions<ApiOptions> options, AddressRateLimiter addresses, CancellationToken ct)
    {
        // SPEC §5.1: a callback without a valid signature presents no valid credential, so it counts against its
        // address like a wrong token; once the address has used its minute, 429 before the body is read.
        var address = AddressRateLimiter.AddressOf(request.HttpContext);
        var mayTry = addresses.MayTry(address);
        if (!mayTry.Allowed)
        {
            return Dialect.RateLimited(addresses.Limit, mayTry.RetryAfterSeconds);
        }

        List<KeyValuePair<string, string>> parameters;
        using (var body = await RequestBody.ReadAsync(request, options.Value.MaxIngestBytes, ct).ConfigureAwait(false))
        {
            if (body is null)
            {
                addresses.Failed(address); // unsigned as far as anyone knows: it cost a read of MaxIngestBytes
                return Dialect.Error(StatusCodes.Status413PayloadTooLarge, Dialect.Codes.PayloadTooLarge,
                    $"Too large: the body is larger than {options.Value.MaxIngestBytes} bytes.");
            }

            // Twilio posts form-encoded parameters; any other body has none, and its signature cannot match.
            parameters = request.HasFormContentType ? FormBody.Parse(body.Span) : [];
        }

        // One answer for an unknown account, an account without a token and a bad signature: a caller that cannot
        // sign learns nothing, not even which account names exist.
        var found = await store.FindAccountAsync(account, ct).ConfigureAwait(false);
        var secret = found is null ? null : await store.GetConnectorSecretAsync(found.Id, Connector, ct).ConfigureAwait(false);
        if (secret is null
            || !TwilioSignature.IsValid(secret, TwilioSignature.CandidateUrls(request), parameters, request.Headers["X-Twilio-Signature"].FirstOrDefault()))
        {
            addresses.Failed(address);
            return Dialect.Error(StatusCodes.Status403Forbidden, Dialect.Codes.Forbidden,
                "The X-Twilio-Signature header is missing or does not match this URL, these parameters and the account's Twilio auth token.");
        }

        var answer = await ConnectorIngest.IngestAsync(store, found!.Id, [TaskRouterEvents.Map(parameters)]).ConfigureAwait(false);
        return Dialect.Ok(answer);
    }
}

/// <summary>Whether the account has a Twilio auth token.</summary>
/// <param name="AuthTokenSet">True when one is stored (the token itself is never answered).</param>
public sealed record TwilioConnectorDoc(bool AuthTokenSet);

/// <summary>The body of <c>PUT /api/v2/connectors/twilio</c>.</summary>
/// <param name="AuthToken">The Twilio auth token, or null to remove it.</param>
internal sealed record TwilioAuthTokenDoc(string? AuthToken);

/// <summary>The TaskRouter Event Callback parameters OmniReport reads (docs/connectors.md); others are signed but unused.</summary>
internal sealed record TwilioCallbackDoc(
    [property: JsonPropertyName("EventType")] string EventType,
    [property: JsonPropertyName("Sid")] string? Sid,
    [property: JsonPropertyName("TimestampMs")] string? TimestampMs,
    [property: JsonPropertyName("Timestamp")] string? Timestamp,
    [property: JsonPropertyName("TaskSid")] string? TaskSid,
    [property: JsonPropertyName("TaskAttributes")] string? TaskAttributes,
    [property: JsonPropertyName("TaskChannelUniqueName")] string? TaskChannelUniqueName,
    [property: JsonPropertyName("TaskQueueSid")] string? TaskQueueSid,
    [property: JsonPropertyName("TaskQueueName")] string? TaskQueueName,
    [property: JsonPropertyName("WorkerSid")] string? WorkerSid,
    [property: JsonPropertyName("WorkerName")] string? WorkerName);
