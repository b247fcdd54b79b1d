using System.Text;
using Rhei.Formats.SchemaRegistry;

namespace Rhei.Formats.Protobuf;

/// <summary>
/// A Protobuf schema: a linked <c>.proto</c> file (imports resolved through the schema's references and the built-in
/// well-known files). Compatibility compares the first message of each file (Confluent's default) recursively.
/// </summary>
public sealed class ProtobufParsedSchema : ParsedSchema
{
    private ProtobufParsedSchema(ProtoFile file, string canonical)
    {
        File = file;
        Canonical = canonical;
    }

    public ProtoFile File { get; }

    public override SchemaType Type => SchemaType.Protobuf;

    public override string Canonical { get; }

    public static ProtobufParsedSchema Parse(string text) => Parse(text, [], null);

    internal static ProtobufParsedSchema Parse(
        string text,
        IReadOnlyList<(SchemaReference Reference, SchemaDefinition Definition)> references,
        Func<SchemaReference, SchemaDefinition?>? resolve,
        int depth = 0)
    {
        if (depth > 32)
        {
            throw new FormatException("Schema references are nested too deeply (or form a cycle).");
        }

        var imports = new Dictionary<string, ProtoFile>(StringComparer.Ordinal);
        foreach (var (reference, definition) in references)
        {
            var nested = definition.References
                .Select(r => (r, resolve?.Invoke(r) ?? throw new FormatException($"The reference '{r.Name}' is not registered.")))
                .ToList();
            imports[reference.Name] = Parse(definition.Schema, nested, resolve, depth + 1).File;
        }

        var file = ProtoLinker.Link(ProtoParser.Parse(text), imports);
        if (file.Messages.Count == 0)
        {
            throw new FormatException("The schema defines no message.");
        }

        return new ProtobufParsedSchema(file, Normalize(text));
    }

    /// <summary>The message to use: by full name (with or without the package), or the first one.</summary>
    public ProtoMessage FindMessage(string? fullName)
    {
        if (string.IsNullOrEmpty(fullName))
        {
            return File.Messages[0];
        }

        foreach (var (m, _) in ProtoLinker.AllMessages(File))
        {
            if (m.FullName == fullName || (File.Package.Length > 0 && m.FullName == File.Package + "." + fullName))
            {
                return m;
            }
        }

        throw new KeyNotFoundException($"The schema has no message named '{fullName}'.");
    }

    /// <summary>Confluent's message-index path of a message of this file (<c>[0]</c> for the first).</summary>
    public int[] MessageIndexes(ProtoMessage message) =>
        ProtoLinker.AllMessages(File).First(m => ReferenceEquals(m.Message, message)).Indexes;

    /// <summary>The message at a message-index path.</summary>
    public ProtoMessage MessageAt(ReadOnlySpan<int> indexes)
    {
        if (indexes.Length == 0)
        {
            return File.Messages[0];
        }

        var m = File.Messages[indexes[0]];
        for (var i = 1; i < indexes.Length; i++)
        {
            m = m.Messages[indexes[i]];
        }

        return m;
    }

    public override IReadOnlyList<string> FindReadProblems(ParsedSchema writer) =>
        writer is ProtobufParsedSchema w ? ProtobufCompatibility.FindReadProblems(this, w) : ["errorType:'TYPE_MISMATCH', description:'The writer schema is not Protobuf'"];

    public override string ToString() => Canonical;

    /// <summary>The source with comments removed and whitespace collapsed.</summary>
    private static string Normalize(string text)
    {
        var sb = new StringBuilder(text.Length);
        var space = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '/' && i + 1 < text.Length && text[i + 1] == '/')
            {
                while (i < text.Length && text[i] != '\n')
                {
                    i++;
                }

                space = true;
                continue;
            }

            if (c is '"' or '\'')
            {
                var end = text.IndexOf(c, i + 1);
                end = end < 0 ? text.Length - 1 : end;
                if (space && sb.Length > 0)
                {
                    sb.Append(' ');
                }

                sb.Append(text, i, end - i + 1);
                i = end;
                space = false;
                continue;
            }

            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }

            if (space && sb.Length > 0 && (char.IsLetterOrDigit(c) || c == '_') && (char.IsLetterOrDigit(sb[^1]) || sb[^1] == '_'))
            {
                sb.Append(' ');
            }

            space = false;
            sb.Append(c);
        }

        return sb.ToString();
    }
}
