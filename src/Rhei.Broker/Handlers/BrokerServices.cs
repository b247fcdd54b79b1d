using Microsoft.Extensions.Logging;
using Rhei.Broker.Cluster;
using Rhei.Broker.Diagnostics;
using Rhei.Broker.Groups;
using Rhei.Broker.Producers;
using Rhei.Storage;

namespace Rhei.Broker.Handlers;

/// <summary>What request handlers work with: storage, the broker's options and identity, the group coordinator, producer ids, metrics, logging, time.</summary>
internal sealed record BrokerServices(
    LogManager Storage,
    BrokerOptions Options,
    ClusterInfo Cluster,
    GroupCoordinator Groups,
    ProducerIdManager ProducerIds,
    BrokerMetrics Metrics,
    ILogger Logger,
    TimeProvider Time)
{
    public long NowMs => Time.GetUtcNow().ToUnixTimeMilliseconds();
}
