namespace Rhei.Formats.Protobuf;

/// <summary>
/// Resolves the type names of a parsed file: full names, scalar types, message and enum references searched from the
/// innermost scope outwards (protobuf's rules), in the file and in its imports (well-known ones built in, others given
/// by path — the schema's references).
/// </summary>
public static class ProtoLinker
{
    /// <param name="imports">Linked files by import path (from schema references).</param>
    /// <exception cref="FormatException">An import or a type cannot be found.</exception>
    public static ProtoFile Link(ProtoFile file, IReadOnlyDictionary<string, ProtoFile> imports)
    {
        var types = new Dictionary<string, object>(StringComparer.Ordinal);
        Register(file, types);
        foreach (var path in file.Imports)
        {
            ProtoFile imported;
            if (imports.TryGetValue(path, out var given))
            {
                imported = given;
            }
            else if (!ProtoWellKnown.TryGet(path, out imported))
            {
                throw new FormatException($"The import \"{path}\" is not a known type and no schema reference names it.");
            }

            CollectAll(imported, types);
        }

        var prefix = file.Package.Length == 0 ? "" : file.Package;
        foreach (var m in file.Messages)
        {
            LinkMessage(m, prefix, types, file);
        }

        return file;
    }

    /// <summary>The messages of a file, depth first, with their Confluent message-index paths.</summary>
    public static IEnumerable<(ProtoMessage Message, int[] Indexes)> AllMessages(ProtoFile file)
    {
        for (var i = 0; i < file.Messages.Count; i++)
        {
            foreach (var item in Walk(file.Messages[i], [i]))
            {
                yield return item;
            }
        }

        static IEnumerable<(ProtoMessage, int[])> Walk(ProtoMessage m, int[] path)
        {
            yield return (m, path);
            for (var i = 0; i < m.Messages.Count; i++)
            {
                foreach (var item in Walk(m.Messages[i], [.. path, i]))
                {
                    yield return item;
                }
            }
        }
    }

    private static void Register(ProtoFile file, Dictionary<string, object> types)
    {
        var prefix = file.Package;
        foreach (var m in file.Messages)
        {
            RegisterMessage(m, prefix, types, file);
        }

        foreach (var e in file.Enums)
        {
            e.FullName = Join(prefix, e.Name);
            types[e.FullName] = e;
        }
    }

    private static void CollectAll(ProtoFile file, Dictionary<string, object> types)
    {
        foreach (var (m, _) in AllMessages(file))
        {
            types.TryAdd(m.FullName, m);
            foreach (var e in m.Enums)
            {
                types.TryAdd(e.FullName, e);
            }
        }

        foreach (var e in file.Enums)
        {
            types.TryAdd(e.FullName, e);
        }
    }

    private static void RegisterMessage(ProtoMessage m, string prefix, Dictionary<string, object> types, ProtoFile file)
    {
        m.FullName = Join(prefix, m.Name);
        m.File = file;
        types[m.FullName] = m;
        foreach (var nested in m.Messages)
        {
            RegisterMessage(nested, m.FullName, types, file);
        }

        foreach (var e in m.Enums)
        {
            e.FullName = Join(m.FullName, e.Name);
            types[e.FullName] = e;
        }
    }

    private static void LinkMessage(ProtoMessage m, string scope, Dictionary<string, object> types, ProtoFile file)
    {
        var numbers = new HashSet<int>();
        foreach (var f in m.Fields)
        {
            if (f.Number <= 0 || f.Number > 536_870_911)
            {
                throw new FormatException($"Field '{f.Name}' of {m.FullName} has an invalid number {f.Number}.");
            }

            if (!numbers.Add(f.Number))
            {
                throw new FormatException($"Field number {f.Number} is used twice in {m.FullName}.");
            }

            var scalar = ProtoScalars.Parse(f.TypeName);
            if (scalar != ProtoScalar.None)
            {
                f.Scalar = scalar;
                continue;
            }

            var resolved = Resolve(f.TypeName, m.FullName, types)
                ?? throw new FormatException($"The type '{f.TypeName}' of field '{f.Name}' in {m.FullName} is not defined.");
            if (resolved is ProtoMessage message)
            {
                f.Message = message;
            }
            else
            {
                f.Enum = (ProtoEnum)resolved;
            }
        }

        foreach (var nested in m.Messages)
        {
            LinkMessage(nested, m.FullName, types, file);
        }
    }

    private static object? Resolve(string name, string scope, Dictionary<string, object> types)
    {
        if (name.StartsWith('.'))
        {
            return types.GetValueOrDefault(name[1..]);
        }

        var current = scope;
        while (true)
        {
            if (types.TryGetValue(Join(current, name), out var found))
            {
                return found;
            }

            if (current.Length == 0)
            {
                return null;
            }

            var dot = current.LastIndexOf('.');
            current = dot < 0 ? "" : current[..dot];
        }
    }

    private static string Join(string prefix, string name) => prefix.Length == 0 ? name : prefix + "." + name;
}
