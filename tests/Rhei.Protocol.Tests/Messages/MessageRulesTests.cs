using Rhei.Protocol.Messages;

namespace Rhei.Protocol.Tests.Messages;

/// <summary>The spec's rules on versions, nullability, defaults and tagged fields, as the generated code applies them.</summary>
public sealed class MessageRulesTests
{
    [Fact]
    public void Writing_a_non_default_non_ignorable_field_into_a_version_without_it_throws()
    {
        // AllowAutoTopicCreation (4+) is not ignorable: false cannot be expressed in v0-v3.
        var request = new MetadataRequest { Topics = [], AllowAutoTopicCreation = false };
        var error = Assert.Throws<NotSupportedException>(() => request.ToArray(3));
        Assert.Contains("AllowAutoTopicCreation", error.Message, StringComparison.Ordinal);
        Assert.NotEmpty(request.ToArray(4));
        // At its default it is simply not sent.
        Assert.NotEmpty(new MetadataRequest { Topics = [] }.ToArray(3));
    }

    [Fact]
    public void A_non_default_ignorable_field_is_dropped_in_versions_without_it()
    {
        var response = new MetadataResponse { ThrottleTimeMs = 100, ClusterId = "c" };
        var bytes = response.ToArray(0);
        var reader = new ProtocolReader(bytes);
        var read = MetadataResponse.Read(ref reader, 0);
        Assert.Equal(0, read.ThrottleTimeMs);
        Assert.Null(read.ClusterId);
    }

    [Fact]
    public void Defaults_from_the_spec_apply_to_new_messages_and_to_fields_absent_from_the_version_read()
    {
        Assert.True(new MetadataRequest().AllowAutoTopicCreation);
        Assert.Equal(int.MaxValue, new FetchRequest().MaxBytes);
        Assert.Equal(-1, new FetchRequest().SessionEpoch);
        Assert.Equal(60000, new CreateTopicsRequest().TimeoutMs);
        Assert.Null(new JoinGroupRequest().GroupInstanceId);
        Assert.Equal("", new JoinGroupRequest().MemberId);
        Assert.Equal(int.MinValue, new MetadataResponse.MetadataResponseTopic().TopicAuthorizedOperations);
        var reader = new ProtocolReader(Hex.Parse("00 00 00 00"));
        var read = MetadataRequest.Read(ref reader, 0);
        Assert.True(read.AllowAutoTopicCreation);
        Assert.NotNull(read.Topics);
    }

    [Fact]
    public void Null_in_a_version_where_the_field_is_not_nullable_is_rejected_both_ways()
    {
        // Metadata topics are nullable from v1 only.
        Assert.Throws<InvalidOperationException>(() => new MetadataRequest { Topics = null }.ToArray(0));
        var reader = new ProtocolReader(Hex.Parse("ff ff ff ff"));
        try
        {
            MetadataRequest.Read(ref reader, 0);
            Assert.Fail("A null array at v0 must be rejected.");
        }
        catch (InvalidDataException e)
        {
            Assert.Contains("Topics", e.Message, StringComparison.Ordinal);
        }
        Assert.Throws<InvalidOperationException>(() => new MetadataResponse.MetadataResponseBroker { Host = null! }.ToArrayOf(0));
    }

    [Fact]
    public void Unknown_tagged_fields_are_kept_and_written_back()
    {
        // FetchRequest v12: ClusterId (tag 0) plus an unknown tag 7 carrying 3 bytes.
        var bytes = Hex.Parse(
            "ff ff ff ff | 00 00 01 f4 | 00 00 00 01 | 7f ff ff ff | 00 | 00 00 00 00 | ff ff ff ff | 01 | 01 | 01 | 02 | 00 06 06 63 6c 75 73 74 | 07 03 aa bb cc");
        var reader = new ProtocolReader(bytes);
        var request = FetchRequest.Read(ref reader, 12);
        Assert.Equal(0, reader.Remaining);
        Assert.Equal("clust", request.ClusterId);
        var unknown = Assert.Single(request.UnknownTaggedFields!);
        Assert.Equal(7, unknown.Tag);
        Assert.Equal(Hex.Parse("aa bb cc"), unknown.Data);
        Assert.Equal(Hex.Format(bytes), Hex.Format(request.ToArray(12)));
    }

    [Fact]
    public void A_known_tagged_field_whose_size_disagrees_with_its_value_is_rejected()
    {
        // ApiVersionsResponse v3, tag 1 (FinalizedFeaturesEpoch, int64) declared as 4 bytes.
        var reader = new ProtocolReader(Hex.Parse("00 00 | 01 | 00 00 00 00 | 01 01 04 00 00 00 05"));
        try
        {
            ApiVersionsResponse.Read(ref reader, 3);
            Assert.Fail("Expected InvalidDataException.");
        }
        catch (InvalidDataException)
        {
        }
    }

    [Fact]
    public void Truncated_messages_and_hostile_lengths_are_rejected_without_huge_allocations()
    {
        AssertInvalid("00 00 00 01 | 00 06 6f 72"); // string cut short
        AssertInvalid("7f ff ff ff | 00 01 61"); // 2^31-1 topics announced, 3 bytes present
        AssertInvalid("ff ff ff fe"); // length -2
        AssertInvalid("00 00 00"); // not even a length

        static void AssertInvalid(string hex)
        {
            var reader = new ProtocolReader(Hex.Parse(hex));
            try
            {
                MetadataRequest.Read(ref reader, 1);
                Assert.Fail($"Expected InvalidDataException for {hex}.");
            }
            catch (InvalidDataException)
            {
            }
        }
    }

    [Fact]
    public void Versions_outside_the_generated_range_are_refused()
    {
        Assert.Throws<NotSupportedException>(() => new ProduceRequest().ToArray(10));
        Assert.Throws<NotSupportedException>(() => new FetchRequest().ToArray(3));
        var reader = new ProtocolReader(Array.Empty<byte>());
        try
        {
            ApiVersionsRequest.Read(ref reader, 4);
            Assert.Fail("Expected NotSupportedException.");
        }
        catch (NotSupportedException e)
        {
            Assert.Contains("0 to 3", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Tagged_struct_fields_are_sent_only_when_not_at_their_default()
    {
        var partition = new FetchResponse.PartitionData { Records = null };
        var atDefault = new FetchResponse { Responses = [new FetchResponse.FetchableTopicResponse { Topic = "t", Partitions = [partition] }] };
        var plain = atDefault.ToArray(12);
        partition.CurrentLeader.LeaderId = 3;
        partition.CurrentLeader.LeaderEpoch = 9;
        var tagged = atDefault.ToArray(12);
        // Tag 1, size 9: LeaderId, LeaderEpoch, the struct's empty tagged section.
        Assert.Equal(plain.Length + 11, tagged.Length);
        Assert.Contains("0109000000030000000900", Hex.Format(tagged), StringComparison.Ordinal);
        var reader = new ProtocolReader(tagged);
        Assert.Equal(atDefault, FetchResponse.Read(ref reader, 12));
    }
}

internal static class NestedWriteExtensions
{
    public static byte[] ToArrayOf(this MetadataResponse.MetadataResponseBroker broker, short version)
    {
        var bytes = new byte[broker.ComputeSize(version)];
        var writer = new ProtocolWriter(bytes);
        broker.Write(ref writer, version);
        return bytes;
    }
}
