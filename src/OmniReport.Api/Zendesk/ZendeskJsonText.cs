using System.Text;

namespace OmniReport.Api.Zendesk;

/// <summary>A 200 answer whose body is JSON text made elsewhere (the settings object of SettingsJson).</summary>
public sealed class ZendeskJsonText(string json) : IResult, IStatusCodeHttpResult
{
    int? IStatusCodeHttpResult.StatusCode => StatusCodes.Status200OK;

    /// <inheritdoc />
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        httpContext.Response.StatusCode = StatusCodes.Status200OK;
        httpContext.Response.ContentType = "application/json; charset=utf-8";
        await httpContext.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(json), httpContext.RequestAborted).ConfigureAwait(false);
    }
}
