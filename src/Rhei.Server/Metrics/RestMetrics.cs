using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Http;

namespace Rhei.Server.Metrics;

/// <summary>
/// HTTP request latency on the Meter "Rhei.Rest": one histogram, tagged with the endpoint (a path template, so the
/// label set stays small), the method and the status code. Streaming endpoints (/query-stream, the console's live
/// tail) record when the stream ends.
/// </summary>
internal static class RestMetrics
{
    public const string MeterName = "Rhei.Rest";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("rhei.rest.request.duration", "s",
        "Time to answer an HTTP request (REST API, console, metrics), per endpoint, method and status.");

    /// <summary>Runs <paramref name="handle"/> and records how long it took.</summary>
    public static async Task TimeAsync(HttpContext context, Func<HttpContext, Task> handle)
    {
        if (!Duration.Enabled)
        {
            await handle(context);
            return;
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            await handle(context);
        }
        finally
        {
            Duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds,
                new KeyValuePair<string, object?>("endpoint", Endpoint(context.Request.Path.Value ?? "/")),
                new KeyValuePair<string, object?>("method", context.Request.Method),
                new KeyValuePair<string, object?>("status", context.Response.StatusCode));
        }
    }

    /// <summary>The path as a template: ids and names become placeholders, unknown paths one label.</summary>
    internal static string Endpoint(string path) => path switch
    {
        "/ksql" or "/ksql/terminate" or "/query" or "/query-stream" or "/inserts-stream" or "/close-query" or "/info"
            or "/healthcheck" or "/clusterStatus" or "/status" or "/metrics" or "/api/console/overview" or "/api/console/topics"
            or "/api/console/groups" => path,
        _ when path.StartsWith("/status/", StringComparison.Ordinal) => "/status/{commandId}",
        _ when path.StartsWith("/is_valid_property/", StringComparison.Ordinal) => "/is_valid_property/{name}",
        _ when path.StartsWith("/api/console/topics/", StringComparison.Ordinal) && path.EndsWith("/records", StringComparison.Ordinal) => "/api/console/topics/{topic}/records",
        _ when path.StartsWith("/api/console/topics/", StringComparison.Ordinal) && path.EndsWith("/tail", StringComparison.Ordinal) => "/api/console/topics/{topic}/tail",
        _ when path.StartsWith("/api/console/topics/", StringComparison.Ordinal) => "/api/console/topics/{topic}",
        "/" or "/index.html" => "/",
        _ when path.StartsWith("/assets/", StringComparison.Ordinal) => "/assets/{file}",
        _ => "other",
    };
}
