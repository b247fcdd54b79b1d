using Rhei.Connect.Runtime;
using Rhei.Connect.Tests.Support;

namespace Rhei.Connect.Tests.Files;

public sealed class FileStreamTests
{
    [Fact]
    public async Task Lines_go_to_a_topic_and_back_to_a_file_and_a_restart_resumes_after_the_last_line()
    {
        using var dir = new TempDir();
        await File.WriteAllTextAsync(dir.File("in.txt"), "one\ntwo\npartial");
        await using var cluster = await Cluster.StartAsync();
        var source = new Dictionary<string, string>
        {
            ["connector.class"] = "FileStreamSource",
            ["file"] = dir.File("in.txt"),
            ["topic"] = "lines",
            ["poll.interval.ms"] = "50",
            ["value.converter"] = "org.apache.kafka.connect.storage.StringConverter",
        };
        await cluster.Runtime.CreateAsync("in", source);
        await cluster.Runtime.CreateAsync("out", new Dictionary<string, string>
        {
            ["connector.class"] = "org.apache.kafka.connect.file.FileStreamSinkConnector",
            ["file"] = dir.File("out.txt"),
            ["topics"] = "lines",
            ["value.converter"] = "org.apache.kafka.connect.storage.StringConverter",
        });
        Assert.Equal(["one", "two"], (await cluster.ReadAsync("lines", 2)).Select(r => r.ValueText));

        await File.AppendAllTextAsync(dir.File("in.txt"), " line\nthree\n");
        Assert.Equal(["one", "two", "partial line", "three"], (await cluster.ReadAsync("lines", 4)).Select(r => r.ValueText));
        await Eventually.WaitAsync(() => File.Exists(dir.File("out.txt")) ? File.ReadAllText(dir.File("out.txt")) : "",
            t => t == "one\ntwo\npartial line\nthree\n", "the sink file");

        await cluster.RestartRuntimeAsync();
        await File.AppendAllTextAsync(dir.File("in.txt"), "four\n");
        await cluster.Runtime.CreateAsync("in", source);
        await Eventually.StateAsync(cluster.Runtime, "in", ConnectorState.Running);
        Assert.Equal(["one", "two", "partial line", "three", "four"], (await cluster.ReadAsync("lines", 5)).Select(r => r.ValueText));
    }
}
