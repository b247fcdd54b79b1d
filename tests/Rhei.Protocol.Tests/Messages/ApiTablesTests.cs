using Rhei.Protocol.Messages;

namespace Rhei.Protocol.Tests.Messages;

public sealed class ApiTablesTests
{
    [Theory]
    [InlineData(ApiKey.ApiVersions, 0, 3)]
    [InlineData(ApiKey.Metadata, 0, 12)]
    [InlineData(ApiKey.Produce, 0, 9)]
    [InlineData(ApiKey.Fetch, 4, 12)]
    [InlineData(ApiKey.ListOffsets, 1, 7)]
    [InlineData(ApiKey.FindCoordinator, 0, 3)]
    [InlineData(ApiKey.JoinGroup, 0, 5)]
    [InlineData(ApiKey.SyncGroup, 0, 5)]
    [InlineData(ApiKey.Heartbeat, 0, 4)]
    [InlineData(ApiKey.LeaveGroup, 0, 4)]
    [InlineData(ApiKey.OffsetCommit, 2, 8)]
    [InlineData(ApiKey.OffsetFetch, 1, 7)]
    [InlineData(ApiKey.DescribeGroups, 0, 5)]
    [InlineData(ApiKey.ListGroups, 0, 4)]
    [InlineData(ApiKey.CreateTopics, 0, 4)]
    [InlineData(ApiKey.DeleteTopics, 0, 4)]
    [InlineData(ApiKey.InitProducerId, 0, 4)]
    [InlineData(ApiKey.OffsetForLeaderEpoch, 2, 3)]
    [InlineData(ApiKey.DescribeConfigs, 0, 2)]
    [InlineData(ApiKey.CreatePartitions, 0, 1)]
    [InlineData(ApiKey.DeleteGroups, 0, 1)]
    [InlineData(ApiKey.DescribeCluster, 0, 1)]
    [InlineData(ApiKey.AddPartitionsToTxn, 0, 3)]
    [InlineData(ApiKey.AddOffsetsToTxn, 0, 3)]
    [InlineData(ApiKey.EndTxn, 0, 3)]
    [InlineData(ApiKey.TxnOffsetCommit, 0, 3)]
    [InlineData(ApiKey.SaslHandshake, 0, 1)]
    [InlineData(ApiKey.SaslAuthenticate, 0, 1)]
    [InlineData(ApiKey.DeleteRecords, 0, 1)]
    [InlineData(ApiKey.OffsetDelete, 0, 0)]
    public void The_advertised_table_matches_the_brief(ApiKey apiKey, short min, short max)
    {
        Assert.True(ApiVersionsTable.TryGetRange(apiKey, out var range));
        Assert.Equal(new ApiVersionRange(apiKey, min, max), range);
        Assert.Contains(range, ApiVersionsTable.All);
        Assert.True(ApiVersionsTable.IsSupported(apiKey, min));
        Assert.True(ApiVersionsTable.IsSupported(apiKey, max));
        Assert.False(ApiVersionsTable.IsSupported(apiKey, (short)(max + 1)));
        Assert.False(ApiVersionsTable.IsSupported(apiKey, (short)(min - 1)));
    }

    [Fact]
    public void The_table_has_exactly_the_thirty_served_apis_and_never_write_txn_markers()
    {
        Assert.Equal(30, ApiVersionsTable.All.Count);
        Assert.False(ApiVersionsTable.TryGetRange(ApiKey.WriteTxnMarkers, out _));
        Assert.Equal(ApiVersionsTable.All.OrderBy(r => r.ApiKey), ApiVersionsTable.All);
    }

    [Theory]
    [InlineData(ApiKey.Produce, 8, 1, 0)]
    [InlineData(ApiKey.Produce, 9, 2, 1)]
    [InlineData(ApiKey.Metadata, 8, 1, 0)]
    [InlineData(ApiKey.Metadata, 12, 2, 1)]
    [InlineData(ApiKey.ApiVersions, 2, 1, 0)]
    [InlineData(ApiKey.ApiVersions, 3, 2, 0)]
    [InlineData(ApiKey.ApiVersions, 4, 2, 0)]
    [InlineData(ApiKey.DescribeCluster, 0, 2, 1)]
    [InlineData(ApiKey.SaslHandshake, 1, 1, 0)]
    [InlineData(ApiKey.ControlledShutdown, 0, 0, 0)]
    [InlineData(ApiKey.ControlledShutdown, 3, 2, 1)]
    [InlineData(ApiKey.Fetch, 12, 2, 1)]
    [InlineData(ApiKey.Fetch, 11, 1, 0)]
    public void Header_versions_follow_flexibility_with_the_two_kafka_exceptions(ApiKey apiKey, short version, short request, short response)
    {
        Assert.Equal(request, ApiMessages.RequestHeaderVersion(apiKey, version));
        Assert.Equal(response, ApiMessages.ResponseHeaderVersion(apiKey, version));
    }

    [Fact]
    public void Unknown_api_keys_have_no_header_version()
    {
        Assert.Equal(-1, ApiMessages.RequestHeaderVersion((ApiKey)999, 0));
        Assert.Equal(-1, ApiMessages.ResponseHeaderVersion((ApiKey)999, 0));
    }

    [Fact]
    public void Dispatch_refuses_apis_rhei_does_not_serve()
    {
        var empty = new ProtocolReader(Array.Empty<byte>());
        try
        {
            ApiMessages.ReadRequest(ApiKey.WriteTxnMarkers, 1, ref empty);
            Assert.Fail("Expected NotSupportedException.");
        }
        catch (NotSupportedException)
        {
        }
    }

    [Fact]
    public void Every_served_request_and_response_type_is_reachable_through_dispatch()
    {
        foreach (var range in ApiVersionsTable.All)
        {
            foreach (var isRequest in new[] { true, false })
            {
                var type = RoundTripTests.MessageTypes().Single(t => t.Name == range.ApiKey + (isRequest ? "Request" : "Response"));
                var message = (IApiMessage)new SpecRandomizer(type.Name, 1).Populate(type, range.MaxVersion);
                Assert.Equal(range.ApiKey, message.ApiKey);
                var bytes = message.ToArray(range.MaxVersion);
                var reader = new ProtocolReader(bytes);
                IApiMessage read = isRequest
                    ? ApiMessages.ReadRequest(range.ApiKey, range.MaxVersion, ref reader)
                    : ApiMessages.ReadResponse(range.ApiKey, range.MaxVersion, ref reader);
                Assert.Equal(type, read.GetType());
                Assert.Equal(message, read);
            }
        }
    }

    [Fact]
    public void Error_codes_have_kafka_values_and_default_messages()
    {
        Assert.Equal(-1, (short)ErrorCode.UnknownServerError);
        Assert.Equal(0, (short)ErrorCode.None);
        Assert.Equal(3, (short)ErrorCode.UnknownTopicOrPartition);
        Assert.Equal(35, (short)ErrorCode.UnsupportedVersion);
        Assert.Equal(79, (short)ErrorCode.MemberIdRequired);
        Assert.Equal("", ErrorCode.None.DefaultMessage());
        Assert.Contains("version", ErrorCode.UnsupportedVersion.DefaultMessage(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("Unknown error code 30000.", ((ErrorCode)30000).DefaultMessage());
    }
}
