using Rhei.Client.Tests.Contract;

namespace Rhei.Client.Tests.Embedded;

/// <summary>The contract suite against the in-process clients over a temporary LogManager.</summary>
public sealed class EmbeddedProduceConsumeTests : ProduceConsumeContract
{
    protected override async Task<ClientCluster> StartAsync(bool autoCreateTopics) => await EmbeddedCluster.StartAsync(autoCreateTopics);
}

public sealed class EmbeddedGroupTests : GroupContract
{
    protected override async Task<ClientCluster> StartAsync() => await EmbeddedCluster.StartAsync();
}

public sealed class EmbeddedAdminTests : AdminContract
{
    protected override async Task<ClientCluster> StartAsync() => await EmbeddedCluster.StartAsync();
}
