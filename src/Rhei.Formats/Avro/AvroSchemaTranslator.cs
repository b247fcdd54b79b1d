using System.Buffers;
using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Avro;
using Rhei.Formats.Serde;
using Rhei.Formats.Types;

namespace Rhei.Formats.Avro;

/// <summary>
/// SQL schemas to Avro schemas the way ksqlDB writes them, and Avro schemas to SQL columns (schema inference).
/// A row is a record (default name <c>io.confluent.ksql.avro_schemas.KsqlDataSourceSchema</c>, or FULL_SCHEMA_NAME)
/// whose fields are nullable unions <c>["null", T]</c> with default null; nested structs are records named
/// <c>Parent_FIELD</c>; MAPs are arrays of key/value <c>MapEntry</c> records (as Kafka Connect writes maps with
/// nullable keys); DECIMAL is bytes with the decimal logical type, DATE/TIME/TIMESTAMP the date, time-millis and
/// timestamp-millis logical types; records carry <c>connect.name</c>.
/// </summary>
public static class AvroSchemaTranslator
{
    public const string DefaultNamespace = "io.confluent.ksql.avro_schemas";
    public const string DefaultName = "KsqlDataSourceSchema";
    public const string DefaultFullName = DefaultNamespace + "." + DefaultName;

    /// <summary>The Avro schema JSON for a key or value.</summary>
    /// <param name="unwrapped">The single column is written alone (UNWRAP_SINGLES).</param>
    /// <param name="fullName">The record's full name (FULL_SCHEMA_NAME), default <see cref="DefaultFullName"/>.</param>
    public static string ToAvroJson(SerdeSchema schema, bool unwrapped, string? fullName = null)
    {
        fullName = string.IsNullOrWhiteSpace(fullName) ? DefaultFullName : fullName.Trim();
        var dot = fullName.LastIndexOf('.');
        var ns = dot < 0 ? null : fullName[..dot];
        var name = dot < 0 ? fullName : fullName[(dot + 1)..];
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            if (unwrapped && schema.Count == 1)
            {
                WriteType(w, schema[0].Type, name, ns, top: true);
            }
            else
            {
                WriteRecord(w, schema.Select(c => new SqlField(c.Name, c.Type)), name, ns, top: true);
            }
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static Schema ToAvro(SerdeSchema schema, bool unwrapped, string? fullName = null) => Schema.Parse(ToAvroJson(schema, unwrapped, fullName));

    /// <summary>Why SQL names cannot be Avro names (ksqlDB's <c>Schema is not compatible with Avro: ...</c> reason), or null.</summary>
    public static string? FindNameProblem(SerdeSchema schema, bool unwrapped)
    {
        foreach (var column in schema)
        {
            if (!unwrapped && AvroNames.Problem(column.Name) is { } p)
            {
                return $"Schema is not compatible with Avro: {p}";
            }

            if (FindNameProblem(column.Type) is { } nested)
            {
                return $"Schema is not compatible with Avro: {nested}";
            }
        }

        return null;
    }

    private static string? FindNameProblem(SqlType type) => type switch
    {
        SqlStructType s => s.Fields.Select(f => AvroNames.Problem(f.Name) ?? FindNameProblem(f.Type)).FirstOrDefault(p => p is not null),
        SqlArrayType a => FindNameProblem(a.ElementType),
        SqlMapType m => FindNameProblem(m.ValueType),
        _ => null,
    };

    private static void WriteRecord(Utf8JsonWriter w, IEnumerable<SqlField> fields, string name, string? ns, bool top)
    {
        w.WriteStartObject();
        w.WriteString("type", "record");
        w.WriteString("name", name);
        if (top && ns is not null)
        {
            w.WriteString("namespace", ns);
        }

        w.WriteStartArray("fields");
        foreach (var f in fields)
        {
            w.WriteStartObject();
            w.WriteString("name", f.Name);
            w.WritePropertyName("type");
            w.WriteStartArray();
            w.WriteStringValue("null");
            WriteType(w, f.Type, name + "_" + f.Name, ns, top: false);
            w.WriteEndArray();
            w.WriteNull("default");
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteString("connect.name", ns is null ? name : ns + "." + name);
        w.WriteEndObject();
    }

    private static void WriteType(Utf8JsonWriter w, SqlType type, string name, string? ns, bool top)
    {
        switch (type)
        {
            case SqlDecimalType d:
                w.WriteStartObject();
                w.WriteString("type", "bytes");
                w.WriteNumber("scale", d.Scale);
                w.WriteNumber("precision", d.Precision);
                w.WriteNumber("connect.version", 1);
                w.WriteStartObject("connect.parameters");
                w.WriteString("scale", d.Scale.ToString(System.Globalization.CultureInfo.InvariantCulture));
                w.WriteString("connect.decimal.precision", d.Precision.ToString(System.Globalization.CultureInfo.InvariantCulture));
                w.WriteEndObject();
                w.WriteString("connect.name", "org.apache.kafka.connect.data.Decimal");
                w.WriteString("logicalType", "decimal");
                w.WriteEndObject();
                break;
            case SqlArrayType a:
                w.WriteStartObject();
                w.WriteString("type", "array");
                w.WritePropertyName("items");
                w.WriteStartArray();
                w.WriteStringValue("null");
                WriteType(w, a.ElementType, name, ns, top: false);
                w.WriteEndArray();
                w.WriteEndObject();
                break;
            case SqlMapType m:
                w.WriteStartObject();
                w.WriteString("type", "array");
                w.WritePropertyName("items");
                w.WriteStartObject();
                w.WriteString("type", "record");
                w.WriteString("name", name);
                if (top && ns is not null)
                {
                    w.WriteString("namespace", ns);
                }

                w.WriteStartArray("fields");
                foreach (var (fieldName, fieldType) in (ReadOnlySpan<(string, SqlType)>)[("key", m.KeyType), ("value", m.ValueType)])
                {
                    w.WriteStartObject();
                    w.WriteString("name", fieldName);
                    w.WritePropertyName("type");
                    w.WriteStartArray();
                    w.WriteStringValue("null");
                    WriteType(w, fieldType, name + "_" + fieldName, ns, top: false);
                    w.WriteEndArray();
                    w.WriteNull("default");
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteString("connect.internal.type", "MapEntry");
                w.WriteString("connect.name", ns is null ? name : ns + "." + name);
                w.WriteEndObject();
                w.WriteEndObject();
                break;
            case SqlStructType s:
                WriteRecord(w, s.Fields, name, ns, top);
                break;
            default:
                switch (type.BaseType)
                {
                    case SqlBaseType.Boolean: w.WriteStringValue("boolean"); break;
                    case SqlBaseType.Integer: w.WriteStringValue("int"); break;
                    case SqlBaseType.BigInt: w.WriteStringValue("long"); break;
                    case SqlBaseType.Double: w.WriteStringValue("double"); break;
                    case SqlBaseType.String: w.WriteStringValue("string"); break;
                    case SqlBaseType.Bytes: w.WriteStringValue("bytes"); break;
                    case SqlBaseType.Date:
                        Logical(w, "int", "date", "org.apache.kafka.connect.data.Date");
                        break;
                    case SqlBaseType.Time:
                        Logical(w, "int", "time-millis", "org.apache.kafka.connect.data.Time");
                        break;
                    case SqlBaseType.Timestamp:
                        Logical(w, "long", "timestamp-millis", "org.apache.kafka.connect.data.Timestamp");
                        break;
                    default:
                        throw new ArgumentOutOfRangeException(nameof(type), type, null);
                }

                break;
        }
    }

    private static void Logical(Utf8JsonWriter w, string baseType, string logical, string connectName)
    {
        w.WriteStartObject();
        w.WriteString("type", baseType);
        w.WriteNumber("connect.version", 1);
        w.WriteString("connect.name", connectName);
        w.WriteString("logicalType", logical);
        w.WriteEndObject();
    }

    // ---- Avro → SQL ----

    /// <summary>
    /// The SQL type of an Avro schema (ksqlDB's inference): records → STRUCT, arrays → ARRAY, maps and arrays of
    /// key/value records → MAP&lt;STRING, V&gt;, enums → STRING, fixed → BYTES, float → DOUBLE, unions with null →
    /// the other branch, other unions → STRUCT of the branches, logical decimal/date/time-millis/timestamp-millis →
    /// DECIMAL/DATE/TIME/TIMESTAMP. Field names are upper-cased unless <paramref name="preserveNames"/>.
    /// </summary>
    /// <exception cref="FormatException">A recursive schema or a null-only type.</exception>
    public static SqlType ToSql(Schema schema, bool preserveNames) => ToSql(schema, preserveNames, new HashSet<string>());

    /// <summary>The columns of a key or value from its Avro schema: the record's fields, or one column <paramref name="singleColumnName"/> for an unwrapped schema.</summary>
    public static SerdeSchema ToColumns(Schema schema, bool unwrapped, bool preserveNames, string singleColumnName)
    {
        var type = ToSql(schema, preserveNames);
        if (unwrapped)
        {
            return SerdeSchema.Of((singleColumnName, type));
        }

        if (type is not SqlStructType st)
        {
            throw new FormatException($"The schema is a {schema.Tag.ToString().ToUpperInvariant()}, not a record: set WRAP_SINGLE_VALUE=false to read it as one column");
        }

        return new SerdeSchema(st.Fields.Select(f => new SerdeColumn(f.Name, f.Type)));
    }

    private static SqlType ToSql(Schema schema, bool preserve, HashSet<string> path)
    {
        switch (schema)
        {
            case LogicalSchema l:
                return l.LogicalTypeName switch
                {
                    "decimal" => SqlTypes.Decimal(IntProperty(l, "precision") ?? 64, IntProperty(l, "scale") ?? 0),
                    "date" => SqlTypes.Date,
                    "time-millis" => SqlTypes.Time,
                    "timestamp-millis" => SqlTypes.Timestamp,
                    _ => ToSql(l.BaseSchema, preserve, path),
                };
            case RecordSchema r:
                {
                    if (!path.Add(r.Fullname))
                    {
                        throw new FormatException($"ksqlDB does not support recursive schemas: {r.Fullname} contains itself");
                    }

                    if (r.Fields.Count == 2 && r.Fields[0].Name == "key" && r.Fields[1].Name == "value" && r.GetProperty("connect.internal.type") is not null)
                    {
                        // a lone MapEntry record outside an array: read as a struct anyway
                    }

                    var fields = r.Fields.Select(f => new SqlField(preserve ? f.Name : f.Name.ToUpperInvariant(), ToSql(f.Schema, preserve, path))).ToImmutableArray();
                    path.Remove(r.Fullname);
                    return new SqlStructType(fields);
                }

            case ArraySchema a when IsMapEntry(a.ItemSchema) is { } entry:
                return SqlTypes.Map(SqlTypes.String, ToSql(entry.Fields[1].Schema, preserve, path));
            case ArraySchema a:
                return SqlTypes.Array(ToSql(a.ItemSchema, preserve, path));
            case MapSchema m:
                return SqlTypes.Map(SqlTypes.String, ToSql(m.ValueSchema, preserve, path));
            case UnionSchema u:
                {
                    var branches = u.Schemas.Where(b => b.Tag != Schema.Type.Null).ToList();
                    if (branches.Count == 0)
                    {
                        throw new FormatException("A union of only null has no SQL type");
                    }

                    if (branches.Count == 1)
                    {
                        return ToSql(branches[0], preserve, path);
                    }

                    return new SqlStructType([.. branches.Select(b => new SqlField(UnionBranchName(b, preserve), ToSql(b, preserve, path)))]);
                }

            case EnumSchema:
                return SqlTypes.String;
            case FixedSchema:
                return SqlTypes.Bytes;
            default:
                return schema.Tag switch
                {
                    Schema.Type.Boolean => SqlTypes.Boolean,
                    Schema.Type.Int => SqlTypes.Integer,
                    Schema.Type.Long => SqlTypes.BigInt,
                    Schema.Type.Float or Schema.Type.Double => SqlTypes.Double,
                    Schema.Type.String => SqlTypes.String,
                    Schema.Type.Bytes => SqlTypes.Bytes,
                    _ => throw new FormatException($"The Avro type {schema.Tag.ToString().ToUpperInvariant()} has no SQL type"),
                };
        }
    }

    /// <summary>The record of an array that encodes a map (<c>key</c> string and <c>value</c> fields), or null.</summary>
    internal static RecordSchema? IsMapEntry(Schema items)
    {
        if (items is not RecordSchema r || r.Fields.Count != 2 || r.Fields[0].Name != "key" || r.Fields[1].Name != "value")
        {
            return null;
        }

        var key = r.Fields[0].Schema;
        if (key is UnionSchema u)
        {
            var nonNull = u.Schemas.Where(s => s.Tag != Schema.Type.Null).ToList();
            key = nonNull.Count == 1 ? nonNull[0] : key;
        }

        return key.Tag == Schema.Type.String ? r : null;
    }

    /// <summary>The field name of a union branch in the STRUCT ksqlDB reads a union as (Kafka Connect's naming).</summary>
    internal static string UnionBranchName(Schema branch, bool preserve)
    {
        var name = branch switch
        {
            NamedSchema n => n.Name,
            LogicalSchema l => l.BaseSchema.Tag.ToString().ToLowerInvariant(),
            _ => branch.Tag.ToString().ToLowerInvariant(),
        };
        return preserve ? name : name.ToUpperInvariant();
    }

    private static int? IntProperty(Schema s, string name)
    {
        var text = s.GetProperty(name);
        return text is not null && int.TryParse(text.Trim('"'), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : null;
    }
}
