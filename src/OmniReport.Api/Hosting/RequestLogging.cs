using OmniReport.Storage;

namespace OmniReport.Api.Hosting;

/// <summary>
/// One structured log entry per request (method, path, status, time, account, request id). The request id is the
/// caller's <c>X-Request-Id</c> when it is a sensible token, otherwise a new one; it becomes the request's
/// <see cref="HttpContext.TraceIdentifier"/> (so error logs carry it too) and is echoed in the answer.
/// </summary>
internal sealed partial class RequestLogging(RequestDelegate next, ILogger<RequestLogging> log, TimeProvider time)
{
    private const string Header = "X-Request-Id";

    public async Task InvokeAsync(HttpContext context)
    {
        var id = Sensible(context.Request.Headers[Header].ToString()) ?? Guid.NewGuid().ToString("N");
        context.TraceIdentifier = id;
        context.Response.Headers[Header] = id;
        var started = time.GetTimestamp();
        var failed = false;
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch
        {
            failed = true;
            throw;
        }
        finally
        {
            var status = failed && !context.Response.HasStarted ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
            LogRequest(log, context.Request.Method, context.Request.Path.Value ?? "", status,
                Math.Round(time.GetElapsedTime(started).TotalMilliseconds, 2), id, context.Features.Get<TokenIdentity>()?.AccountId);
        }
    }

    private static string? Sensible(string value)
    {
        if (value.Length is 0 or > 128)
        {
            return null;
        }

        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':'))
            {
                return null;
            }
        }

        return value;
    }

    [LoggerMessage(EventId = 1, EventName = "Request", Level = LogLevel.Information, Message = "{Method} {Path} answered {StatusCode} in {ElapsedMs} ms (request {RequestId}, account {AccountId})")]
    private static partial void LogRequest(ILogger logger, string method, string path, int statusCode, double elapsedMs, string requestId, long? accountId);
}
