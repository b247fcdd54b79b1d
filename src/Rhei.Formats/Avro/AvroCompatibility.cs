using Avro;

namespace Rhei.Formats.Avro;

/// <summary>
/// Avro's schema resolution rules as a compatibility check: can data written with one schema be read with another?
/// Records match by full name (or the reader's aliases, or the unqualified name); every reader field needs a writer
/// field of the same name (or alias) or a default; numeric promotions int → long → float → double and string ↔ bytes
/// are allowed; enums need the writer's symbols (unless the reader has a default); fixed sizes must agree; a writer
/// union needs every branch readable, a reader union needs one branch that reads the writer. Messages follow
/// Confluent's error types (READER_FIELD_MISSING_DEFAULT_VALUE, TYPE_MISMATCH, NAME_MISMATCH, MISSING_UNION_BRANCH,
/// MISSING_ENUM_SYMBOLS, FIXED_SIZE_MISMATCH).
/// </summary>
public static class AvroCompatibility
{
    public static IReadOnlyList<string> FindReadProblems(Schema reader, Schema writer)
    {
        var problems = new List<string>();
        Check(reader, writer, "", problems, new HashSet<(Schema, Schema)>(PairComparer.Instance));
        return problems;
    }

    public static bool CanRead(Schema reader, Schema writer) => FindReadProblems(reader, writer).Count == 0;

    private static void Check(Schema reader, Schema writer, string path, List<string> problems, HashSet<(Schema, Schema)> visiting)
    {
        if (!visiting.Add((reader, writer)))
        {
            return; // recursive types: assume compatible on the cycle
        }

        try
        {
            CheckCore(Unlogical(reader), Unlogical(writer), path, problems, visiting);
        }
        finally
        {
            visiting.Remove((reader, writer));
        }
    }

    private static void CheckCore(Schema reader, Schema writer, string path, List<string> problems, HashSet<(Schema, Schema)> visiting)
    {
        if (writer is UnionSchema writerUnion)
        {
            for (var i = 0; i < writerUnion.Schemas.Count; i++)
            {
                var branch = writerUnion.Schemas[i];
                if (reader is UnionSchema ru)
                {
                    if (!ru.Schemas.Any(r => Readable(r, branch, visiting)))
                    {
                        problems.Add(Problem("MISSING_UNION_BRANCH", $"{path}/{i}", $"The new schema is missing a type inside a union field at path '{path}/{i}' in the old schema", branch.Fullname));
                    }
                }
                else
                {
                    Check(reader, branch, $"{path}/{i}", problems, visiting);
                }
            }

            return;
        }

        if (reader is UnionSchema readerUnion)
        {
            if (!readerUnion.Schemas.Any(r => Readable(r, writer, visiting)))
            {
                problems.Add(Problem("MISSING_UNION_BRANCH", path, $"The new schema is missing a type inside a union field at path '{path}' in the old schema", writer.Fullname));
            }

            return;
        }

        if (reader.Tag != writer.Tag && !Promotes(writer.Tag, reader.Tag))
        {
            problems.Add(Problem("TYPE_MISMATCH", path, $"The type (path '{path}') of a field in the new schema does not match with the old schema", $"reader type: {reader.Tag.ToString().ToUpperInvariant()} not compatible with writer type: {writer.Tag.ToString().ToUpperInvariant()}"));
            return;
        }

        switch (reader)
        {
            case RecordSchema r when writer is RecordSchema w:
                if (!NamesMatch(r, w))
                {
                    problems.Add(Problem("NAME_MISMATCH", path + "/name", $"The name of the schema has changed (path '{path}/name')", $"expected: {w.Fullname}"));
                    return;
                }

                for (var i = 0; i < r.Fields.Count; i++)
                {
                    var rf = r.Fields[i];
                    var wf = FindWriterField(w, rf);
                    if (wf is null)
                    {
                        if (rf.DefaultValue is null)
                        {
                            problems.Add(Problem("READER_FIELD_MISSING_DEFAULT_VALUE", $"{path}/fields/{i}", $"The field '{rf.Name}' at path '{path}/fields/{i}' in the new schema has no default value and is missing in the old schema", rf.Name));
                        }
                    }
                    else
                    {
                        Check(rf.Schema, wf.Schema, $"{path}/fields/{i}/type", problems, visiting);
                    }
                }

                break;
            case EnumSchema r when writer is EnumSchema w:
                if (!NamesMatch(r, w))
                {
                    problems.Add(Problem("NAME_MISMATCH", path + "/name", $"The name of the schema has changed (path '{path}/name')", $"expected: {w.Fullname}"));
                    return;
                }

                var missing = w.Symbols.Where(s => !r.Symbols.Contains(s)).ToList();
                if (missing.Count > 0 && r.Default is null)
                {
                    problems.Add(Problem("MISSING_ENUM_SYMBOLS", path + "/symbols", $"The new schema is missing enum symbols '{string.Join(",", missing)}' at path '{path}/symbols' in the old schema", string.Join(",", missing)));
                }

                break;
            case FixedSchema r when writer is FixedSchema w:
                if (!NamesMatch(r, w))
                {
                    problems.Add(Problem("NAME_MISMATCH", path + "/name", $"The name of the schema has changed (path '{path}/name')", $"expected: {w.Fullname}"));
                }
                else if (r.Size != w.Size)
                {
                    problems.Add(Problem("FIXED_SIZE_MISMATCH", path + "/size", $"The size of FIXED type field at path '{path}/size' in the new schema does not match with the old schema", $"expected: {w.Size}, found: {r.Size}"));
                }

                break;
            case ArraySchema r when writer is ArraySchema w:
                Check(r.ItemSchema, w.ItemSchema, path + "/items", problems, visiting);
                break;
            case MapSchema r when writer is MapSchema w:
                Check(r.ValueSchema, w.ValueSchema, path + "/values", problems, visiting);
                break;
        }
    }

    private static bool Readable(Schema reader, Schema writer, HashSet<(Schema, Schema)> visiting)
    {
        var problems = new List<string>();
        Check(reader, writer, "", problems, visiting);
        return problems.Count == 0;
    }

    private static Field? FindWriterField(RecordSchema writer, Field readerField)
    {
        if (writer.TryGetField(readerField.Name, out var f))
        {
            return f;
        }

        foreach (var alias in readerField.Aliases ?? [])
        {
            if (writer.TryGetField(alias, out f))
            {
                return f;
            }
        }

        return null;
    }

    private static bool NamesMatch(NamedSchema reader, NamedSchema writer) =>
        reader.Fullname == writer.Fullname || reader.Name == writer.Name;

    /// <summary>Avro's promotions: int → long, float, double; long → float, double; float → double; string ↔ bytes.</summary>
    private static bool Promotes(Schema.Type writer, Schema.Type reader) => (writer, reader) switch
    {
        (Schema.Type.Int, Schema.Type.Long or Schema.Type.Float or Schema.Type.Double) => true,
        (Schema.Type.Long, Schema.Type.Float or Schema.Type.Double) => true,
        (Schema.Type.Float, Schema.Type.Double) => true,
        (Schema.Type.String, Schema.Type.Bytes) or (Schema.Type.Bytes, Schema.Type.String) => true,
        _ => false,
    };

    private static Schema Unlogical(Schema s) => s is LogicalSchema l ? l.BaseSchema : s;

    private static string Problem(string type, string path, string description, string info) =>
        $"errorType:'{type}', description:'{description}', additionalInfo:'{info}'";

    private sealed class PairComparer : IEqualityComparer<(Schema, Schema)>
    {
        public static readonly PairComparer Instance = new();

        public bool Equals((Schema, Schema) x, (Schema, Schema) y) => ReferenceEquals(x.Item1, y.Item1) && ReferenceEquals(x.Item2, y.Item2);

        public int GetHashCode((Schema, Schema) obj) =>
            HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj.Item1), System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj.Item2));
    }
}
