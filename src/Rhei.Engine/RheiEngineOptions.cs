using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Rhei.Client;
using Rhei.Connect.Runtime;
using Rhei.Engine.Runtime;
using Rhei.Engine.Topics;
using Rhei.Formats.Serde;
using Rhei.Sql.Functions;

namespace Rhei.Engine;

/// <summary>How a <see cref="RheiEngine"/> is set up.</summary>
public sealed record RheiEngineOptions
{
    /// <summary>ksql.service.id: prefixes query application ids and internal topics.</summary>
    public string ServiceId { get; init; } = "default_";

    /// <summary>Server configuration (<c>ksql.*</c>, streams properties); statements can override per request.</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();

    /// <summary>The clients queries and topic operations use (embedded by default in the server).</summary>
    public IClientFactory? ClientFactory { get; init; }

    /// <summary>Topic operations; defaults to an admin client of <see cref="ClientFactory"/>.</summary>
    public TopicClient? Topics { get; init; }

    /// <summary>Where persistent queries run; defaults to streams applications on <see cref="ClientFactory"/>.</summary>
    public QueryRuntime? Runtime { get; init; }

    /// <summary>
    /// Whether statements that change the metastore go to the command topic (<c>_rhei_&lt;service id&gt;_command_topic</c>)
    /// and are replayed on start. Needs <see cref="ClientFactory"/>; without one commands are numbered in memory only.
    /// </summary>
    public bool UseCommandTopic { get; init; } = true;

    /// <summary>
    /// How often the engine looks for commands other nodes (same service id, same cluster) appended to the command
    /// topic, and runs them; <see cref="TimeSpan.Zero"/> turns the follower off (commands of other nodes then run only
    /// before this engine's next command). A request with a <c>commandSequenceNumber</c> it has not reached wakes it at once.
    /// </summary>
    public TimeSpan CommandFollowInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// How long a command another node wrote waits for that node's completed or failed marker before it runs here
    /// anyway (the writer stopped while running it).
    /// </summary>
    public TimeSpan CommandOutcomeTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Where CREATE SOURCE|SINK CONNECTOR runs connectors; defaults to a runtime on <see cref="ClientFactory"/> (none
    /// without clients: connector statements then fail, everything else works).
    /// </summary>
    public ConnectorRuntime? Connectors { get; init; }

    /// <summary>Settings of the default connector runtime (offsets topic, retry backoff).</summary>
    public ConnectorRuntimeOptions? ConnectorOptions { get; init; }

    public FunctionRegistry? Functions { get; init; }

    public FormatRegistry? Formats { get; init; }

    /// <summary>state.dir for the queries' stores.</summary>
    public string? StateDirectory { get; init; }

    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
