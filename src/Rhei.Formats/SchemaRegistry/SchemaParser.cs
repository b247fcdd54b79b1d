using Rhei.Formats.Avro;
using Rhei.Formats.JsonSchema;
using Rhei.Formats.Protobuf;

namespace Rhei.Formats.SchemaRegistry;

/// <summary>Parses and validates schemas of every <see cref="SchemaType"/>.</summary>
public static class SchemaParser
{
    /// <summary>
    /// Parses <paramref name="definition"/>, resolving its references with <paramref name="resolve"/> (which returns
    /// the referenced definition, or null when it is not registered).
    /// </summary>
    /// <exception cref="SchemaRegistryException">42201: the schema or a reference is not valid.</exception>
    public static ParsedSchema Parse(SchemaDefinition definition, Func<SchemaReference, SchemaDefinition?>? resolve = null)
    {
        var references = new List<(SchemaReference Reference, SchemaDefinition Definition)>(definition.References.Count);
        foreach (var reference in definition.References)
        {
            var resolved = resolve?.Invoke(reference)
                ?? throw SchemaRegistryException.InvalidSchema(
                    $"Invalid schema: the reference '{reference.Name}' to subject '{reference.Subject}' version {reference.Version} is not registered");
            references.Add((reference, resolved));
        }

        try
        {
            return definition.Type switch
            {
                SchemaType.Avro => AvroParsedSchema.Parse(definition.Schema, references, resolve),
                SchemaType.Protobuf => ProtobufParsedSchema.Parse(definition.Schema, references, resolve),
                SchemaType.Json => JsonParsedSchema.Parse(definition.Schema),
                _ => throw new ArgumentOutOfRangeException(nameof(definition)),
            };
        }
        catch (SchemaRegistryException)
        {
            throw;
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            throw SchemaRegistryException.InvalidSchema($"Invalid schema {definition.Schema}, details: {e.Message}");
        }
    }
}
