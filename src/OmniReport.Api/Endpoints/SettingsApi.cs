using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OmniReport.Api.Auth;
using OmniReport.Api.Ingest;
using OmniReport.Api.Zendesk;
using OmniReport.Core.Reports;
using OmniReport.Core.Settings;
using OmniReport.Storage;

namespace OmniReport.Api.Endpoints;

/// <summary><c>GET</c> and <c>PUT /api/v2/settings</c> (SPEC §2, §5.2): the account settings as one object.</summary>
public static class SettingsApi
{
    /// <summary>Maps the resource.</summary>
    public static IEndpointRouteBuilder MapSettings(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Dialect.Prefix + "/settings").WithTags("Settings").RequireScope(Scopes.Admin);
        group.MapGet("", GetSettings)
            .WithName("GetSettings")
            .WithSummary("The account settings")
            .Produces<SettingsDocument>(StatusCodes.Status200OK, "application/json")
            .ProducesDialectErrors(401, 403, 429);
        group.MapPut("", PutSettings)
            .WithName("PutSettings")
            .WithSummary("Change some settings")
            .WithDescription("Takes any subset of the settings, changes those, leaves the others and answers with the whole object. "
                + "Every derived record of the account is recomputed as if the settings had always been in force. "
                + "A bad value: 422 naming the field, nothing changed.")
            .Accepts<SettingsDocument>("application/json")
            .Produces<SettingsDocument>(StatusCodes.Status200OK, "application/json")
            .ProducesDialectErrors(400, 401, 403, 413, 415, 422, 429);
        return app;
    }

    internal static async Task<JsonHttpResult<SettingsDocument>> GetSettings(Caller caller, IStore store, CancellationToken ct)
    {
        var settings = await store.GetSettingsAsync(caller.AccountId, ct).ConfigureAwait(false);
        return Dialect.Ok(SettingsDocument.From(settings));
    }

    internal static async Task<Results<JsonHttpResult<SettingsDocument>, ZendeskError>> PutSettings(
        Caller caller, HttpRequest request, IStore store, IOptions<ApiOptions> options, CancellationToken ct)
    {
        string json;
        using (var body = await RequestBody.ReadAsync(request, options.Value.MaxSettingsBytes, ct).ConfigureAwait(false))
        {
            if (body is null)
            {
                return Dialect.Error(StatusCodes.Status413PayloadTooLarge, Dialect.Codes.PayloadTooLarge,
                    $"Too large: the settings body is larger than {options.Value.MaxSettingsBytes} bytes.");
            }

            try
            {
                using var doc = JsonDocument.Parse(body.Memory);
            }
            catch (JsonException ex)
            {
                return Dialect.Error(StatusCodes.Status400BadRequest, Dialect.Codes.BadRequest, $"The body {JsonProblem.Describe(ex)}.");
            }

            json = Encoding.UTF8.GetString(body.Span);
        }

        var current = await store.GetSettingsAsync(caller.AccountId, ct).ConfigureAwait(false);
        if (!SettingsJson.TryApply(current, json, out var next, out var error))
        {
            return Dialect.FieldError(StatusCodes.Status422UnprocessableEntity, error!.Name, error.Description);
        }

        await store.UpdateSettingsAsync(caller.AccountId, next, CancellationToken.None).ConfigureAwait(false);
        return Dialect.Ok(SettingsDocument.From(next));
    }
}
