namespace Rhei.Protocol.Generator;

internal enum TypeKind
{
    Bool,
    Int8,
    Int16,
    UInt16,
    Int32,
    UInt32,
    Int64,
    Float64,
    Uuid,
    String,
    Bytes,
    Records,
    Array,
    Struct,
}

/// <summary>A field type resolved against the message's structs.</summary>
internal sealed record TypeModel(TypeKind Kind, TypeModel? Element = null, StructModel? Struct = null)
{
    /// <summary>Size in bytes when fixed, else null.</summary>
    public int? FixedSize => Kind switch
    {
        TypeKind.Bool or TypeKind.Int8 => 1,
        TypeKind.Int16 or TypeKind.UInt16 => 2,
        TypeKind.Int32 or TypeKind.UInt32 => 4,
        TypeKind.Int64 or TypeKind.Float64 => 8,
        TypeKind.Uuid => 16,
        _ => null,
    };

    public bool IsReference => Kind is TypeKind.String or TypeKind.Bytes or TypeKind.Array or TypeKind.Struct;
}

/// <summary>A field as generated: its versions narrowed to those its struct is generated for.</summary>
internal sealed class FieldModel
{
    public required FieldSpec Spec { get; init; }

    public required string CsName { get; init; }

    public required TypeModel Type { get; init; }

    /// <summary>Versions in which the field exists (within the struct's range).</summary>
    public required VersionRange Present { get; init; }

    /// <summary>Versions in which the field may be null (within <see cref="Present"/>).</summary>
    public required VersionRange Nullable { get; init; }

    /// <summary>Versions in which the field is sent in the tagged section (within <see cref="Present"/>).</summary>
    public required VersionRange Tagged { get; init; }

    /// <summary>Versions in which strings/bytes/arrays use the compact encoding (within <see cref="Present"/>).</summary>
    public required VersionRange Flexible { get; init; }

    public bool CanBeNull => !Nullable.IsEmpty || Type.Kind == TypeKind.Records;

    public bool DefaultIsNull => Spec.Default == "null" || Type.Kind == TypeKind.Records;
}

/// <summary>A generated class: the message itself or one of its nested structs.</summary>
internal sealed class StructModel
{
    public required string SpecName { get; init; }

    public string CsName { get; set; } = "";

    /// <summary>The versions this struct's code has to handle.</summary>
    public VersionRange Range { get; set; } = VersionRange.None;

    public List<FieldModel> Fields { get; } = [];

    /// <summary>True when some field holds one of these directly (not in an array): needs a default check.</summary>
    public bool UsedAsField { get; set; }

    public IReadOnlyList<FieldSpec> SpecFields { get; init; } = [];
}

/// <summary>A message resolved for the versions Rhei generates it for.</summary>
internal sealed class MessageModel
{
    public required MessageSpec Spec { get; init; }

    public required StructModel Root { get; init; }

    public required List<StructModel> NestedStructs { get; init; }

    /// <summary>Versions with the flexible encoding and tagged-field sections.</summary>
    public required VersionRange Flexible { get; init; }
}
