namespace Rhei.Protocol.Generator;

/// <summary>Emits the C# file of one message: its class, its nested struct classes and their codecs.</summary>
internal static class MessageEmitter
{
    public static string Emit(MessageModel message, string? apiName)
    {
        var w = new CodeWriter();
        GeneratedFiles.WriteHeader(w, $"Apache Kafka's message spec {message.Spec.FileName}, versions {message.Root.Range}");
        w.Line("using System.Runtime.InteropServices;");
        w.Line();
        w.Line("namespace Rhei.Protocol.Messages;");
        w.Line();
        EmitStruct(w, message, message.Root, apiName);
        return w.ToString();
    }

    private static void EmitStruct(CodeWriter w, MessageModel message, StructModel s, string? apiName)
    {
        var isRoot = s == message.Root;
        var flexRange = message.Spec.FlexibleVersions.Intersect(s.Range);
        var hasTaggedSection = !flexRange.IsEmpty;
        var interfaces = new List<string>();
        if (isRoot)
        {
            switch (message.Spec.Type)
            {
                case "request":
                    interfaces.Add("IRequestMessage");
                    break;
                case "response":
                    interfaces.Add("IResponseMessage");
                    break;
                default:
                    break;
            }
            interfaces.Add($"IProtocolMessage<{s.CsName}>");
        }
        interfaces.Add($"IEquatable<{s.CsName}>");

        w.Open($"public sealed partial class {s.CsName} : {string.Join(", ", interfaces)}");
        if (isRoot)
        {
            w.Line($"public static short LowestSupportedVersion => {s.Range.Lo};");
            w.Line();
            w.Line($"public static short HighestSupportedVersion => {s.Range.Hi};");
            w.Line();
            if (apiName is not null)
            {
                w.Line($"public global::Rhei.Protocol.ApiKey ApiKey => global::Rhei.Protocol.ApiKey.{apiName};");
                w.Line();
            }
        }

        EmitFields(w, s, hasTaggedSection);
        EmitConstructors(w, s);
        w.ResetCounter();
        EmitRead(w, message, s, flexRange, isRoot);
        w.ResetCounter();
        EmitComputeSize(w, message, s, flexRange);
        w.ResetCounter();
        EmitWrite(w, message, s, flexRange, isRoot);
        if (s.UsedAsField)
        {
            EmitHasDefaultValues(w, s, hasTaggedSection);
        }
        EmitEquality(w, s, hasTaggedSection);

        if (isRoot)
        {
            foreach (var nested in message.NestedStructs)
            {
                w.Line();
                EmitStruct(w, message, nested, null);
            }
        }
        w.Close();
    }

    private static void EmitFields(CodeWriter w, StructModel s, bool hasTaggedSection)
    {
        foreach (var f in s.Fields)
        {
            var type = ValueCodec.CsType(f.Type, f.CanBeNull);
            var initializer = f.Type.Kind switch
            {
                TypeKind.Array or TypeKind.Struct => null,
                TypeKind.Bytes => f.DefaultIsNull ? null : "Array.Empty<byte>()",
                TypeKind.Records => null,
                _ => ValueCodec.DefaultLiteral(f),
            };
            w.Line($"/// <summary>Versions {f.Present}{Describe(f)}.</summary>");
            w.Line(initializer is null ? $"public {type} {f.CsName};" : $"public {type} {f.CsName} = {initializer};");
            w.Line();
        }
        if (hasTaggedSection)
        {
            w.Line("/// <summary>Tagged fields this code does not know, kept to be written back.</summary>");
            w.Line("public List<RawTaggedField>? UnknownTaggedFields;");
            w.Line();
        }
    }

    private static string Describe(FieldModel f)
    {
        var parts = new List<string>();
        if (!f.Nullable.IsEmpty)
        {
            parts.Add($"nullable in {f.Nullable}");
        }
        if (!f.Tagged.IsEmpty)
        {
            parts.Add($"tag {f.Spec.Tag}");
        }
        if (f.Spec.Ignorable)
        {
            parts.Add("ignorable");
        }
        if (f.Spec.Default is { } d)
        {
            parts.Add($"default {d}");
        }
        return parts.Count == 0 ? "" : "; " + string.Join(", ", parts);
    }

    /// <summary>Fields whose default is a new object (a list or a struct).</summary>
    private static bool AllocatesDefault(FieldModel f) =>
        f.Type.Kind is TypeKind.Array or TypeKind.Struct && !f.DefaultIsNull;

    private static void EmitConstructors(CodeWriter w, StructModel s)
    {
        var allocating = s.Fields.Where(AllocatesDefault).ToList();
        w.Line("/// <summary>Creates the message with every field at its default.</summary>");
        w.Open($"public {s.CsName}()");
        foreach (var f in allocating)
        {
            w.Line($"{f.CsName} = new();");
        }
        w.Close();
        w.Line();
        // Used by Read: fields that Read always assigns are left for it, so no default list is allocated
        // only to be replaced.
        w.Open($"private {s.CsName}(bool forRead)");
        w.Line("_ = forRead;");
        foreach (var f in allocating)
        {
            var alwaysRead = f.Present == s.Range && f.Tagged.IsEmpty;
            w.Line(alwaysRead ? $"{f.CsName} = null!;" : $"{f.CsName} = new();");
        }
        w.Close();
        w.Line();
    }

    private static string StructFlex(VersionRange flexRange, StructModel s) =>
        flexRange.Condition(s.Range) switch
        {
            "true" => "true",
            "false" => "false",
            _ => "flexible",
        };

    private static void DeclareFlexible(CodeWriter w, VersionRange flexRange, StructModel s)
    {
        var condition = flexRange.Condition(s.Range);
        if (condition is not ("true" or "false"))
        {
            w.Line($"var flexible = {condition};");
        }
    }

    private static string FieldFlex(FieldModel f, string structFlex)
    {
        if (!f.Tagged.IsEmpty)
        {
            return "true";
        }
        var condition = f.Flexible.Condition(f.Present);
        if (condition is "true" or "false")
        {
            return condition;
        }
        return f.Spec.FlexibleVersions is null ? structFlex : condition;
    }

    private static void EmitVersionCheck(CodeWriter w, StructModel s)
    {
        w.Open($"if (version < {s.Range.Lo} || version > {s.Range.Hi})");
        w.Line($"throw ProtocolErrors.UnsupportedVersion(\"{s.CsName}\", version, {s.Range.Lo}, {s.Range.Hi});");
        w.Close();
    }

    private static void EmitRead(CodeWriter w, MessageModel message, StructModel s, VersionRange flexRange, bool isRoot)
    {
        w.Line($"/// <summary>Reads a {s.CsName} at <paramref name=\"version\"/>.</summary>");
        w.Open($"public static {s.CsName} Read(ref ProtocolReader reader, short version)");
        if (isRoot)
        {
            EmitVersionCheck(w, s);
        }
        DeclareFlexible(w, flexRange, s);
        var structFlex = StructFlex(flexRange, s);
        w.Line($"var o = new {s.CsName}(forRead: true);");
        foreach (var f in s.Fields.Where(f => f.Tagged.IsEmpty))
        {
            var present = f.Present.Condition(s.Range);
            var flex = FieldFlex(f, structFlex);
            var nullable = f.Nullable.Condition(f.Present);
            if (present == "true")
            {
                ValueCodec.EmitRead(w, f.Type, $"o.{f.CsName}", "reader", flex, nullable, f.CsName);
                continue;
            }
            w.Open($"if ({present})");
            ValueCodec.EmitRead(w, f.Type, $"o.{f.CsName}", "reader", flex, nullable, f.CsName);
            w.Close();
            if (AllocatesDefault(f))
            {
                w.Open("else");
                w.Line($"o.{f.CsName} = new();");
                w.Close();
            }
        }
        if (!flexRange.IsEmpty)
        {
            var open = structFlex != "true";
            if (open)
            {
                w.Open($"if ({structFlex})");
            }
            var tagged = s.Fields.Where(f => !f.Tagged.IsEmpty).OrderBy(f => f.Spec.Tag).ToList();
            w.Line("var taggedCount = reader.ReadUnsignedVarInt();");
            w.Open("for (var t = 0; t < taggedCount; t++)");
            w.Line("var tag = reader.ReadUnsignedVarInt();");
            w.Line("var tagSize = reader.ReadUnsignedVarInt();");
            if (tagged.Count == 0)
            {
                w.Line("(o.UnknownTaggedFields ??= []).Add(reader.ReadUnknownTaggedField(tag, tagSize));");
            }
            else
            {
                w.Open("switch (tag)");
                foreach (var f in tagged)
                {
                    var guard = f.Tagged.Condition(flexRange);
                    w.Line(guard == "true" ? $"case {f.Spec.Tag}:" : $"case {f.Spec.Tag} when {guard}:");
                    w.Open();
                    w.Line("var value = reader.ReadSlice(tagSize);");
                    ValueCodec.EmitRead(w, f.Type, $"o.{f.CsName}", "value", "true", f.Nullable.Condition(f.Present), f.CsName);
                    w.Line($"value.EnsureFullyRead(\"{f.CsName}\");");
                    w.Line("break;");
                    w.Close();
                }
                w.Line("default:");
                w.Line("    (o.UnknownTaggedFields ??= []).Add(reader.ReadUnknownTaggedField(tag, tagSize));");
                w.Line("    break;");
                w.Close();
            }
            w.Close();
            if (open)
            {
                w.Close();
            }
        }
        w.Line("return o;");
        w.Close();
        w.Line();
    }

    private static void EmitComputeSize(CodeWriter w, MessageModel message, StructModel s, VersionRange flexRange)
    {
        w.Line("/// <summary>The exact number of bytes <see cref=\"Write\"/> writes at <paramref name=\"version\"/>.</summary>");
        w.Open("public int ComputeSize(short version)");
        DeclareFlexible(w, flexRange, s);
        var structFlex = StructFlex(flexRange, s);
        w.Line("var size = 0;");
        foreach (var f in s.Fields.Where(f => f.Tagged.IsEmpty))
        {
            var present = f.Present.Condition(s.Range);
            var flex = FieldFlex(f, structFlex);
            var nullable = f.Nullable.Condition(f.Present);
            if (present != "true")
            {
                w.Open($"if ({present})");
            }
            ValueCodec.EmitSize(w, f.Type, f.CsName, flex, nullable, "size");
            if (present != "true")
            {
                w.Close();
            }
        }
        if (!flexRange.IsEmpty)
        {
            var open = structFlex != "true";
            if (open)
            {
                w.Open($"if ({structFlex})");
            }
            w.Line("var taggedCount = UnknownTaggedFields?.Count ?? 0;");
            foreach (var f in s.Fields.Where(f => !f.Tagged.IsEmpty).OrderBy(f => f.Spec.Tag))
            {
                w.Open($"if ({TaggedWriteCondition(f, flexRange)})");
                w.Line("taggedCount++;");
                w.Line("var tagged = 0;");
                ValueCodec.EmitSize(w, f.Type, f.CsName, "true", f.Nullable.Condition(f.Present), "tagged");
                w.Line($"size += ProtocolSize.TaggedField({f.Spec.Tag}, tagged);");
                w.Close();
            }
            w.Line("size += ProtocolSize.UnsignedVarInt(taggedCount) + ProtocolSize.UnknownTaggedFields(UnknownTaggedFields);");
            if (open)
            {
                w.Close();
            }
        }
        w.Line("return size;");
        w.Close();
        w.Line();
    }

    private static string TaggedWriteCondition(FieldModel f, VersionRange flexRange)
    {
        var guard = f.Tagged.Condition(flexRange);
        var nonDefault = ValueCodec.NonDefault(f, f.CsName);
        return guard == "true" ? nonDefault : $"{guard} && {nonDefault}";
    }

    private static void EmitWrite(CodeWriter w, MessageModel message, StructModel s, VersionRange flexRange, bool isRoot)
    {
        w.Line("/// <summary>Writes this at <paramref name=\"version\"/>; the writer needs <see cref=\"ComputeSize\"/> bytes.</summary>");
        w.Open("public void Write(ref ProtocolWriter writer, short version)");
        if (isRoot)
        {
            EmitVersionCheck(w, s);
        }
        // Like Kafka: a non-ignorable field set to a non-default value cannot be silently dropped.
        foreach (var f in s.Fields.Where(f => !f.Spec.Ignorable))
        {
            var present = f.Present.Condition(s.Range);
            if (present == "true")
            {
                continue;
            }
            w.Open($"if (!({present}) && {ValueCodec.NonDefault(f, f.CsName)})");
            w.Line($"throw ProtocolErrors.NonDefaultField(\"{s.CsName}\", \"{f.CsName}\", version);");
            w.Close();
        }
        DeclareFlexible(w, flexRange, s);
        var structFlex = StructFlex(flexRange, s);
        foreach (var f in s.Fields.Where(f => f.Tagged.IsEmpty))
        {
            var present = f.Present.Condition(s.Range);
            var flex = FieldFlex(f, structFlex);
            var nullable = f.Nullable.Condition(f.Present);
            if (present != "true")
            {
                w.Open($"if ({present})");
            }
            ValueCodec.EmitWrite(w, f.Type, f.CsName, flex, nullable, f.CsName);
            if (present != "true")
            {
                w.Close();
            }
        }
        if (!flexRange.IsEmpty)
        {
            var open = structFlex != "true";
            if (open)
            {
                w.Open($"if ({structFlex})");
            }
            var tagged = s.Fields.Where(f => !f.Tagged.IsEmpty).OrderBy(f => f.Spec.Tag).ToList();
            w.Line("var taggedCount = UnknownTaggedFields?.Count ?? 0;");
            foreach (var f in tagged)
            {
                w.Open($"if ({TaggedWriteCondition(f, flexRange)})");
                w.Line("taggedCount++;");
                w.Close();
            }
            w.Line("writer.WriteUnsignedVarInt(taggedCount);");
            if (tagged.Count > 0)
            {
                w.Line("var unknownIndex = 0;");
                foreach (var f in tagged)
                {
                    w.Line($"writer.WriteUnknownTaggedFields(UnknownTaggedFields, ref unknownIndex, {f.Spec.Tag});");
                    w.Open($"if ({TaggedWriteCondition(f, flexRange)})");
                    w.Line($"writer.WriteUnsignedVarInt({f.Spec.Tag});");
                    w.Line("var tagged = 0;");
                    ValueCodec.EmitSize(w, f.Type, f.CsName, "true", f.Nullable.Condition(f.Present), "tagged");
                    w.Line("writer.WriteUnsignedVarInt(tagged);");
                    ValueCodec.EmitWrite(w, f.Type, f.CsName, "true", f.Nullable.Condition(f.Present), f.CsName);
                    w.Close();
                }
                w.Line("writer.WriteUnknownTaggedFields(UnknownTaggedFields, ref unknownIndex, int.MaxValue);");
            }
            else
            {
                w.Line("var unknownIndex = 0;");
                w.Line("writer.WriteUnknownTaggedFields(UnknownTaggedFields, ref unknownIndex, int.MaxValue);");
            }
            if (open)
            {
                w.Close();
            }
        }
        w.Close();
        w.Line();
    }

    private static void EmitHasDefaultValues(CodeWriter w, StructModel s, bool hasTaggedSection)
    {
        w.Line("/// <summary>True when every field holds its default (tagged struct fields at their default are not sent).</summary>");
        w.Open("public bool HasDefaultValues()");
        var terms = s.Fields.Select(f => $"!({ValueCodec.NonDefault(f, f.CsName)})").ToList();
        if (hasTaggedSection)
        {
            terms.Add("UnknownTaggedFields is null or { Count: 0 }");
        }
        EmitConjunction(w, "return ", terms, "true");
        w.Close();
        w.Line();
    }

    private static void EmitConjunction(CodeWriter w, string prefix, List<string> terms, string empty)
    {
        if (terms.Count == 0)
        {
            w.Line($"{prefix}{empty};");
            return;
        }
        for (var i = 0; i < terms.Count; i++)
        {
            var head = i == 0 ? prefix : "    && ";
            var tail = i == terms.Count - 1 ? ";" : "";
            w.Line(head + terms[i] + tail);
        }
    }

    private static void EmitEquality(CodeWriter w, StructModel s, bool hasTaggedSection)
    {
        w.Open($"public bool Equals({s.CsName}? other)");
        w.Open("if (other is null)");
        w.Line("return false;");
        w.Close();
        var terms = s.Fields.Select(f => ValueCodec.EqualsExpression(f.Type, f.CsName, "other." + f.CsName)).ToList();
        if (hasTaggedSection)
        {
            terms.Add("ProtocolEquality.TaggedFieldsEqual(UnknownTaggedFields, other.UnknownTaggedFields)");
        }
        w.Open("if (ReferenceEquals(this, other))");
        w.Line("return true;");
        w.Close();
        EmitConjunction(w, "return ", terms, "true");
        w.Close();
        w.Line();
        w.Line($"public override bool Equals(object? obj) => Equals(obj as {s.CsName});");
        w.Line();
        w.Open("public override int GetHashCode()");
        w.Line("var hash = new HashCode();");
        foreach (var f in s.Fields)
        {
            w.Line($"hash.Add({ValueCodec.HashExpression(f.Type, f.CsName)});");
        }
        w.Line("return hash.ToHashCode();");
        w.Close();
    }
}
