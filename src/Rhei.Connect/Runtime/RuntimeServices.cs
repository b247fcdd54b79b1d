using Microsoft.Extensions.Logging;
using Rhei.Client;
using Rhei.Formats.Serde;

namespace Rhei.Connect.Runtime;

/// <summary>What the runtime's workers share.</summary>
internal sealed record RuntimeServices(
    IClientFactory Clients,
    FormatRegistry Formats,
    ILoggerFactory LoggerFactory,
    TimeProvider Time,
    ConnectorRuntimeOptions Options,
    OffsetStore Offsets);
