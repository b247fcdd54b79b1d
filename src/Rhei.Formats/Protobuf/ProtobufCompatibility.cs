namespace Rhei.Formats.Protobuf;

/// <summary>
/// A documented subset of Confluent's Protobuf compatibility rules, on the first message of each schema and the
/// messages it uses: the message (by full name) must still exist; a field number kept in both must keep a wire-compatible
/// type (int32/uint32/int64/uint64/bool interchangeable, sint32/sint64, fixed32/sfixed32, fixed64/sfixed64, string/bytes,
/// a message type by name, enums with each other); a field must not change between singular and repeated; a proto2
/// <c>required</c> field must not be added or removed; the package must not change. Removing or adding optional fields,
/// renaming fields and adding messages are compatible.
/// </summary>
public static class ProtobufCompatibility
{
    public static IReadOnlyList<string> FindReadProblems(ProtobufParsedSchema reader, ProtobufParsedSchema writer)
    {
        var problems = new List<string>();
        if (reader.File.Package != writer.File.Package)
        {
            problems.Add(Problem("PACKAGE_CHANGED", "#/", $"The package changed from '{writer.File.Package}' to '{reader.File.Package}'"));
        }

        var r = reader.File.Messages[0];
        var w = writer.File.Messages[0];
        if (ShortName(r) != ShortName(w))
        {
            problems.Add(Problem("MESSAGE_REMOVED", "#/" + w.Name, $"The message '{w.FullName}' is no longer the schema's first message"));
            return problems;
        }

        Compare(r, w, "#/" + r.Name, problems, []);
        return problems;
    }

    private static void Compare(ProtoMessage reader, ProtoMessage writer, string path, List<string> problems, HashSet<(ProtoMessage, ProtoMessage)> seen)
    {
        if (!seen.Add((reader, writer)))
        {
            return;
        }

        foreach (var wf in writer.Fields)
        {
            var rf = reader.FieldByNumber(wf.Number);
            if (rf is null)
            {
                if (wf.Label == ProtoLabel.Required)
                {
                    problems.Add(Problem("REQUIRED_FIELD_REMOVED", $"{path}/{wf.Number}", $"The required field '{wf.Name}' ({wf.Number}) was removed"));
                }

                continue;
            }

            var fieldPath = $"{path}/{wf.Number}";
            if (rf.IsRepeated != wf.IsRepeated)
            {
                problems.Add(Problem("FIELD_KIND_CHANGED", fieldPath, $"The field '{rf.Name}' ({rf.Number}) changed between singular and repeated"));
                continue;
            }

            if (rf.Message is not null || wf.Message is not null)
            {
                if (rf.Message is null || wf.Message is null)
                {
                    problems.Add(Problem("FIELD_KIND_CHANGED", fieldPath, $"The field '{rf.Name}' ({rf.Number}) changed between a message and a scalar"));
                }
                else if (ShortName(rf.Message) != ShortName(wf.Message))
                {
                    problems.Add(Problem("FIELD_NAMED_TYPE_CHANGED", fieldPath, $"The type of field '{rf.Name}' ({rf.Number}) changed from {wf.Message.FullName} to {rf.Message.FullName}"));
                }
                else
                {
                    Compare(rf.Message, wf.Message, fieldPath, problems, seen);
                }

                continue;
            }

            if ((rf.Enum is null) != (wf.Enum is null))
            {
                if (!(rf.Enum is not null && IsVarintInt(wf.Scalar)) && !(wf.Enum is not null && IsVarintInt(rf.Scalar)))
                {
                    problems.Add(Problem("FIELD_SCALAR_KIND_CHANGED", fieldPath, $"The field '{rf.Name}' ({rf.Number}) changed between an enum and {ProtoScalars.Name(rf.Scalar == ProtoScalar.None ? wf.Scalar : rf.Scalar)}"));
                }

                continue;
            }

            if (rf.Enum is null && Group(rf.Scalar) != Group(wf.Scalar))
            {
                problems.Add(Problem("FIELD_SCALAR_KIND_CHANGED", fieldPath, $"The type of field '{rf.Name}' ({rf.Number}) changed from {ProtoScalars.Name(wf.Scalar)} to {ProtoScalars.Name(rf.Scalar)}"));
            }
        }

        foreach (var rf in reader.Fields)
        {
            if (rf.Label == ProtoLabel.Required && writer.FieldByNumber(rf.Number) is null)
            {
                problems.Add(Problem("REQUIRED_FIELD_ADDED", $"{path}/{rf.Number}", $"The required field '{rf.Name}' ({rf.Number}) was added"));
            }
        }
    }

    private static bool IsVarintInt(ProtoScalar s) => Group(s) == 0;

    private static int Group(ProtoScalar s) => s switch
    {
        ProtoScalar.Int32 or ProtoScalar.UInt32 or ProtoScalar.Int64 or ProtoScalar.UInt64 or ProtoScalar.Bool => 0,
        ProtoScalar.SInt32 or ProtoScalar.SInt64 => 1,
        ProtoScalar.Fixed32 or ProtoScalar.SFixed32 => 2,
        ProtoScalar.Fixed64 or ProtoScalar.SFixed64 => 3,
        ProtoScalar.String or ProtoScalar.Bytes => 4,
        ProtoScalar.Float => 5,
        ProtoScalar.Double => 6,
        _ => 7,
    };

    private static string ShortName(ProtoMessage m) => m.File is { Package.Length: > 0 } f && m.FullName.StartsWith(f.Package + ".", StringComparison.Ordinal)
        ? m.FullName[(f.Package.Length + 1)..]
        : m.FullName;

    private static string Problem(string type, string path, string description) =>
        $"errorType:'{type}', description:'{description}', additionalInfo:'{path}'";
}
