using Rhei.Storage;

namespace Rhei.Client.Embedded;

/// <summary>
/// Makes in-process clients straight on a <see cref="LogManager"/>: no sockets, no copies on the read
/// path. Consumer groups of these clients are coordinated in memory by this factory (committed offsets are
/// persisted by the storage's <c>__consumer_offsets</c>), so consumers of one group must come from the same
/// factory: make one factory per log manager and share it.
/// </summary>
public sealed class EmbeddedClientFactory : IClientFactory
{
    public EmbeddedClientFactory(LogManager logManager, EmbeddedClientOptions? options = null)
    {
        LogManager = logManager;
        Options = options ?? new EmbeddedClientOptions();
        Groups = new EmbeddedGroupCoordinator(logManager, Options.TimeProvider);
    }

    public LogManager LogManager { get; }

    public EmbeddedClientOptions Options { get; }

    /// <summary>The in-process group coordinator of this factory's consumers.</summary>
    public EmbeddedGroupCoordinator Groups { get; }

    public IProducer CreateProducer(ProducerOptions options) => new EmbeddedProducer(LogManager, options, Options);

    public IConsumer CreateConsumer(ConsumerOptions options) => new EmbeddedConsumer(LogManager, Groups, options, Options);

    public IAdmin CreateAdmin() => new EmbeddedAdmin(LogManager, Groups, Options);
}
