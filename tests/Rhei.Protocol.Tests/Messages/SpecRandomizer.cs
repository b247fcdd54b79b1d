using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Rhei.Protocol.Messages;

namespace Rhei.Protocol.Tests.Messages;

/// <summary>
/// Fills generated messages with seeded random values, reading the JSON specs itself (independently of the
/// generator) to decide which fields exist, which may be null and which are tagged at a given version.
/// Fields absent from the version keep their defaults, so writing never meets a non-default absent field.
/// </summary>
internal sealed class SpecRandomizer
{
    private static readonly JsonDocumentOptions Options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    private static readonly string[] Words = ["orders", "tøpic", "a", "", "ünïcödé-✓", "rhei.internal", "x-y_z", "日本"];

    private readonly Random _random;
    private readonly Dictionary<string, JsonElement> _commonStructs = new(StringComparer.Ordinal);
    private readonly (short Lo, short Hi) _flexible;
    private readonly JsonElement _root;

    public SpecRandomizer(string messageName, int seed)
    {
        _random = new Random(seed);
        var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.SpecsDirectory, messageName + ".json")), Options);
        _root = document.RootElement;
        _flexible = Parse(_root.GetProperty("flexibleVersions").GetString());
        if (_root.TryGetProperty("commonStructs", out var commons))
        {
            foreach (var common in commons.EnumerateArray())
            {
                _commonStructs[common.GetProperty("name").GetString()!] = common.GetProperty("fields");
            }
        }
    }

    public object Populate(Type messageType, short version) => PopulateStruct(messageType, _root.GetProperty("fields"), version);

    /// <summary>True when <paramref name="version"/> uses the flexible encoding.</summary>
    public bool IsFlexible(short version) => In(_flexible, version);

    private object PopulateStruct(Type type, JsonElement fields, short version)
    {
        var instance = Activator.CreateInstance(type)!;
        foreach (var field in fields.EnumerateArray())
        {
            if (!In(Parse(field.GetProperty("versions").GetString()), version))
            {
                continue;
            }
            var specName = field.GetProperty("name").GetString()!;
            var csName = char.ToUpperInvariant(specName[0]) + specName[1..];
            var member = type.GetField(csName, BindingFlags.Public | BindingFlags.Instance)
                ?? throw new InvalidOperationException($"{type.Name} has no field {csName} although the spec has it at version {version}.");
            var nullable = field.TryGetProperty("nullableVersions", out var nv) && In(Parse(nv.GetString()), version);
            member.SetValue(instance, RandomValue(member.FieldType, field, field.GetProperty("type").GetString()!, version, nullable));
        }
        if (IsFlexible(version) && _random.Next(4) == 0)
        {
            var unknown = type.GetField("UnknownTaggedFields")!;
            var tags = new List<RawTaggedField>();
            var tag = 40 + _random.Next(5);
            for (var i = _random.Next(1, 3); i > 0; i--)
            {
                tags.Add(new RawTaggedField(tag, RandomBytes(6)));
                tag += 1 + _random.Next(300);
            }
            unknown.SetValue(instance, tags);
        }
        return instance;
    }

    private object? RandomValue(Type csType, JsonElement field, string specType, short version, bool nullable)
    {
        if (nullable && _random.Next(5) == 0)
        {
            return null;
        }
        if (specType.StartsWith("[]", StringComparison.Ordinal))
        {
            var elementType = csType.GetGenericArguments()[0];
            var list = (IList)Activator.CreateInstance(csType)!;
            var count = _random.Next(4);
            for (var i = 0; i < count; i++)
            {
                list.Add(RandomValue(elementType, field, specType[2..], version, nullable: false));
            }
            return list;
        }
        switch (specType)
        {
            case "bool": return _random.Next(2) == 1;
            case "int8": return (sbyte)_random.Next(sbyte.MinValue, sbyte.MaxValue + 1);
            case "int16": return (short)_random.Next(short.MinValue, short.MaxValue + 1);
            case "uint16": return (ushort)_random.Next(ushort.MaxValue + 1);
            case "int32": return _random.Next(int.MinValue, int.MaxValue);
            case "uint32": return (uint)_random.NextInt64(uint.MaxValue + 1L);
            case "int64": return _random.NextInt64(long.MinValue, long.MaxValue);
            case "float64": return Math.Round(_random.NextDouble() * 1e6, 3) - 5e5;
            case "uuid": return new Guid(RandomBytes(16));
            case "string": return Words[_random.Next(Words.Length)] + (_random.Next(3) == 0 ? _random.Next(1000).ToString(CultureInfo.InvariantCulture) : "");
            case "bytes": return RandomBytes(_random.Next(12));
            case "records":
                // Offset the slice so the test also covers records that do not start a buffer.
                var buffer = RandomBytes(_random.Next(48) + 2);
                return (ReadOnlyMemory<byte>?)buffer.AsMemory(1);
            default:
                var nested = field.TryGetProperty("fields", out var inline) ? inline : _commonStructs[specType];
                var type = Nullable.GetUnderlyingType(csType) ?? csType;
                return PopulateStruct(type, nested, version);
        }
    }

    private byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        _random.NextBytes(bytes);
        return bytes;
    }

    private static bool In((short Lo, short Hi) range, short version) => version >= range.Lo && version <= range.Hi;

    private static (short Lo, short Hi) Parse(string? text)
    {
        if (text is null or "none" or "")
        {
            return (1, 0);
        }
        if (text.EndsWith('+'))
        {
            return (short.Parse(text[..^1], CultureInfo.InvariantCulture), short.MaxValue);
        }
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        return dash > 0
            ? (short.Parse(text[..dash], CultureInfo.InvariantCulture), short.Parse(text[(dash + 1)..], CultureInfo.InvariantCulture))
            : (short.Parse(text, CultureInfo.InvariantCulture), short.Parse(text, CultureInfo.InvariantCulture));
    }
}
