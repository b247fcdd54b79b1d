using System.Text;
using Rhei.Client.Embedded;
using Rhei.Storage;

namespace Rhei.Client.Tests;

/// <summary>A place to produce and consume: an implementation of the client contracts over its own fresh storage or broker.</summary>
public abstract class ClientCluster : IAsyncDisposable
{
    public abstract IClientFactory Factory { get; }

    /// <summary>True for the in-process implementation (where keys and values are slices of the read buffer).</summary>
    public abstract bool IsEmbedded { get; }

    public abstract ValueTask DisposeAsync();
}

/// <summary>Embedded clients over a LogManager in a temporary directory.</summary>
public sealed class EmbeddedCluster : ClientCluster
{
    private readonly TempDir _dir;
    private readonly LogManager _log;

    private EmbeddedCluster(TempDir dir, LogManager log, EmbeddedClientFactory factory)
    {
        _dir = dir;
        _log = log;
        EmbeddedFactory = factory;
    }

    public EmbeddedClientFactory EmbeddedFactory { get; }

    public LogManager Log => _log;

    public override IClientFactory Factory => EmbeddedFactory;

    public override bool IsEmbedded => true;

    public static async Task<EmbeddedCluster> StartAsync(bool autoCreateTopics = true, TimeProvider? time = null)
    {
        var dir = new TempDir();
        var log = await LogManager.OpenAsync(new StorageOptions { LogDirs = [dir.Path], RunBackgroundTasks = false }, timeProvider: time);
        var factory = new EmbeddedClientFactory(log, new EmbeddedClientOptions { AutoCreateTopics = autoCreateTopics, DefaultPartitions = 2, TimeProvider = time ?? TimeProvider.System });
        return new EmbeddedCluster(dir, log, factory);
    }

    public override async ValueTask DisposeAsync()
    {
        await _log.DisposeAsync();
        _dir.Dispose();
    }
}

/// <summary>A temporary directory removed at dispose.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "rhei-client-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>A consumed record copied out of the poll that returned it.</summary>
public sealed record Received(string Topic, int Partition, long Offset, long Timestamp, TimestampType TimestampType, byte[]? Key, byte[]? Value, IReadOnlyList<(string Key, byte[]? Value)> Headers)
{
    public string? KeyText => Key is null ? null : Encoding.UTF8.GetString(Key);

    public string? ValueText => Value is null ? null : Encoding.UTF8.GetString(Value);

    public static Received Copy(ConsumedRecord r) => new(
        r.Topic,
        r.Partition,
        r.Offset,
        r.Timestamp,
        r.TimestampType,
        r.Key?.ToArray(),
        r.Value?.ToArray(),
        [.. r.Headers.Select(h => (h.Key, h.Value?.ToArray()))]);
}

public static class TestHelpers
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);

    public static string UniqueTopic(string prefix = "t") => $"{prefix}-{Guid.NewGuid():N}";

    public static async Task CreateTopicAsync(this IClientFactory factory, string topic, int partitions)
    {
        await using var admin = factory.CreateAdmin();
        await admin.CreateTopicsAsync([new TopicSpec(topic, partitions)]);
    }

    public static ProducerOptions FastProducer => new() { LingerMs = 1 };

    /// <summary>Polls until <paramref name="count"/> records arrived (copied), failing after <see cref="Patience"/>.</summary>
    public static async Task<List<Received>> ConsumeAsync(this IConsumer consumer, int count, TimeSpan? patience = null)
    {
        var result = new List<Received>();
        var deadline = DateTime.UtcNow + (patience ?? Patience);
        while (result.Count < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Only {result.Count} of {count} records arrived in time.");
            foreach (var r in await consumer.PollAsync(TimeSpan.FromMilliseconds(200)))
            {
                result.Add(Received.Copy(r));
            }
        }

        return result;
    }

    /// <summary>Polls for a while and returns whatever arrived (to show that nothing does).</summary>
    public static async Task<List<Received>> DrainAsync(this IConsumer consumer, TimeSpan duration)
    {
        var result = new List<Received>();
        var deadline = DateTime.UtcNow + duration;
        while (DateTime.UtcNow < deadline)
        {
            foreach (var r in await consumer.PollAsync(TimeSpan.FromMilliseconds(100)))
            {
                result.Add(Received.Copy(r));
            }
        }

        return result;
    }

    /// <summary>Waits until <paramref name="condition"/> holds, failing after <see cref="Patience"/>.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for: {what}");
            await Task.Delay(20);
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds, failing after <see cref="Patience"/>.</summary>
    public static async Task EventuallyAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for: {what}");
            await Task.Delay(20);
        }
    }
}
