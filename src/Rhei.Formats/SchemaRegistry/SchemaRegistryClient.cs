using System.Collections.Concurrent;

namespace Rhei.Formats.SchemaRegistry;

/// <summary>
/// What the schema-registry formats need from a registry: the embedded store
/// (<see cref="EmbeddedSchemaRegistryClient"/>) or Confluent's REST API (<see cref="HttpSchemaRegistryClient"/>,
/// <c>ksql.schema.registry.url</c>). The lookups a serde makes while it runs (a schema by id, a schema's id in a
/// subject) are synchronous and cached here; statement-time operations (inference, registration, compatibility) are
/// asynchronous.
/// </summary>
public abstract class SchemaRegistryClient
{
    private readonly ConcurrentDictionary<int, ParsedSchema> _parsedById = new();
    private readonly ConcurrentDictionary<(string Subject, int Version), SchemaDefinition> _versions = new();

    /// <summary>The definition with this id.</summary>
    /// <exception cref="SchemaRegistryException">40403 when there is none.</exception>
    public abstract SchemaDefinition GetSchemaById(int id);

    /// <summary>A subject's version (-1 latest), synchronously (used to resolve references).</summary>
    public abstract RegisteredSchema GetVersion(string subject, int version);

    /// <summary>The live version of a subject that has this definition, or null.</summary>
    public abstract RegisteredSchema? TryLookup(string subject, SchemaDefinition definition);

    /// <summary>The latest live version of a subject, or null when the subject has none.</summary>
    public abstract ValueTask<RegisteredSchema?> GetLatestAsync(string subject, CancellationToken cancellationToken = default);

    /// <summary>Registers (or finds) a definition under a subject; returns the version with its id.</summary>
    /// <exception cref="SchemaRegistryException">409 when the subject's rule rejects it, 42201 when it is not valid.</exception>
    public abstract ValueTask<RegisteredSchema> RegisterAsync(string subject, SchemaDefinition definition, CancellationToken cancellationToken = default);

    /// <summary>Why the definition would be rejected by the subject's rule (empty when it would be accepted).</summary>
    public abstract ValueTask<IReadOnlyList<string>> CheckCompatibilityAsync(string subject, SchemaDefinition definition, CancellationToken cancellationToken = default);

    /// <summary>The rule that applies to a subject.</summary>
    public abstract ValueTask<CompatibilityLevel> GetCompatibilityAsync(string subject, CancellationToken cancellationToken = default);

    public abstract ValueTask<IReadOnlyList<string>> GetSubjectsAsync(CancellationToken cancellationToken = default);

    /// <summary>The parsed schema of an id, with its references resolved (parsed once per id).</summary>
    public ParsedSchema GetParsedSchema(int id) =>
        _parsedById.GetOrAdd(id, static (i, self) => self.Parse(self.GetSchemaById(i)), this);

    /// <summary>Parses a definition, resolving references through this client.</summary>
    public ParsedSchema Parse(SchemaDefinition definition) =>
        SchemaParser.Parse(definition, r => _versions.GetOrAdd((r.Subject, r.Version), static (k, self) => self.GetVersion(k.Subject, k.Version).Definition, this));

    /// <summary>The subject of a topic's keys or values (TopicNameStrategy): <c>topic-key</c>, <c>topic-value</c>.</summary>
    public static string Subject(string topic, bool isKey) => topic + (isKey ? "-key" : "-value");
}
