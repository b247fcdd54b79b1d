using Rhei.Broker.Tests.Support;

namespace Rhei.Broker.Tests;

/// <summary>kafka-python 2.0.2 (Debian's, run with /usr/bin/python3): ApiVersions v0 + Metadata v0 probe, fixed old versions, groups.</summary>
public sealed class KafkaPythonTests
{
    [Fact]
    public async Task Produces_and_consumes_without_a_group()
    {
        await ExternalTool.RequireKafkaPythonAsync();
        await using var broker = await TestBroker.StartAsync();
        var script = $$"""
            from kafka import KafkaProducer, KafkaConsumer, TopicPartition
            b = '{{broker.BootstrapServers}}'
            p = KafkaProducer(bootstrap_servers=b, acks='all', linger_ms=5)
            for i in range(1000):
                p.send('py-plain', key=b'k%d' % (i % 5), value=b'value-%d' % i)
            p.flush()
            p.close()
            c = KafkaConsumer(bootstrap_servers=b, auto_offset_reset='earliest', enable_auto_commit=False, consumer_timeout_ms=5000)
            tp = TopicPartition('py-plain', 0)
            c.assign([tp])
            c.seek_to_beginning(tp)
            got = [m.value.decode() for m in c]
            print(len(got))
            print(','.join(got[:3]))
            print(c.end_offsets([tp])[tp])
            c.close()
            """;
        var result = await ExternalTool.RunPythonAsync(script);
        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("1000", lines[0]);
        Assert.Equal("value-0,value-1,value-2", lines[1]);
        Assert.Equal("1000", lines[2]);
    }

    [Fact]
    public async Task A_group_consumer_commits_and_a_second_one_resumes_with_gzip_batches()
    {
        await ExternalTool.RequireKafkaPythonAsync();
        await using var broker = await TestBroker.StartAsync(tweakBroker: o => o with { NumPartitions = 3 });
        var script = $$"""
            from kafka import KafkaProducer, KafkaConsumer
            from kafka.admin import KafkaAdminClient
            b = '{{broker.BootstrapServers}}'
            p = KafkaProducer(bootstrap_servers=b, compression_type='gzip', acks=1)
            for i in range(300):
                p.send('py-group', value=b'first-%d' % i)
            p.flush()
            c = KafkaConsumer('py-group', bootstrap_servers=b, group_id='py-readers', auto_offset_reset='earliest',
                              enable_auto_commit=False, consumer_timeout_ms=8000)
            first = [m.value.decode() for m in c]
            c.commit()
            c.close()
            for i in range(20):
                p.send('py-group', value=b'second-%d' % i)
            p.flush()
            p.close()
            c = KafkaConsumer('py-group', bootstrap_servers=b, group_id='py-readers', auto_offset_reset='earliest',
                              enable_auto_commit=False, consumer_timeout_ms=8000)
            second = [m.value.decode() for m in c]
            c.close()
            print(len(first), len(set(first)))
            print(len(second), sorted(second) == sorted('second-%d' % i for i in range(20)))
            a = KafkaAdminClient(bootstrap_servers=b)
            print(dict(a.list_consumer_groups())['py-readers'])
            a.close()
            """;
        var result = await ExternalTool.RunPythonAsync(script, TimeSpan.FromSeconds(120));
        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("300 300", lines[0]);
        Assert.Equal("20 True", lines[1]);
        Assert.Equal("consumer", lines[2]);
        Assert.Equal(3, broker.Storage.DescribeTopic("py-group")!.PartitionCount);
    }
}
