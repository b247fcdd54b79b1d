namespace Rhei.Protocol.Generator;

/// <summary>
/// Narrows a spec to the versions Rhei generates: drops fields that exist in none of them, works out the
/// versions each (common or inline) struct is used in, and names the C# members.
/// </summary>
internal static class MessageResolver
{
    private static readonly HashSet<string> ReservedMembers =
    [
        "Read", "Write", "ComputeSize", "Equals", "GetHashCode", "ToString", "GetType", "UnknownTaggedFields",
        "HasDefaultValues", "MemberwiseClone",
    ];

    private static readonly HashSet<string> ReservedRootMembers = ["ApiKey", "LowestSupportedVersion", "HighestSupportedVersion"];

    public static MessageModel Resolve(MessageSpec spec, VersionRange range)
    {
        if (!spec.ValidVersions.Contains(range))
        {
            throw new InvalidDataException($"{spec.FileName}: versions {range} are outside validVersions {spec.ValidVersions}.");
        }

        // Every struct the spec declares, inline or common, in order of appearance.
        var declarations = new Dictionary<string, (IReadOnlyList<FieldSpec> Fields, VersionRange Versions)>(StringComparer.Ordinal);
        var order = new List<string>();
        void Declare(IReadOnlyList<FieldSpec> fields)
        {
            foreach (var field in fields)
            {
                if (field.Fields is null)
                {
                    continue;
                }
                var name = StructName(field.Type) ?? throw new InvalidDataException($"{spec.FileName}: field {field.Name} has fields but type {field.Type}.");
                if (!declarations.TryAdd(name, (field.Fields, VersionRange.All)))
                {
                    throw new InvalidDataException($"{spec.FileName}: struct {name} is declared twice.");
                }
                order.Add(name);
                Declare(field.Fields);
            }
        }
        Declare(spec.Fields);
        foreach (var common in spec.CommonStructs)
        {
            if (!declarations.TryAdd(common.Name, (common.Fields, common.Versions)))
            {
                throw new InvalidDataException($"{spec.FileName}: struct {common.Name} is declared twice.");
            }
            order.Add(common.Name);
            Declare(common.Fields);
        }

        // The versions each struct is used in: the hull of its uses, iterated until stable because structs
        // reference one another.
        var usage = new Dictionary<string, VersionRange>(StringComparer.Ordinal);
        bool changed;
        do
        {
            changed = false;
            void Walk(IReadOnlyList<FieldSpec> fields, VersionRange within)
            {
                foreach (var field in fields)
                {
                    var present = field.Versions.Intersect(within);
                    if (present.IsEmpty || StructName(field.Type) is not { } name)
                    {
                        continue;
                    }
                    if (!declarations.TryGetValue(name, out var declaration))
                    {
                        throw new InvalidDataException($"{spec.FileName}: field {field.Name} uses undeclared struct {name}.");
                    }
                    var before = usage.GetValueOrDefault(name, VersionRange.None);
                    var after = before.Hull(present.Intersect(declaration.Versions));
                    if (after != before)
                    {
                        usage[name] = after;
                        changed = true;
                    }
                }
            }
            Walk(spec.Fields, range);
            foreach (var name in order)
            {
                if (usage.TryGetValue(name, out var used))
                {
                    Walk(declarations[name].Fields, used);
                }
            }
        }
        while (changed);

        var root = new StructModel { SpecName = spec.Name, CsName = spec.Name, Range = range, SpecFields = spec.Fields };
        var structs = new Dictionary<string, StructModel>(StringComparer.Ordinal);
        var nested = new List<StructModel>();
        foreach (var name in order)
        {
            if (usage.TryGetValue(name, out var used) && !used.IsEmpty)
            {
                var model = new StructModel { SpecName = name, CsName = name, Range = used, SpecFields = declarations[name].Fields };
                structs.Add(name, model);
                nested.Add(model);
            }
        }

        var flexible = spec.FlexibleVersions;
        ResolveFields(spec, root, structs, flexible);
        foreach (var model in nested)
        {
            ResolveFields(spec, model, structs, flexible);
        }

        // Nested classes are members of the message class: their names must not clash with its members.
        var rootMembers = new HashSet<string>(root.Fields.Select(f => f.CsName), StringComparer.Ordinal) { spec.Name };
        rootMembers.UnionWith(ReservedMembers);
        rootMembers.UnionWith(ReservedRootMembers);
        foreach (var model in nested)
        {
            if (rootMembers.Contains(model.CsName))
            {
                throw new InvalidDataException($"{spec.FileName}: struct {model.CsName} clashes with a member of {spec.Name}.");
            }
        }
        return new MessageModel { Spec = spec, Root = root, NestedStructs = nested, Flexible = flexible.Intersect(range) };
    }

    private static void ResolveFields(MessageSpec spec, StructModel owner, Dictionary<string, StructModel> structs, VersionRange flexible)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var tags = new HashSet<int>();
        foreach (var field in owner.SpecFields)
        {
            var present = field.Versions.Intersect(owner.Range);
            if (present.IsEmpty)
            {
                continue;
            }
            var csName = char.ToUpperInvariant(field.Name[0]) + field.Name[1..];
            var reserved = ReservedMembers.Contains(csName) || (owner.SpecName == spec.Name && ReservedRootMembers.Contains(csName));
            if (reserved || csName == owner.CsName || !names.Add(csName))
            {
                throw new InvalidDataException($"{spec.FileName}: field {field.Name} of {owner.SpecName} clashes with a generated member.");
            }
            var type = ResolveType(spec, field, field.Type, structs);
            if (type.Kind == TypeKind.Struct)
            {
                type.Struct!.UsedAsField = true;
            }
            var tagged = field.TaggedVersions.Intersect(present);
            if (!tagged.IsEmpty)
            {
                if (tagged != present)
                {
                    throw new InvalidDataException($"{spec.FileName}: field {field.Name} is tagged in only some of its versions; not supported.");
                }
                if (!flexible.Contains(tagged))
                {
                    throw new InvalidDataException($"{spec.FileName}: tagged field {field.Name} exists in non-flexible versions.");
                }
                if (!tags.Add(field.Tag!.Value))
                {
                    throw new InvalidDataException($"{spec.FileName}: tag {field.Tag} is used twice in {owner.SpecName}.");
                }
            }
            var nullable = field.NullableVersions.Intersect(present);
            if (!nullable.IsEmpty && type.Kind is not (TypeKind.String or TypeKind.Bytes or TypeKind.Records or TypeKind.Array or TypeKind.Struct or TypeKind.Uuid))
            {
                throw new InvalidDataException($"{spec.FileName}: field {field.Name} of type {field.Type} cannot be nullable.");
            }
            if (type.Kind == TypeKind.Uuid && !nullable.IsEmpty)
            {
                throw new InvalidDataException($"{spec.FileName}: nullable uuid field {field.Name} is not supported.");
            }
            if (field.Default == "null" && nullable != present && type.Kind != TypeKind.Records)
            {
                throw new InvalidDataException($"{spec.FileName}: field {field.Name} defaults to null but is not nullable in all its versions.");
            }
            owner.Fields.Add(new FieldModel
            {
                Spec = field,
                CsName = csName,
                Type = type,
                Present = present,
                Nullable = nullable,
                Tagged = tagged,
                Flexible = (field.FlexibleVersions ?? flexible).Intersect(present),
            });
        }
    }

    private static TypeModel ResolveType(MessageSpec spec, FieldSpec field, string type, Dictionary<string, StructModel> structs)
    {
        if (type.StartsWith("[]", StringComparison.Ordinal))
        {
            var element = ResolveType(spec, field, type[2..], structs);
            if (element.Kind is TypeKind.Array or TypeKind.Records or TypeKind.Bytes)
            {
                throw new InvalidDataException($"{spec.FileName}: array of {type[2..]} in {field.Name} is not supported.");
            }
            return new TypeModel(TypeKind.Array, Element: element);
        }
        return type switch
        {
            "bool" => new TypeModel(TypeKind.Bool),
            "int8" => new TypeModel(TypeKind.Int8),
            "int16" => new TypeModel(TypeKind.Int16),
            "uint16" => new TypeModel(TypeKind.UInt16),
            "int32" => new TypeModel(TypeKind.Int32),
            "uint32" => new TypeModel(TypeKind.UInt32),
            "int64" => new TypeModel(TypeKind.Int64),
            "float64" => new TypeModel(TypeKind.Float64),
            "uuid" => new TypeModel(TypeKind.Uuid),
            "string" => new TypeModel(TypeKind.String),
            "bytes" => new TypeModel(TypeKind.Bytes),
            "records" => new TypeModel(TypeKind.Records),
            _ when structs.TryGetValue(type, out var model) => new TypeModel(TypeKind.Struct, Struct: model),
            _ => throw new InvalidDataException($"{spec.FileName}: unknown type {type} of field {field.Name}."),
        };
    }

    /// <summary>The struct a field type names ("Foo" or "[]Foo"), or null for primitives.</summary>
    public static string? StructName(string type)
    {
        var name = type.StartsWith("[]", StringComparison.Ordinal) ? type[2..] : type;
        return name.Length > 0 && char.IsUpper(name[0]) ? name : null;
    }
}
