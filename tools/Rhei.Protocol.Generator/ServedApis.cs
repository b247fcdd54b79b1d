namespace Rhei.Protocol.Generator;

/// <summary>
/// The APIs Rhei's broker serves and the version ranges it advertises in ApiVersions. Messages are generated
/// for exactly these versions. WriteTxnMarkers (broker to broker) is deliberately absent.
/// </summary>
internal static class ServedApis
{
    public static readonly IReadOnlyList<(string Name, short Min, short Max)> Apis =
    [
        ("Produce", 0, 9), // versions 0-2 are advertised (old librdkafka needs 0) and answered UNSUPPORTED_VERSION
        ("Fetch", 4, 12),
        ("ListOffsets", 1, 7),
        ("Metadata", 0, 12),
        ("OffsetCommit", 2, 8),
        ("OffsetFetch", 1, 7),
        ("FindCoordinator", 0, 3),
        ("JoinGroup", 0, 5),
        ("Heartbeat", 0, 4),
        ("LeaveGroup", 0, 4),
        ("SyncGroup", 0, 5),
        ("DescribeGroups", 0, 5),
        ("ListGroups", 0, 4),
        ("SaslHandshake", 0, 1),
        ("ApiVersions", 0, 3),
        ("CreateTopics", 0, 4),
        ("DeleteTopics", 0, 4),
        ("DeleteRecords", 0, 1),
        ("InitProducerId", 0, 4),
        ("OffsetForLeaderEpoch", 2, 3),
        ("AddPartitionsToTxn", 0, 3),
        ("AddOffsetsToTxn", 0, 3),
        ("EndTxn", 0, 3),
        ("TxnOffsetCommit", 0, 3),
        ("DescribeConfigs", 0, 2),
        ("SaslAuthenticate", 0, 1),
        ("CreatePartitions", 0, 1),
        ("DeleteGroups", 0, 1),
        ("OffsetDelete", 0, 0),
        ("DescribeCluster", 0, 1),
    ];

    /// <summary>Non-API messages generated for all their valid versions.</summary>
    public static readonly IReadOnlyList<string> DataMessages =
    [
        "RequestHeader",
        "ResponseHeader",
        "ConsumerProtocolSubscription",
        "ConsumerProtocolAssignment",
    ];

    /// <summary>APIs that must never be advertised to clients.</summary>
    public static readonly IReadOnlyList<string> NeverAdvertised = ["WriteTxnMarkers"];
}
