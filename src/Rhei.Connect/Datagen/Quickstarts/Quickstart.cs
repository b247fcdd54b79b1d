using Rhei.Formats.Types;

namespace Rhei.Connect.Datagen.Quickstarts;

/// <summary>One field of a quickstart record: its name, type, and how a value is drawn (from the random stream and the iteration).</summary>
public sealed record QuickstartField(string Name, SqlType Type, Func<FastRandom, long, object?> Generate);

/// <summary>
/// A datagen quickstart: a named record shape (as the Confluent datagen quickstarts users know), its key field and its
/// field generators. Records are deterministic for a seed.
/// </summary>
public sealed class Quickstart
{
    public Quickstart(string name, string keyField, IReadOnlyList<QuickstartField> fields)
    {
        Name = name;
        KeyField = keyField;
        Fields = fields;
        ValueType = new SqlStructType([.. fields.Select(f => new SqlField(f.Name, f.Type))]);
        KeyIndex = fields.Select((f, i) => (f, i)).First(x => x.f.Name == keyField).i;
    }

    public string Name { get; }

    public string KeyField { get; }

    public int KeyIndex { get; }

    public IReadOnlyList<QuickstartField> Fields { get; }

    public SqlStructType ValueType { get; }

    public SqlType KeyType => Fields[KeyIndex].Type;

    /// <summary>The value of iteration <paramref name="iteration"/> (0-based).</summary>
    public SqlStruct Next(FastRandom random, long iteration)
    {
        var values = new object?[Fields.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Fields[i].Generate(random, iteration);
        }

        return new SqlStruct(ValueType, values);
    }
}
