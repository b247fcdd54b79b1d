using Avro;
using Rhei.Formats.SchemaRegistry;

namespace Rhei.Formats.Avro;

/// <summary>An Avro schema parsed with Apache.Avro (named types of referenced schemas resolved), with the Avro resolution rules as compatibility.</summary>
public sealed class AvroParsedSchema : ParsedSchema
{
    private AvroParsedSchema(Schema schema)
    {
        Schema = schema;
        Canonical = schema.ToString();
    }

    public Schema Schema { get; }

    public override SchemaType Type => SchemaType.Avro;

    public override string Canonical { get; }

    public static AvroParsedSchema Parse(string text) => Parse(text, [], null);

    internal static AvroParsedSchema Parse(
        string text,
        IReadOnlyList<(SchemaReference Reference, SchemaDefinition Definition)> references,
        Func<SchemaReference, SchemaDefinition?>? resolve)
    {
        if (references.Count == 0)
        {
            return new AvroParsedSchema(CheckNames(Schema.Parse(text)));
        }

        var names = new SchemaNames();
        foreach (var (_, definition) in references)
        {
            AddNames(names, definition, resolve, depth: 0);
        }

        return new AvroParsedSchema(CheckNames(Schema.Parse(text, names, null)));
    }

    public override IReadOnlyList<string> FindReadProblems(ParsedSchema writer) =>
        writer is AvroParsedSchema w ? AvroCompatibility.FindReadProblems(Schema, w.Schema) : ["errorType:'TYPE_MISMATCH', description:'The writer schema is not Avro'"];

    public override string ToString() => Canonical;

    private static void AddNames(SchemaNames names, SchemaDefinition definition, Func<SchemaReference, SchemaDefinition?>? resolve, int depth)
    {
        if (depth > 32)
        {
            throw new InvalidOperationException("Schema references are nested too deeply (or form a cycle).");
        }

        foreach (var nested in definition.References)
        {
            var resolved = resolve?.Invoke(nested) ?? throw new InvalidOperationException($"The reference '{nested.Name}' is not registered.");
            AddNames(names, resolved, resolve, depth + 1);
        }

        var schema = Schema.Parse(definition.Schema, names, null);
        if (schema is NamedSchema named && !names.Contains(named.SchemaName))
        {
            names.Add(named);
        }
    }

    /// <summary>Rejects names Avro's specification does not allow (Apache.Avro for .NET is lenient about some).</summary>
    private static Schema CheckNames(Schema schema)
    {
        var seen = new HashSet<Schema>(ReferenceEqualityComparer.Instance);
        Visit(schema);
        return schema;

        void Visit(Schema s)
        {
            if (!seen.Add(s))
            {
                return;
            }

            switch (s)
            {
                case RecordSchema r:
                    AvroNames.Validate(r.Name);
                    foreach (var f in r.Fields)
                    {
                        AvroNames.Validate(f.Name);
                        Visit(f.Schema);
                    }

                    break;
                case EnumSchema e:
                    AvroNames.Validate(e.Name);
                    break;
                case ArraySchema a:
                    Visit(a.ItemSchema);
                    break;
                case MapSchema m:
                    Visit(m.ValueSchema);
                    break;
                case UnionSchema u:
                    foreach (var b in u.Schemas)
                    {
                        Visit(b);
                    }

                    break;
                case LogicalSchema l:
                    Visit(l.BaseSchema);
                    break;
            }
        }
    }
}
