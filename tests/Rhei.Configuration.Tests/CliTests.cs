using Rhei.Cli;
using static Rhei.Configuration.Tests.TestSupport;

namespace Rhei.Configuration.Tests;

/// <summary>The <c>rhei</c> command run in-process through its entry point, with captured output and a controlled environment.</summary>
public class CliTests
{
    private static async Task<(int Code, string Out, string Err)> Rhei(IReadOnlyDictionary<string, string> env, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await RheiCli.RunAsync(args, new CliContext(output, error, env, HandleTermination: false));
        return (code, output.ToString(), error.ToString());
    }

    private static Task<(int Code, string Out, string Err)> Rhei(params string[] args) => Rhei(NoEnvironment, args);

    [Fact]
    public async Task Server_with_an_unknown_key_exits_1_naming_the_key_on_stderr()
    {
        var (code, output, error) = await Rhei("server", "--set", "log.dirz=/tmp/x");
        Assert.Equal(1, code);
        Assert.Contains("log.dirz", error, StringComparison.Ordinal);
        Assert.Contains("--set log.dirz=/tmp/x", error, StringComparison.Ordinal);
        Assert.DoesNotContain("rhei server:", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_with_a_bad_key_in_the_config_file_names_file_and_line()
    {
        using var dir = new TempDir();
        var file = dir.Write("server.properties", "log.dirs=/tmp/x\nbroker.idd=1\n");
        var (code, _, error) = await Rhei("server", "--config", file);
        Assert.Equal(1, code);
        Assert.Contains("broker.idd", error, StringComparison.Ordinal);
        Assert.Contains($"{file}:2", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_with_a_bad_environment_variable_names_the_variable()
    {
        var (code, _, error) = await Rhei(Env(("RHEI_NUM_PARTITIONS", "-3")), "server");
        Assert.Equal(1, code);
        Assert.Contains("environment variable RHEI_NUM_PARTITIONS", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_with_a_missing_config_file_exits_1()
    {
        var (code, _, error) = await Rhei("server", "--config", "/nonexistent/rhei.properties");
        Assert.Equal(1, code);
        Assert.Contains("/nonexistent/rhei.properties", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Config_show_prints_effective_values_with_their_sources()
    {
        using var dir = new TempDir();
        var file = dir.Write("a.properties", "num.partitions=6\n");
        var (code, output, _) = await Rhei(Env(("RHEI_NODE_ID", "7")), "config", "show", "--config", file, "--set", "log.dirs=/srv/rhei", "--set", "producer.acks=all");
        Assert.Equal(0, code);
        var lines = output.Split('\n');
        Assert.Matches(@"^num\.partitions\s+6\s+.*a\.properties:1", lines.Single(l => l.StartsWith("num.partitions ", StringComparison.Ordinal)));
        Assert.Matches(@"^node\.id\s+7\s+environment variable RHEI_NODE_ID", lines.Single(l => l.StartsWith("node.id ", StringComparison.Ordinal)));
        Assert.Matches(@"^log\.dirs\s+/srv/rhei\s+--set log\.dirs=/srv/rhei", lines.Single(l => l.StartsWith("log.dirs ", StringComparison.Ordinal)));
        Assert.Matches(@"^message\.max\.bytes\s+1048588\s+default", lines.Single(l => l.StartsWith("message.max.bytes ", StringComparison.Ordinal)));
        Assert.Contains("(pass-through)", lines.Single(l => l.StartsWith("producer.acks ", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Config_show_changed_lists_only_non_defaults()
    {
        var (code, output, _) = await Rhei("config", "show", "--changed", "--set", "num.partitions=3");
        Assert.Equal(0, code);
        var rows = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, rows.Length);
        Assert.StartsWith("num.partitions", rows[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Config_docs_prints_the_rendered_table()
    {
        var (code, output, _) = await Rhei("config", "docs");
        Assert.Equal(0, code);
        Assert.Equal(ConfigDocs.RenderMarkdown(), output);
    }

    [Fact]
    public async Task Version_prints_the_version()
    {
        var (code, output, _) = await Rhei("version");
        Assert.Equal(0, code);
        Assert.StartsWith("rhei ", output, StringComparison.Ordinal);
        Assert.Contains(".NET", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_command_is_a_usage_error()
    {
        var (code, _, error) = await Rhei("frobnicate");
        Assert.NotEqual(0, code);
        Assert.Contains("frobnicate", error, StringComparison.Ordinal);
    }
}
