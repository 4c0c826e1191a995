namespace OmniReport.Api.Hosting;

/// <summary>
/// Keeps every answer in the dialect of its path — Zendesk under <c>/api/v2</c>, Talkdesk under <c>/data</c>: an
/// exception becomes the dialect's 500 (or the status of a bad request), and an error status with no body — an
/// unknown path (404), a wrong method (405), a body Kestrel refused (413) — gets the dialect's error body.
/// </summary>
internal sealed partial class DialectErrors(RequestDelegate next, ILogger<DialectErrors> log)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var dialect = Dialects.Choose(context.Request);
        if (dialect is null)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        context.Features.Set(dialect);
        var forStatus = dialect.ForStatus;

        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            context.Response.Clear();
            await forStatus(ex.StatusCode).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return; // the client went away; nobody to answer
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            LogFailure(log, ex, context.Request.Method, context.Request.Path, context.TraceIdentifier);
            context.Response.Clear();
            await forStatus(StatusCodes.Status500InternalServerError).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        var response = context.Response;
        if (!response.HasStarted && response.StatusCode >= 400 && response.ContentType is null)
        {
            await forStatus(response.StatusCode).ExecuteAsync(context).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed (request {RequestId})")]
    private static partial void LogFailure(ILogger logger, Exception ex, string method, string path, string requestId);
}
