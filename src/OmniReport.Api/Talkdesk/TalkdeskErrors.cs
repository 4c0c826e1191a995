namespace OmniReport.Api.Talkdesk;

/// <summary>
/// Keeps every answer under <c>/data</c> in the Talkdesk dialect: an exception becomes a dialect 500, and an error
/// status with no body (unknown path, wrong method, refused body) gets the dialect's error body.
/// </summary>
internal sealed partial class TalkdeskErrors(RequestDelegate next, ILogger<TalkdeskErrors> log)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!TalkdeskDialect.Governs(context.Request))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            context.Response.Clear();
            await TalkdeskDialect.ForStatus(ex.StatusCode).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            LogFailure(log, ex, context.Request.Method, context.Request.Path);
            context.Response.Clear();
            await TalkdeskDialect.ForStatus(StatusCodes.Status500InternalServerError).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        var response = context.Response;
        if (!response.HasStarted && response.StatusCode >= 400 && response.ContentType is null)
        {
            await TalkdeskDialect.ForStatus(response.StatusCode).ExecuteAsync(context).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Request {Method} {Path} failed")]
    private static partial void LogFailure(ILogger logger, Exception ex, string method, string path);
}
