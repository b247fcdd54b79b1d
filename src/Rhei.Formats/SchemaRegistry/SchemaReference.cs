namespace Rhei.Formats.SchemaRegistry;

/// <summary>
/// A reference from one schema to another registered schema: the name the referring schema uses for it (a
/// Protobuf import path, an Avro full name, a JSON Schema <c>$ref</c> URL) and where it is registered.
/// </summary>
public sealed record SchemaReference(string Name, string Subject, int Version);
