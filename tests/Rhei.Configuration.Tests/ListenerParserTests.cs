namespace Rhei.Configuration.Tests;

public class ListenerParserTests
{
    private static IReadOnlyList<ListenerEndpoint> Parse(string text)
    {
        Assert.True(ListenerParser.TryParse(text, out var listeners, out var error), error);
        return listeners;
    }

    private static string Fail(string text)
    {
        Assert.False(ListenerParser.TryParse(text, out _, out var error));
        return error!;
    }

    [Fact]
    public void Default_listeners_parse_into_kafka_and_http()
    {
        var listeners = RheiConfig.Defaults.Listeners;
        Assert.Equal(
            [new ListenerEndpoint("PLAINTEXT", ListenerProtocol.Plaintext, "127.0.0.1", 9092), new ListenerEndpoint("HTTP", ListenerProtocol.Http, "127.0.0.1", 8088)],
            listeners);
        Assert.True(listeners[0].IsKafka);
        Assert.False(listeners[1].IsKafka);
    }

    [Fact]
    public void Names_are_case_insensitive_and_upper_cased()
    {
        var listener = Assert.Single(Parse("http://0.0.0.0:8088"));
        Assert.Equal("HTTP", listener.Name);
        Assert.Equal(ListenerProtocol.Http, listener.Protocol);
        Assert.True(listener.IsWildcardHost);
    }

    [Fact]
    public void Ipv6_empty_host_port_zero_and_sasl()
    {
        var listeners = Parse(" PLAINTEXT://[::1]:0 , SASL_PLAINTEXT://:9094,HTTP://[::]:8088 ");
        Assert.Equal("::1", listeners[0].Host);
        Assert.Equal(0, listeners[0].Port);
        Assert.Equal("PLAINTEXT://[::1]:0", listeners[0].ToString());
        Assert.Equal(ListenerProtocol.SaslPlaintext, listeners[1].Protocol);
        Assert.Equal("", listeners[1].Host);
        Assert.True(listeners[1].IsWildcardHost);
        Assert.Equal("::", listeners[2].Host);
    }

    [Fact]
    public void Empty_text_is_no_listeners()
    {
        Assert.Empty(Parse(""));
    }

    [Fact]
    public void Two_port_zero_listeners_are_allowed()
    {
        Assert.Equal(2, Parse("PLAINTEXT://127.0.0.1:0,HTTP://127.0.0.1:0").Count);
    }

    [Theory]
    [InlineData("PLAINTEXT://a:1,PLAINTEXT://b:2", "appears more than once")]
    [InlineData("PLAINTEXT://a:1,HTTP://a:1", "port 1 is used by more than one listener")]
    [InlineData("PLAINTEXT://a:65536", "invalid port")]
    [InlineData("PLAINTEXT://a:-1", "invalid port")]
    [InlineData("PLAINTEXT://a:x", "invalid port")]
    [InlineData("PLAINTEXT://a", "no port")]
    [InlineData("localhost:9092", "not NAME://host:port")]
    [InlineData("SSL://a:1", "not supported")]
    [InlineData("PLAINTEXT://[::1:9092", "IPv6")]
    [InlineData("PLAINTEXT://::1:9092", "invalid host")]
    [InlineData("PLAINTEXT://bad host:9092", "invalid host")]
    [InlineData("PLAINTEXT://a:1,", "not NAME://host:port")]
    public void Malformed_listeners_say_what_is_wrong(string text, string expected)
    {
        Assert.Contains(expected, Fail(text), StringComparison.Ordinal);
    }
}
