using System.Text.Encodings.Web;
using System.Text.Json;
using Rhei.Formats.Serde;
using Rhei.Formats.Types;

namespace Rhei.Formats.Json;

/// <summary>
/// What the JSON reader and writer need for one position of a type tree, computed once per schema: base type,
/// decimal parameters, child plans, and for objects (the row, STRUCTs) the pre-encoded field names and the name
/// lookup.
/// </summary>
internal sealed class JsonTypePlan
{
    private static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    private JsonTypePlan(SqlType type)
    {
        Type = type;
        BaseType = type.BaseType;
        switch (type)
        {
            case SqlDecimalType d:
                Precision = d.Precision;
                Scale = d.Scale;
                break;
            case SqlArrayType a:
                Element = new JsonTypePlan(a.ElementType);
                break;
            case SqlMapType m:
                Key = new JsonTypePlan(m.KeyType);
                Value = new JsonTypePlan(m.ValueType);
                break;
            case SqlStructType s:
                StructType = s;
                InitFields(s.Fields.Select(f => (f.Name, f.Type)).ToList());
                break;
        }
    }

    private JsonTypePlan(SerdeSchema schema)
    {
        Type = new SqlStructType([.. schema.Columns.Select(c => new SqlField(c.Name, c.Type))]);
        BaseType = SqlBaseType.Struct;
        InitFields(schema.Columns.Select(c => (c.Name, c.Type)).ToList());
    }

    public SqlType Type { get; }

    public SqlBaseType BaseType { get; }

    public int Precision { get; }

    public int Scale { get; }

    public JsonTypePlan? Element { get; }

    public JsonTypePlan? Key { get; }

    public JsonTypePlan? Value { get; }

    /// <summary>For a STRUCT (null for the row itself).</summary>
    public SqlStructType? StructType { get; }

    public JsonTypePlan[] Fields { get; private set; } = [];

    public string[] FieldNames { get; private set; } = [];

    public JsonEncodedText[] EncodedNames { get; private set; } = [];

    public FieldNameLookup? Lookup { get; private set; }

    /// <summary>Per field, how it was filled while reading one object: 0 not yet, 1 by upper-case name, 2 by exact name.</summary>
    public byte[] MatchState { get; private set; } = [];

    /// <summary>Per field, the error of a value matched only by upper-cased name, raised unless an exact match follows.</summary>
    public JsonPathException?[] PendingErrors { get; private set; } = [];

    public static JsonTypePlan For(SqlType type) => new(type);

    public static JsonTypePlan ForRow(SerdeSchema schema) => new(schema);

    private void InitFields(List<(string Name, SqlType Type)> fields)
    {
        Fields = [.. fields.Select(f => new JsonTypePlan(f.Type))];
        FieldNames = [.. fields.Select(f => f.Name)];
        EncodedNames = [.. fields.Select(f => JsonEncodedText.Encode(f.Name, Encoder))];
        Lookup = new FieldNameLookup(FieldNames);
        MatchState = new byte[fields.Count];
        PendingErrors = new JsonPathException?[fields.Count];
    }
}
