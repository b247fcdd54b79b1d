using Rhei.Protocol;
using Rhei.Protocol.Messages;

namespace Rhei.Broker.Handlers;

/// <summary>
/// The APIs and versions this broker advertises and serves: the generated <see cref="ApiVersionsTable"/>
/// without what is not implemented yet — SASL (no SASL listener) and the transaction APIs
/// (AddPartitionsToTxn, AddOffsetsToTxn, EndTxn, TxnOffsetCommit). Advertised means implemented: clients
/// (librdkafka) turn features on from this list.
/// </summary>
internal static class BrokerApis
{
    private static readonly HashSet<ApiKey> s_notServed =
    [
        ApiKey.SaslHandshake,
        ApiKey.SaslAuthenticate,
        ApiKey.AddPartitionsToTxn,
        ApiKey.AddOffsetsToTxn,
        ApiKey.EndTxn,
        ApiKey.TxnOffsetCommit,
    ];

    private static readonly ApiVersionRange?[] s_byKey = Build();

    /// <summary>The served ranges, by api key.</summary>
    public static IReadOnlyList<ApiVersionRange> All { get; } = [.. ApiVersionsTable.All.Where(r => !s_notServed.Contains(r.ApiKey))];

    public static bool IsServed(ApiKey apiKey, short version) =>
        (uint)(short)apiKey < (uint)s_byKey.Length && s_byKey[(short)apiKey] is { } range && version >= range.MinVersion && version <= range.MaxVersion;

    public static bool TryGetRange(ApiKey apiKey, out ApiVersionRange range)
    {
        if ((uint)(short)apiKey < (uint)s_byKey.Length && s_byKey[(short)apiKey] is { } r)
        {
            range = r;
            return true;
        }

        range = default;
        return false;
    }

    /// <summary>The ApiVersions answer: the served list with <paramref name="error"/>.</summary>
    public static ApiVersionsResponse CreateApiVersionsResponse(ErrorCode error = ErrorCode.None)
    {
        var response = new ApiVersionsResponse { ErrorCode = (short)error };
        foreach (var range in All)
        {
            response.ApiKeys.Add(new ApiVersionsResponse.ApiVersion { ApiKey = (short)range.ApiKey, MinVersion = range.MinVersion, MaxVersion = range.MaxVersion });
        }

        return response;
    }

    private static ApiVersionRange?[] Build()
    {
        var max = ApiVersionsTable.All.Max(r => (short)r.ApiKey);
        var table = new ApiVersionRange?[max + 1];
        foreach (var range in ApiVersionsTable.All)
        {
            if (!s_notServed.Contains(range.ApiKey))
            {
                table[(short)range.ApiKey] = range;
            }
        }

        return table;
    }
}
