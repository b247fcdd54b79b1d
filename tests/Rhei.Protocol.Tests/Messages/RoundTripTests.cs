using System.Reflection;
using Rhei.Protocol.Messages;

namespace Rhei.Protocol.Tests.Messages;

public sealed class RoundTripTests
{
    private const int SeedsPerVersion = 25;

    /// <summary>Every generated message type with every version it is generated for.</summary>
    public static TheoryData<string, short> MessageVersions()
    {
        var data = new TheoryData<string, short>();
        foreach (var type in MessageTypes())
        {
            var lowest = (short)type.GetProperty("LowestSupportedVersion", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
            var highest = (short)type.GetProperty("HighestSupportedVersion", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
            for (var version = lowest; version <= highest; version++)
            {
                data.Add(type.Name, version);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(MessageVersions))]
    public void Random_messages_round_trip_to_identical_bytes_and_equal_values(string messageName, short version)
    {
        var type = MessageTypes().Single(t => t.Name == messageName);
        var roundTrip = typeof(RoundTripTests).GetMethod(nameof(RoundTrip), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(type);
        for (var seed = 0; seed < SeedsPerVersion; seed++)
        {
            var randomizer = new SpecRandomizer(messageName, seed * 7919 + version);
            var message = randomizer.Populate(type, version);
            roundTrip.Invoke(null, [message, version, $"{messageName} v{version} seed {seed}"]);
        }
    }

    [Fact]
    public void Every_served_api_has_a_request_and_a_response_type_covering_its_advertised_range()
    {
        var types = MessageTypes().ToDictionary(t => t.Name);
        foreach (var range in ApiVersionsTable.All)
        {
            foreach (var suffix in new[] { "Request", "Response" })
            {
                var type = types[range.ApiKey + suffix];
                Assert.Equal(range.MinVersion, (short)type.GetProperty("LowestSupportedVersion")!.GetValue(null)!);
                Assert.Equal(range.MaxVersion, (short)type.GetProperty("HighestSupportedVersion")!.GetValue(null)!);
            }
        }
        Assert.DoesNotContain(ApiVersionsTable.All, r => r.ApiKey == ApiKey.WriteTxnMarkers);
    }

    private static void RoundTrip<T>(T message, short version, string what)
        where T : class, IProtocolMessage<T>
    {
        var first = message.ToArray(version);
        var reader = new ProtocolReader(first);
        var read = T.Read(ref reader, version);
        Assert.True(reader.Remaining == 0, $"{what}: {reader.Remaining} bytes left unread.");
        Assert.True(message.Equals(read), $"{what}: the value read back differs from the value written.");
        var second = read.ToArray(version);
        Assert.True(first.AsSpan().SequenceEqual(second), $"{what}: writing the value read back gave different bytes.");
    }

    internal static IEnumerable<Type> MessageTypes() =>
        typeof(IProtocolMessage).Assembly.GetTypes()
            .Where(t => t.IsClass && !t.IsNested && t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IProtocolMessage<>)))
            .OrderBy(t => t.Name, StringComparer.Ordinal);
}
