namespace Rhei.Configuration;

/// <summary>The layer (project) that reads a setting. Shown in the documentation as "Used by".</summary>
public enum RheiLayer
{
    Storage,
    Broker,
    Client,
    Formats,
    Streams,
    Sql,
    Connect,
    Engine,
    Server,
    Cli,
}
