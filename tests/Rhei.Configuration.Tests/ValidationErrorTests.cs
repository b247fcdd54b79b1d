using static Rhei.Configuration.Tests.TestSupport;

namespace Rhei.Configuration.Tests;

/// <summary>Every error names the setting, the value, the source and what is accepted.</summary>
public class ValidationErrorTests
{
    [Fact]
    public void Unknown_key_in_a_file_names_file_and_line_and_suggests()
    {
        var error = SingleError(new RheiConfigBuilder().AddProperties("# c\nlog.dir=/x\nnum.partitons=3\n", "server.properties"));
        Assert.Equal("num.partitons", error.Name);
        Assert.Equal("server.properties:3", error.Source.Location);
        Assert.Contains("Unknown setting 'num.partitons'", error.Message, StringComparison.Ordinal);
        Assert.Contains("server.properties:3", error.Message, StringComparison.Ordinal);
        Assert.Contains("Did you mean 'num.partitions'?", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_key_from_set_names_the_argument()
    {
        var error = SingleError(new RheiConfigBuilder().AddSetArgument("no.such.thing=1"));
        Assert.Equal("no.such.thing", error.Name);
        Assert.Contains("--set no.such.thing=1", error.Message, StringComparison.Ordinal);
        Assert.Contains("ksql.streams.*", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("num.partitions", "abc", "32-bit integer")]
    [InlineData("num.partitions", "0", "at least 1")]
    [InlineData("log.segment.bytes", "99999999999", "32-bit integer")]
    [InlineData("log.retention.bytes", "-2", "at least -1")]
    [InlineData("auto.create.topics.enable", "yes", "true or false")]
    [InlineData("log.cleaner.min.cleanable.ratio", "1.5", "between 0 and 1")]
    [InlineData("log.cleanup.policy", "delete,shred", "delete, compact")]
    [InlineData("ksql.streams.auto.offset.reset", "EARLIEST", "earliest, latest")]
    [InlineData("bootstrap.servers", "kafka:notaport", "host:port")]
    [InlineData("rhei.service.id", "has space", "letters, digits")]
    [InlineData("ksql.schema.registry.url", "ftp://x", "http://")]
    [InlineData("listeners", "PLAINTEXT://localhost:99999", "NAME://host:port")]
    [InlineData("listeners", "SSL://localhost:9093", "PLAINTEXT, SASL_PLAINTEXT, HTTP")]
    [InlineData("listeners", "PLAINTEXT://localhost", "no port")]
    [InlineData("ksql.persistence.default.format.value", "XML", "JSON")]
    public void Bad_value_error_names_key_value_source_and_what_is_accepted(string key, string value, string accepted)
    {
        var error = SingleError(new RheiConfigBuilder().AddSetArgument($"{key}={value}"));
        Assert.Equal(key, error.Name);
        Assert.Equal(value, error.Value);
        Assert.Contains($"'{key}'", error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{value}'", error.Message, StringComparison.Ordinal);
        Assert.Contains($"--set {key}={value}", error.Message, StringComparison.Ordinal);
        Assert.Contains(accepted, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_value_from_environment_names_the_variable()
    {
        var error = SingleError(new RheiConfigBuilder().AddEnvironment(Env(("RHEI_NUM_PARTITIONS", "many"))));
        Assert.Contains("environment variable RHEI_NUM_PARTITIONS", error.Message, StringComparison.Ordinal);
        Assert.Contains("'num.partitions'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_value_through_an_alias_names_both()
    {
        var error = SingleError(new RheiConfigBuilder().AddProperties("broker.id=-5", "k.properties"));
        Assert.Contains("'broker.id' (alias of 'node.id')", error.Message, StringComparison.Ordinal);
        Assert.Contains("k.properties:1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void All_problems_are_reported_together()
    {
        var errors = Errors(new RheiConfigBuilder()
            .AddProperties("num.partitions=x\nbogus=1", "f")
            .AddSetArgument("node.id=y"));
        Assert.Equal(3, errors.Count);
        var exception = Assert.Throws<ConfigException>(() => new RheiConfigBuilder().AddSetArgument("bogus=1").AddSetArgument("node.id=y").Build());
        Assert.Contains("bogus", exception.Message, StringComparison.Ordinal);
        Assert.Contains("node.id", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_file_is_an_error_naming_the_path()
    {
        var path = Path.Combine(Path.GetTempPath(), "rhei-no-such-dir", "server.properties");
        var error = SingleError(new RheiConfigBuilder().AddPropertiesFile(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Properties_syntax_error_names_file_and_line()
    {
        var error = SingleError(new RheiConfigBuilder().AddProperties("node.id=1\n\nlog.dirs=\\uZZZZ", "x.properties"));
        Assert.Equal("x.properties:3", error.Source.Location);
        Assert.StartsWith("x.properties:3:", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("novalue")]
    [InlineData("=3")]
    public void Set_argument_without_name_equals_value_is_an_error(string argument)
    {
        var error = SingleError(new RheiConfigBuilder().AddSetArgument(argument));
        Assert.Contains($"--set {argument}", error.Message, StringComparison.Ordinal);
        Assert.Contains("name=value", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Alias_and_name_with_different_values_in_one_source_conflict()
    {
        var error = SingleError(new RheiConfigBuilder().AddProperties("node.id=1\nbroker.id=2", "f"));
        Assert.Contains("'node.id' (from f:1)", error.Message, StringComparison.Ordinal);
        Assert.Contains("'broker.id' (from f:2)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Session_timeout_minimum_above_maximum_names_both_keys_and_sources()
    {
        var error = SingleError(new RheiConfigBuilder()
            .AddSetArgument("group.min.session.timeout.ms=10000")
            .AddEnvironment(Env(("RHEI_GROUP_MAX_SESSION_TIMEOUT_MS", "5000"))));
        Assert.Contains("'group.min.session.timeout.ms' = 10000 (from --set group.min.session.timeout.ms=10000)", error.Message, StringComparison.Ordinal);
        Assert.Contains("'group.max.session.timeout.ms' = 5000 (from environment variable RHEI_GROUP_MAX_SESSION_TIMEOUT_MS)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Advertised_listener_must_exist_in_listeners()
    {
        var error = SingleError(new RheiConfigBuilder()
            .AddSetArgument("advertised.listeners=SASL_PLAINTEXT://kafka.example:9094"));
        Assert.Equal("advertised.listeners", error.Name);
        Assert.Contains("SASL_PLAINTEXT is not in 'listeners'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Advertised_listener_may_not_be_a_wildcard()
    {
        var error = SingleError(new RheiConfigBuilder()
            .AddSetArgument("listeners=PLAINTEXT://0.0.0.0:9092")
            .AddSetArgument("advertised.listeners=PLAINTEXT://0.0.0.0:9092"));
        Assert.Contains("not an address a client can connect to", error.Message, StringComparison.Ordinal);
    }
}
