using Rhei.Client.Tests.Contract;

namespace Rhei.Client.Tests.Kafka;

/// <summary>The contract suite against the Kafka implementation (Confluent.Kafka) talking to an in-process Rhei broker.</summary>
public sealed class KafkaProduceConsumeTests : ProduceConsumeContract
{
    protected override async Task<ClientCluster> StartAsync(bool autoCreateTopics) => await RheiBrokerCluster.StartAsync(autoCreateTopics);
}

public sealed class KafkaGroupTests : GroupContract
{
    protected override async Task<ClientCluster> StartAsync() => await RheiBrokerCluster.StartAsync();
}

public sealed class KafkaAdminTests : AdminContract
{
    protected override async Task<ClientCluster> StartAsync() => await RheiBrokerCluster.StartAsync();
}
