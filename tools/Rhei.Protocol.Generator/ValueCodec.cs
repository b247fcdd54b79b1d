using System.Globalization;

namespace Rhei.Protocol.Generator;

/// <summary>
/// Emits the statements that read, write and size one value of a field type. Conditions are C# boolean
/// expressions over <c>version</c> ("true"/"false" when constant), so constant cases fold at generation time.
/// </summary>
internal static class ValueCodec
{
    public static string CsType(TypeModel type, bool nullable)
    {
        var name = type.Kind switch
        {
            TypeKind.Bool => "bool",
            TypeKind.Int8 => "sbyte",
            TypeKind.Int16 => "short",
            TypeKind.UInt16 => "ushort",
            TypeKind.Int32 => "int",
            TypeKind.UInt32 => "uint",
            TypeKind.Int64 => "long",
            TypeKind.Float64 => "double",
            TypeKind.Uuid => "Guid",
            TypeKind.String => "string",
            TypeKind.Bytes => "byte[]",
            TypeKind.Records => "ReadOnlyMemory<byte>",
            TypeKind.Array => $"List<{CsType(type.Element!, nullable: false)}>",
            TypeKind.Struct => type.Struct!.CsName,
            _ => throw new InvalidOperationException(type.Kind.ToString()),
        };
        return nullable || type.Kind == TypeKind.Records ? name + "?" : name;
    }

    /// <summary>The C# literal of a scalar or string default, or null when the type's zero value is the default.</summary>
    public static string? DefaultLiteral(FieldModel field)
    {
        var text = field.Spec.Default;
        switch (field.Type.Kind)
        {
            case TypeKind.Bool:
                return text is null or "false" ? null : text == "true" ? "true" : throw Bad(field);
            case TypeKind.Int8:
            case TypeKind.Int16:
            case TypeKind.UInt16:
            case TypeKind.Int32:
            case TypeKind.UInt32:
            case TypeKind.Int64:
                if (text is null)
                {
                    return null;
                }
                var value = ParseInteger(text, field);
                var (min, max) = field.Type.Kind switch
                {
                    TypeKind.Int8 => ((long)sbyte.MinValue, (long)sbyte.MaxValue),
                    TypeKind.Int16 => (short.MinValue, short.MaxValue),
                    TypeKind.UInt16 => (ushort.MinValue, ushort.MaxValue),
                    TypeKind.Int32 => (int.MinValue, int.MaxValue),
                    TypeKind.UInt32 => (uint.MinValue, uint.MaxValue),
                    _ => (long.MinValue, long.MaxValue),
                };
                if (value < min || value > max)
                {
                    throw Bad(field);
                }
                return value == 0 ? null : value.ToString(CultureInfo.InvariantCulture);
            case TypeKind.Float64:
                if (text is null)
                {
                    return null;
                }
                var d = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
                return d == 0 ? null : d.ToString("R", CultureInfo.InvariantCulture) + "d";
            case TypeKind.String:
                return text is null ? "\"\"" : text == "null" ? null : Quote(text);
            case TypeKind.Uuid:
                return text is null || text == "AAAAAAAAAAAAAAAAAAAAAA" ? null : throw Bad(field);
            default:
                return text is null or "null" ? null : throw Bad(field);
        }
    }

    /// <summary>A C# expression that is true when <paramref name="value"/> differs from the field's default.</summary>
    public static string NonDefault(FieldModel field, string value)
    {
        switch (field.Type.Kind)
        {
            case TypeKind.Bool:
                return DefaultLiteral(field) == "true" ? $"!{value}" : value;
            case TypeKind.Uuid:
                return $"{value} != Guid.Empty";
            case TypeKind.String:
                return field.DefaultIsNull ? $"{value} is not null" : $"{value} != {DefaultLiteral(field)}";
            case TypeKind.Bytes:
                return field.DefaultIsNull ? $"{value} is not null" : $"{value} is not {{ Length: 0 }}";
            case TypeKind.Records:
                return $"{value} is not null";
            case TypeKind.Array:
                return field.DefaultIsNull ? $"{value} is not null" : $"{value} is not {{ Count: 0 }}";
            case TypeKind.Struct:
                return field.DefaultIsNull ? $"{value} is not null" : $"!{value}.HasDefaultValues()";
            default:
                return $"{value} != {DefaultLiteral(field) ?? "0"}";
        }
    }

    /// <summary>Emits statements that read one value into <paramref name="target"/>.</summary>
    public static void EmitRead(CodeWriter w, TypeModel type, string target, string reader, string flex, string nullable, string field)
    {
        switch (type.Kind)
        {
            case TypeKind.Array:
                EmitReadArray(w, type, target, reader, flex, nullable, field);
                return;
            case TypeKind.Struct when nullable != "false":
                w.Line($"{target} = ({nullable}) && {reader}.ReadInt8() < 0 ? null : {type.Struct!.CsName}.Read(ref {reader}, version);");
                return;
            default:
                w.Line($"{target} = {ReadExpression(type, reader, flex, nullable, field)};");
                return;
        }
    }

    /// <summary>Emits statements that write <paramref name="value"/>.</summary>
    public static void EmitWrite(CodeWriter w, TypeModel type, string value, string flex, string nullable, string field)
    {
        switch (type.Kind)
        {
            case TypeKind.Bool:
                w.Line($"writer.WriteBool({value});");
                return;
            case TypeKind.Int8:
                w.Line($"writer.WriteInt8({value});");
                return;
            case TypeKind.Int16:
                w.Line($"writer.WriteInt16({value});");
                return;
            case TypeKind.UInt16:
                w.Line($"writer.WriteUInt16({value});");
                return;
            case TypeKind.Int32:
                w.Line($"writer.WriteInt32({value});");
                return;
            case TypeKind.UInt32:
                w.Line($"writer.WriteUInt32({value});");
                return;
            case TypeKind.Int64:
                w.Line($"writer.WriteInt64({value});");
                return;
            case TypeKind.Float64:
                w.Line($"writer.WriteFloat64({value});");
                return;
            case TypeKind.Uuid:
                w.Line($"writer.WriteUuid({value});");
                return;
            case TypeKind.String:
                EmitNullableChoice(w, nullable,
                    $"writer.WriteNullableString({value}, {flex});",
                    $"writer.WriteString({value}, {flex}, \"{field}\");");
                return;
            case TypeKind.Bytes:
                EmitNullableChoice(w, nullable,
                    $"writer.WriteNullableBytes({value}, {flex});",
                    $"writer.WriteBytes({value}, {flex}, \"{field}\");");
                return;
            case TypeKind.Records:
                w.Line($"writer.WriteRecords({value}, {flex}, {nullable}, \"{field}\");");
                return;
            case TypeKind.Struct:
                if (nullable == "false")
                {
                    w.Line($"{value}.Write(ref writer, version);");
                    return;
                }
                w.Open($"if ({value} is null)");
                EmitNullableChoice(w, nullable, "writer.WriteInt8(-1);", $"throw ProtocolErrors.NullField(\"{field}\");");
                w.Close();
                w.Open("else");
                if (nullable == "true")
                {
                    w.Line("writer.WriteInt8(1);");
                }
                else
                {
                    w.Open($"if ({nullable})");
                    w.Line("writer.WriteInt8(1);");
                    w.Close();
                }
                w.Line($"{value}.Write(ref writer, version);");
                w.Close();
                return;
            case TypeKind.Array:
                EmitWriteArray(w, type, value, flex, nullable, field);
                return;
            default:
                throw new InvalidOperationException(type.Kind.ToString());
        }
    }

    /// <summary>Emits statements adding the encoded size of <paramref name="value"/> to <paramref name="size"/>.</summary>
    public static void EmitSize(CodeWriter w, TypeModel type, string value, string flex, string nullable, string size)
    {
        if (type.FixedSize is { } fixedSize)
        {
            w.Line($"{size} += {fixedSize};");
            return;
        }
        switch (type.Kind)
        {
            case TypeKind.String:
                w.Line($"{size} += ProtocolSize.String({value}, {flex});");
                return;
            case TypeKind.Bytes:
                w.Line($"{size} += ProtocolSize.Bytes({value}, {flex});");
                return;
            case TypeKind.Records:
                w.Line($"{size} += ProtocolSize.Records({value}, {flex});");
                return;
            case TypeKind.Struct:
                if (nullable == "false")
                {
                    w.Line($"{size} += {value}.ComputeSize(version);");
                }
                else
                {
                    w.Line($"{size} += {value} is null ? 1 : ({nullable} ? 1 : 0) + {value}.ComputeSize(version);");
                }
                return;
            case TypeKind.Array:
                var element = type.Element!;
                var open = nullable != "false";
                if (open)
                {
                    w.Open($"if ({value} is null)");
                    w.Line($"{size} += ProtocolSize.ArrayLength(-1, {flex});");
                    w.Close();
                    w.Open("else");
                }
                w.Line($"{size} += ProtocolSize.ArrayLength({value}.Count, {flex});");
                if (element.FixedSize is { } elementSize)
                {
                    w.Line($"{size} += {value}.Count * {elementSize};");
                }
                else
                {
                    var item = $"item{w.Next()}";
                    w.Open($"foreach (var {item} in CollectionsMarshal.AsSpan({value}))");
                    EmitSize(w, element, item, flex, "false", size);
                    w.Close();
                }
                if (open)
                {
                    w.Close();
                }
                return;
            default:
                throw new InvalidOperationException(type.Kind.ToString());
        }
    }

    /// <summary>A C# expression comparing two values of the type for equality.</summary>
    public static string EqualsExpression(TypeModel type, string left, string right) => type.Kind switch
    {
        TypeKind.Float64 => $"{left}.Equals({right})",
        TypeKind.String => $"string.Equals({left}, {right}, StringComparison.Ordinal)",
        TypeKind.Bytes => $"ProtocolEquality.BytesEqual({left}, {right})",
        TypeKind.Records => $"ProtocolEquality.RecordsEqual({left}, {right})",
        TypeKind.Array => $"ProtocolEquality.ListsEqual({left}, {right})",
        TypeKind.Struct => $"EqualityComparer<{type.Struct!.CsName}>.Default.Equals({left}, {right})",
        _ => $"{left} == {right}",
    };

    /// <summary>A value to feed <c>HashCode.Add</c> for a field.</summary>
    public static string HashExpression(TypeModel type, string value) => type.Kind switch
    {
        TypeKind.Bytes => $"{value}?.Length ?? -1",
        TypeKind.Records => $"{value}?.Length ?? -1",
        TypeKind.Array => $"{value}?.Count ?? -1",
        _ => value,
    };

    private static string ReadExpression(TypeModel type, string reader, string flex, string nullable, string field) => type.Kind switch
    {
        TypeKind.Bool => $"{reader}.ReadBool()",
        TypeKind.Int8 => $"{reader}.ReadInt8()",
        TypeKind.Int16 => $"{reader}.ReadInt16()",
        TypeKind.UInt16 => $"{reader}.ReadUInt16()",
        TypeKind.Int32 => $"{reader}.ReadInt32()",
        TypeKind.UInt32 => $"{reader}.ReadUInt32()",
        TypeKind.Int64 => $"{reader}.ReadInt64()",
        TypeKind.Float64 => $"{reader}.ReadFloat64()",
        TypeKind.Uuid => $"{reader}.ReadUuid()",
        TypeKind.String => NullableChoice(nullable,
            $"{reader}.ReadNullableString({flex})",
            $"{reader}.ReadString({flex}, \"{field}\")"),
        TypeKind.Bytes => NullableChoice(nullable,
            $"{reader}.ReadNullableBytes({flex})",
            $"{reader}.ReadBytes({flex}, \"{field}\")"),
        TypeKind.Records => $"{reader}.ReadRecords({flex})",
        TypeKind.Struct => $"{type.Struct!.CsName}.Read(ref {reader}, version)",
        _ => throw new InvalidOperationException(type.Kind.ToString()),
    };

    private static void EmitReadArray(CodeWriter w, TypeModel type, string target, string reader, string flex, string nullable, string field)
    {
        var n = w.Next();
        var count = $"count{n}";
        var list = $"list{n}";
        var lengthExpression = NullableChoice(nullable,
            $"{reader}.ReadArrayLength({flex})",
            $"{reader}.ReadNonNullArrayLength({flex}, \"{field}\")");
        var elementType = CsType(type.Element!, nullable: false);
        w.Open();
        w.Line($"var {count} = {lengthExpression};");
        if (nullable != "false")
        {
            w.Open($"if ({count} < 0)");
            w.Line($"{target} = null;");
            w.Close();
            w.Open("else");
        }
        w.Line($"var {list} = new List<{elementType}>({count});");
        w.Open($"for (var i = 0; i < {count}; i++)");
        w.Line($"{list}.Add({ReadExpression(type.Element!, reader, flex, "false", field)});");
        w.Close();
        w.Line($"{target} = {list};");
        if (nullable != "false")
        {
            w.Close();
        }
        w.Close();
    }

    private static void EmitWriteArray(CodeWriter w, TypeModel type, string value, string flex, string nullable, string field)
    {
        var open = nullable != "false";
        if (open)
        {
            w.Open($"if ({value} is null)");
            EmitNullableChoice(w, nullable, $"writer.WriteArrayLength(-1, {flex});", $"throw ProtocolErrors.NullField(\"{field}\");");
            w.Close();
            w.Open("else");
        }
        w.Line($"writer.WriteArrayLength({value}.Count, {flex});");
        var item = $"item{w.Next()}";
        w.Open($"foreach (var {item} in CollectionsMarshal.AsSpan({value}))");
        EmitWrite(w, type.Element!, item, flex, "false", field);
        w.Close();
        if (open)
        {
            w.Close();
        }
    }

    private static string NullableChoice(string nullable, string whenNullable, string whenNot) => nullable switch
    {
        "true" => whenNullable,
        "false" => whenNot,
        _ => $"{nullable} ? {whenNullable} : {whenNot}",
    };

    private static void EmitNullableChoice(CodeWriter w, string nullable, string whenNullable, string whenNot)
    {
        switch (nullable)
        {
            case "true":
                w.Line(whenNullable);
                break;
            case "false":
                w.Line(whenNot);
                break;
            default:
                w.Open($"if ({nullable})");
                w.Line(whenNullable);
                w.Close();
                w.Open("else");
                w.Line(whenNot);
                w.Close();
                break;
        }
    }

    private static long ParseInteger(string text, FieldModel field)
    {
        var negative = text.StartsWith('-');
        var digits = negative ? text[1..] : text;
        long value;
        if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            value = long.Parse(digits[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
        }
        else if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value))
        {
            throw Bad(field);
        }
        return negative ? -value : value;
    }

    public static string Quote(string text) =>
        "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static InvalidDataException Bad(FieldModel field) =>
        new($"Field {field.Spec.Name}: unsupported default {field.Spec.Default} for type {field.Spec.Type}.");
}
