namespace Rhei.Formats.SchemaRegistry;

/// <summary>A client that calls a <see cref="SchemaStore"/> in the same process.</summary>
public sealed class EmbeddedSchemaRegistryClient(SchemaStore store) : SchemaRegistryClient
{
    public SchemaStore Store { get; } = store;

    public override SchemaDefinition GetSchemaById(int id) => Store.GetById(id);

    public override RegisteredSchema GetVersion(string subject, int version) => Store.GetVersion(subject, version, includeDeleted: true);

    public override RegisteredSchema? TryLookup(string subject, SchemaDefinition definition)
    {
        try
        {
            return Store.Lookup(subject, definition);
        }
        catch (SchemaRegistryException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public override ValueTask<RegisteredSchema?> GetLatestAsync(string subject, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Store.TryGetLatest(subject));

    public override ValueTask<RegisteredSchema> RegisterAsync(string subject, SchemaDefinition definition, CancellationToken cancellationToken = default) =>
        Store.RegisterAsync(subject, definition, cancellationToken: cancellationToken);

    public override ValueTask<IReadOnlyList<string>> CheckCompatibilityAsync(string subject, SchemaDefinition definition, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Store.CheckCompatibility(subject, definition));

    public override ValueTask<CompatibilityLevel> GetCompatibilityAsync(string subject, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Store.GetEffectiveCompatibility(subject));

    public override ValueTask<IReadOnlyList<string>> GetSubjectsAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Store.GetSubjects());
}
