namespace Rhei.Connect.Plugins;

/// <summary>Which way a connector moves data: into topics (source) or out of them (sink).</summary>
public enum ConnectorKind
{
    Source,
    Sink,
}
