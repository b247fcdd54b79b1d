using static Rhei.Configuration.Tests.TestSupport;

namespace Rhei.Configuration.Tests;

public class EnvironmentVariableTests
{
    [Theory]
    [InlineData("log.dirs", "RHEI_LOG_DIRS")]
    [InlineData("rhei.service.id", "RHEI_RHEI_SERVICE_ID")]
    [InlineData("ksql.functions.collect_list.limit", "RHEI_KSQL_FUNCTIONS_COLLECT__LIST_LIMIT")]
    [InlineData("a-b.c", "RHEI_A___B_C")]
    public void Names_map_to_variables_and_back(string name, string variable)
    {
        Assert.Equal(variable, EnvironmentVariables.ToVariable(name));
        Assert.True(EnvironmentVariables.TryToName(variable, out var back, out _));
        Assert.Equal(name, back);
    }

    [Fact]
    public void Every_defined_name_and_alias_round_trips()
    {
        foreach (var name in RheiSettings.Definition.Keys.SelectMany(k => k.Aliases.Prepend(k.Name)))
        {
            Assert.True(EnvironmentVariables.TryToName(EnvironmentVariables.ToVariable(name), out var back, out _));
            Assert.Equal(name, back);
        }
    }

    [Fact]
    public void Variables_without_the_prefix_and_tool_variables_are_ignored()
    {
        Assert.False(EnvironmentVariables.TryToName("PATH", out _, out var e1));
        Assert.Null(e1);
        Assert.False(EnvironmentVariables.TryToName("RHEI_SHARED_DIR", out _, out var e2));
        Assert.Null(e2);
        var config = new RheiConfigBuilder()
            .AddEnvironment(Env(("PATH", "/bin"), ("RHEI_SHARED_DIR", "/work/shared"), ("KSQL_KSQL_SERVICE_ID", "x")))
            .Build();
        Assert.Equal("default_", config.ServiceId);
    }

    [Fact]
    public void Environment_sets_typed_values()
    {
        var config = new RheiConfigBuilder()
            .AddEnvironment(Env(
                ("RHEI_LOG_DIRS", "/a,/b"),
                ("RHEI_AUTO_CREATE_TOPICS_ENABLE", "FALSE"),
                ("RHEI_KSQL_FUNCTIONS_COLLECT__LIST_LIMIT", "10"),
                ("RHEI_KSQL_SERVICE_ID", "env_")))
            .Build();
        Assert.Equal(["/a", "/b"], config.LogDirs);
        Assert.False(config.GetBoolean(RheiSettings.AutoCreateTopicsEnable));
        Assert.Equal(10, config.GetInt(RheiSettings.CollectListLimit));
        Assert.Equal("env_", config.ServiceId);
    }

    [Fact]
    public void Unknown_rhei_variable_is_an_error_naming_the_variable()
    {
        var error = SingleError(new RheiConfigBuilder().AddEnvironment(Env(("RHEI_LOG_DIRZ", "/x"))));
        Assert.Equal("log.dirz", error.Name);
        Assert.Contains("environment variable RHEI_LOG_DIRZ", error.Message, StringComparison.Ordinal);
        Assert.Contains("'log.dirs'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Four_underscores_are_an_error()
    {
        var error = SingleError(new RheiConfigBuilder().AddEnvironment(Env(("RHEI_A____B", "1"))));
        Assert.Contains("RHEI_A____B", error.Message, StringComparison.Ordinal);
    }
}
