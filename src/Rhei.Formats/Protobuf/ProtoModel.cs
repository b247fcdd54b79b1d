namespace Rhei.Formats.Protobuf;

/// <summary>Protobuf's scalar field types.</summary>
public enum ProtoScalar
{
    None,
    Double,
    Float,
    Int32,
    Int64,
    UInt32,
    UInt64,
    SInt32,
    SInt64,
    Fixed32,
    Fixed64,
    SFixed32,
    SFixed64,
    Bool,
    String,
    Bytes,
}

/// <summary>How a field repeats: proto3's implicit presence, <c>optional</c> (explicit presence), <c>required</c> (proto2), or <c>repeated</c>.</summary>
public enum ProtoLabel
{
    Implicit,
    Optional,
    Required,
    Repeated,
}

/// <summary>An option value as written: a constant (text of a number, identifier or string) or an aggregate <c>{ name: value ... }</c> or list.</summary>
public sealed class ProtoOptionValue
{
    public string? Scalar { get; init; }

    public List<(string Name, ProtoOptionValue Value)>? Fields { get; init; }

    public List<ProtoOptionValue>? Items { get; init; }

    public ProtoOptionValue? Get(string name) => Fields?.FirstOrDefault(f => f.Name == name).Value;
}

/// <summary>A <c>.proto</c> file.</summary>
public sealed class ProtoFile
{
    public string Syntax { get; set; } = "proto2";

    public string Package { get; set; } = "";

    public List<string> Imports { get; } = [];

    public List<ProtoMessage> Messages { get; } = [];

    public List<ProtoEnum> Enums { get; } = [];

    public bool IsProto3 => Syntax == "proto3";
}

public sealed class ProtoMessage
{
    public required string Name { get; init; }

    /// <summary>The full name without a leading dot (<c>pkg.Outer.Inner</c>).</summary>
    public string FullName { get; set; } = "";

    public List<ProtoField> Fields { get; } = [];

    public List<ProtoMessage> Messages { get; } = [];

    public List<ProtoEnum> Enums { get; } = [];

    /// <summary>Oneof names, indexed by <see cref="ProtoField.OneofIndex"/>.</summary>
    public List<string> Oneofs { get; } = [];

    /// <summary>A synthesized <c>map&lt;K, V&gt;</c> entry (fields <c>key</c> = 1, <c>value</c> = 2).</summary>
    public bool IsMapEntry { get; init; }

    public ProtoFile? File { get; set; }

    public ProtoField? FieldByNumber(int number) => Fields.FirstOrDefault(f => f.Number == number);

    public override string ToString() => FullName;
}

public sealed class ProtoField
{
    public required string Name { get; init; }

    public required int Number { get; init; }

    public ProtoLabel Label { get; init; }

    /// <summary>The type as written (<c>int32</c>, <c>Foo.Bar</c>, <c>.pkg.Baz</c>).</summary>
    public required string TypeName { get; init; }

    public ProtoScalar Scalar { get; set; }

    public ProtoMessage? Message { get; set; }

    public ProtoEnum? Enum { get; set; }

    /// <summary>The oneof this field belongs to (index into <see cref="ProtoMessage.Oneofs"/>), or -1.</summary>
    public int OneofIndex { get; init; } = -1;

    public List<(string Name, ProtoOptionValue Value)> Options { get; init; } = [];

    public bool IsRepeated => Label == ProtoLabel.Repeated;

    public bool IsMap => IsRepeated && Message is { IsMapEntry: true };

    /// <summary>True when absence is observable (message fields, <c>optional</c>, proto2 fields, oneof members).</summary>
    public bool HasPresence(ProtoFile file) =>
        !IsRepeated && (Message is not null || Label is ProtoLabel.Optional or ProtoLabel.Required || OneofIndex >= 0 || !file.IsProto3);

    /// <summary>The wire type used for a single value of this field.</summary>
    public int WireType => Scalar switch
    {
        ProtoScalar.Double or ProtoScalar.Fixed64 or ProtoScalar.SFixed64 => 1,
        ProtoScalar.Float or ProtoScalar.Fixed32 or ProtoScalar.SFixed32 => 5,
        ProtoScalar.String or ProtoScalar.Bytes => 2,
        ProtoScalar.None when Message is not null => 2,
        _ => 0,
    };

    public override string ToString() => $"{TypeName} {Name} = {Number}";
}

public sealed class ProtoEnum
{
    public required string Name { get; init; }

    public string FullName { get; set; } = "";

    public List<(string Name, int Number)> Values { get; } = [];

    public string? NameOf(int number)
    {
        foreach (var (name, n) in Values)
        {
            if (n == number)
            {
                return name;
            }
        }

        return null;
    }

    public int? NumberOf(string name)
    {
        foreach (var (n, number) in Values)
        {
            if (n == name)
            {
                return number;
            }
        }

        return null;
    }
}

/// <summary>Scalar names.</summary>
public static class ProtoScalars
{
    public static ProtoScalar Parse(string name) => name switch
    {
        "double" => ProtoScalar.Double,
        "float" => ProtoScalar.Float,
        "int32" => ProtoScalar.Int32,
        "int64" => ProtoScalar.Int64,
        "uint32" => ProtoScalar.UInt32,
        "uint64" => ProtoScalar.UInt64,
        "sint32" => ProtoScalar.SInt32,
        "sint64" => ProtoScalar.SInt64,
        "fixed32" => ProtoScalar.Fixed32,
        "fixed64" => ProtoScalar.Fixed64,
        "sfixed32" => ProtoScalar.SFixed32,
        "sfixed64" => ProtoScalar.SFixed64,
        "bool" => ProtoScalar.Bool,
        "string" => ProtoScalar.String,
        "bytes" => ProtoScalar.Bytes,
        _ => ProtoScalar.None,
    };

    public static string Name(ProtoScalar scalar) => scalar.ToString().ToLowerInvariant();
}
