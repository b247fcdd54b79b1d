using Confluent.Kafka;
using Rhei.Broker.Tests.Support;
using Rhei.Storage;

namespace Rhei.Broker.Tests;

/// <summary><c>rhei server</c> as a process: it serves Kafka clients, and SIGTERM shuts it down cleanly.</summary>
public sealed class ServerProcessTests
{
    [Fact]
    public async Task Rhei_server_serves_clients_and_stops_cleanly_on_sigterm()
    {
        using var data = new TempDirectory();
        var port = TestBroker.FreePort();
        await using var server = await RheiProcess.StartAsync(data.Path, port, "num.partitions=2");
        var clients = new Clients($"127.0.0.1:{port}");
        using (var producer = clients.Producer<Null, string>())
        {
            for (var i = 0; i < 100; i++)
            {
                producer.Produce("process-topic", new Message<Null, string> { Value = $"p{i}" });
            }

            Assert.Equal(0, producer.Flush(Clients.Guard));
        }

        Assert.Equal(0, await server.TerminateAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("rhei server: stopped", server.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(data.Path, LogManager.CleanShutdownFile)), server.Output);

        // The data is there for the next start (in-process this time), and the topic kept its two partitions.
        await using var broker = await TestBroker.StartAsync(dataDir: data.Path);
        Assert.True(broker.Storage.WasCleanStart);
        Assert.Equal(2, broker.Storage.DescribeTopic("process-topic")!.PartitionCount);
        Assert.Equal(100, broker.Storage.GetPartitions("process-topic").Sum(p => p.HighWatermark));
    }

    [Fact]
    public async Task A_port_in_use_is_reported_and_the_process_exits_with_an_error()
    {
        using var data = new TempDirectory();
        await using var broker = await TestBroker.StartAsync();
        var start = new System.Diagnostics.ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet");
        var result = await ExternalTool.RunAsync(start.FileName,
            [Path.Combine(AppContext.BaseDirectory, "rhei.dll"), "server", "--set", $"log.dirs={data.Path}", "--set", $"listeners=PLAINTEXT://127.0.0.1:{broker.Port}"]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("could not start", result.Output, StringComparison.Ordinal);
    }
}
