using System.Buffers.Binary;
using System.Text;
using Rhei.Client;

namespace Rhei.Engine.Tests.Demo;

/// <summary>Writing records the way the JDBC source connector writes them with <c>'key'='customer_id'</c>.</summary>
internal static class DemoFixtureExtensions
{
    /// <summary>Produces a record with a KAFKA-format INT key (4 bytes, big-endian) and a JSON value.</summary>
    public static async Task ProduceIntKeyAsync(this EngineFixture fx, string topic, int key, string value, long timestamp)
    {
        var keyBytes = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(keyBytes, key);
        await using var producer = fx.Clients.CreateProducer(new ProducerOptions());
        await producer.ProduceAsync(new ProduceRecord(topic, keyBytes, Encoding.UTF8.GetBytes(value), Timestamp: timestamp));
    }
}
