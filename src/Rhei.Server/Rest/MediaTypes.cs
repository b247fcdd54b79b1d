using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Rhei.Server.Rest;

/// <summary>The media types of ksqlDB's REST API and the <c>Accept</c> negotiation between them.</summary>
internal static class MediaTypes
{
    public const string KsqlV1Json = "application/vnd.ksql.v1+json";
    public const string Json = "application/json";
    public const string Delimited = "application/vnd.ksqlapi.delimited.v1";

    /// <summary>What <c>/ksql</c> and <c>/query</c> produce; with no preference, <c>application/json</c>.</summary>
    public static readonly string[] Statement = [Json, KsqlV1Json];

    /// <summary>What <c>/query-stream</c> and <c>/inserts-stream</c> produce; with no preference, the delimited form.</summary>
    public static readonly string[] Streaming = [Delimited, Json];

    /// <summary>
    /// The produced type that best matches <paramref name="accept"/> (q-values, wildcards); the first of
    /// <paramref name="produced"/> when there is no <c>Accept</c> header; null when nothing produced is acceptable.
    /// </summary>
    public static string? Negotiate(StringValues accept, string[] produced)
    {
        if (StringValues.IsNullOrEmpty(accept))
        {
            return produced[0];
        }

        if (!MediaTypeHeaderValue.TryParseList(accept, out var ranges) || ranges.Count == 0)
        {
            return produced[0];
        }

        string? best = null;
        double bestQuality = 0;
        var bestSpecificity = -1;
        foreach (var type in produced)
        {
            var candidate = new MediaTypeHeaderValue(type);
            foreach (var range in ranges)
            {
                var quality = range.Quality ?? 1.0;
                if (quality <= 0 || !candidate.IsSubsetOf(range))
                {
                    continue;
                }

                var specificity = range.MatchesAllTypes ? 0 : range.MatchesAllSubTypes ? 1 : 2;
                if (quality > bestQuality || (quality == bestQuality && specificity > bestSpecificity))
                {
                    best = type;
                    bestQuality = quality;
                    bestSpecificity = specificity;
                }
            }
        }

        return best;
    }
}
