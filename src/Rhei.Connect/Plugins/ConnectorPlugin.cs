namespace Rhei.Connect.Plugins;

/// <summary>
/// A connector class the runtime can run: its class name (Kafka Connect's, as users write it in
/// <c>connector.class</c>), the other names it answers to, kind, version and factory.
/// </summary>
public sealed record ConnectorPlugin(string ClassName, ConnectorKind Kind, string Version, IReadOnlyList<string> Aliases, string Description, Func<Connector> Factory)
{
    /// <summary>True when <paramref name="name"/> is the class name or an alias (case-insensitive).</summary>
    public bool Matches(string name) =>
        string.Equals(ClassName, name, StringComparison.OrdinalIgnoreCase)
        || Aliases.Any(a => string.Equals(a, name, StringComparison.OrdinalIgnoreCase));
}
