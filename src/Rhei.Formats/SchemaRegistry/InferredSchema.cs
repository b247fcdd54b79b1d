using Rhei.Formats.Serde;

namespace Rhei.Formats.SchemaRegistry;

/// <summary>Columns inferred from a registered schema, with the schema's id (keep it as KEY_/VALUE_SCHEMA_ID to pin the schema).</summary>
public sealed record InferredSchema(SerdeSchema Columns, int SchemaId, SchemaDefinition Definition);
