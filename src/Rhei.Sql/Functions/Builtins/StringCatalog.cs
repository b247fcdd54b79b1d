using Rhei.Formats.Types;
using Rhei.Sql.Functions.Scalar;
using static Rhei.Sql.Functions.Builtins.FunctionBuilder;

namespace Rhei.Sql.Functions.Builtins;

/// <summary>String, BYTES, regular-expression, URL and JSON built-ins.</summary>
internal static class StringCatalog
{
    private static readonly ParamType S = ParamType.String;
    private static readonly ParamType B = ParamType.Bytes;
    private static readonly ParamType I = ParamType.Integer;
    private static readonly SqlType Str = SqlTypes.String;
    private static readonly SqlType ArrayOfStrings = SqlTypes.Array(SqlTypes.String);

    public static void Register(FunctionRegistry r)
    {
        RegisterStrings(r);
        RegisterBytes(r);
        RegisterRegex(r);
        RegisterUrls(r);
        RegisterJson(r);
    }

    private static FunctionBuilder Fn(Type impl, string name, string category, string description, string? messageName = null) =>
        new(impl, name, FunctionKind.Scalar, category, description, messageName);

    private static FunctionBuilder Str1(string name, string description) =>
        Fn(typeof(StringFunctions), name, FunctionCategory.String, description);

    private static void RegisterStrings(FunctionRegistry r)
    {
        Str1("CONCAT", "Concatenates strings or bytes; NULL inputs count as empty.")
            .Add("Concat", Str, Variadic("inputs", S))
            .Add("Concat", SqlTypes.Bytes, Variadic("inputs", B))
            .Register(r);
        Str1("CONCAT_WS", "Concatenates strings or bytes with a separator, skipping NULL inputs; NULL when the separator is NULL.")
            .Add("ConcatWs", Str, P("separator", S), Variadic("args", S))
            .Add("ConcatWs", SqlTypes.Bytes, P("separator", B), Variadic("args", B))
            .Register(r);
        Str1("UCASE", "Converts a string to upper case.").Add("Ucase", Str, P("input", S)).Register(r);
        Str1("LCASE", "Converts a string to lower case.").Add("Lcase", Str, P("input", S)).Register(r);
        Str1("TRIM", "Removes spaces and control characters from both ends of a string.").Add("Trim", Str, P("input", S)).Register(r);
        Str1("INITCAP", "Capitalizes the first letter of each whitespace-delimited word and lower-cases the rest.")
            .Add("Initcap", Str, P("str", S)).Register(r);
        Str1("LEN", "Returns the length of a string, or the number of bytes of a BYTES value.")
            .Add("Len", SqlTypes.Integer, P("input", S))
            .Add("Len", SqlTypes.Integer, P("input", B))
            .Register(r);
        Str1("SUBSTRING", "Returns the part of a string or bytes from a 1-based position (negative: from the end), optionally of a given length.")
            .Add("Substring", Str, P("str", S), P("pos", I))
            .Add("Substring", Str, P("str", S), P("pos", I), P("length", I))
            .Add("Substring", SqlTypes.Bytes, P("bytes", B), P("pos", I))
            .Add("Substring", SqlTypes.Bytes, P("bytes", B), P("pos", I), P("length", I))
            .Register(r);
        Str1("INSTR", "Returns the 1-based position of a substring, from an optional position and for an optional occurrence; 0 when absent.")
            .Add("Instr", SqlTypes.Integer, P("str", S), P("substring", S))
            .Add("Instr", SqlTypes.Integer, P("str", S), P("substring", S), P("position", I))
            .Add("Instr", SqlTypes.Integer, P("str", S), P("substring", S), P("position", I), P("occurrence", I))
            .Register(r);
        Str1("LPAD", "Pads a string or bytes on the left to a length with a padding, or truncates it to that length.")
            .Add("Lpad", Str, P("input", S), P("length", I), P("padding", S))
            .Add("Lpad", SqlTypes.Bytes, P("input", B), P("length", I), P("padding", B))
            .Register(r);
        Str1("RPAD", "Pads a string or bytes on the right to a length with a padding, or truncates it to that length.")
            .Add("Rpad", Str, P("input", S), P("length", I), P("padding", S))
            .Add("Rpad", SqlTypes.Bytes, P("input", B), P("length", I), P("padding", B))
            .Register(r);
        Str1("REPLACE", "Replaces every occurrence of a substring with another string.")
            .Add("Replace", Str, P("str", S), P("substring", S), P("replacement", S)).Register(r);
        Str1("SPLIT", "Splits a string or bytes on a delimiter into an array, keeping empty parts.")
            .Add("Split", ArrayOfStrings, P("string", S), P("delimiter", S))
            .Add("Split", SqlTypes.Array(SqlTypes.Bytes), P("bytes", B), P("delimiter", B))
            .Register(r);
        Str1("SPLIT_TO_MAP", "Splits a string into key-value pairs with an entry delimiter and a key-value delimiter.")
            .Add("SplitToMap", SqlTypes.Map(Str, Str), P("input", S), P("entryDelimiter", S), P("kvDelimiter", S)).Register(r);
        Str1("CHR", "Returns the character of a Unicode code point, given as a number or as a '\\uXXXX' escape.")
            .Add("Chr", Str, P("decimalCode", I))
            .Add("Chr", Str, P("utfCode", S))
            .Register(r);
        Str1("UUID", "Returns a random (version 4) UUID, or the UUID of 16 bytes.")
            .Add("Uuid", Str)
            .Add("Uuid", Str, P("bytes", B))
            .Register(r);

        var mask = Fn(typeof(MaskFunctions), "MASK", FunctionCategory.String, "Masks a string: upper-case letters to 'X', lower-case to 'x', digits to 'n', others to '-' (or the given characters; NULL leaves a class unmasked).")
            .Add("Mask", Str, P("input", S))
            .Add("Mask", Str, P("input", S), P("upper", S), P("lower", S), P("digit", S), P("other", S));
        mask.Register(r);
        foreach (var (name, method, what) in new[]
                 {
                     ("MASK_KEEP_LEFT", "MaskKeepLeft", "all but the first numChars characters"),
                     ("MASK_KEEP_RIGHT", "MaskKeepRight", "all but the last numChars characters"),
                     ("MASK_LEFT", "MaskLeft", "the first numChars characters"),
                     ("MASK_RIGHT", "MaskRight", "the last numChars characters"),
                 })
        {
            Fn(typeof(MaskFunctions), name, FunctionCategory.String, $"Masks {what} of a string, as MASK does.")
                .Add(method, Str, P("input", S), P("numChars", I))
                .Add(method, Str, P("input", S), P("numChars", I), P("upper", S), P("lower", S), P("digit", S), P("other", S))
                .Register(r);
        }
    }

    private static void RegisterBytes(FunctionRegistry r)
    {
        Fn(typeof(BytesFunctions), "ENCODE", FunctionCategory.String, "Re-encodes a string from one encoding (hex, utf8, ascii, base64) to another.")
            .Add("Encode", Str, P("str", S), P("inputEncoding", S), P("outputEncoding", S)).Register(r);
        Fn(typeof(BytesFunctions), "TO_BYTES", FunctionCategory.Conversions, "Converts a string in an encoding (hex, utf8, ascii, base64) to BYTES.")
            .Add("ToBytes", SqlTypes.Bytes, P("str", S), P("encoding", S)).Register(r);
        Fn(typeof(BytesFunctions), "FROM_BYTES", FunctionCategory.Conversions, "Converts BYTES to a string in an encoding (hex, utf8, ascii, base64).")
            .Add("FromBytes", Str, P("bytes", B), P("encoding", S)).Register(r);
        Fn(typeof(BytesFunctions), "MD5", FunctionCategory.String, "Returns the hex-encoded MD5 hash of a string's UTF-8 bytes.")
            .Add("Md5", Str, P("input", S)).Register(r);
        foreach (var (name, method, type, size) in new[]
                 {
                     ("INT_FROM_BYTES", "IntFromBytes", (SqlType)SqlTypes.Integer, 4),
                     ("BIGINT_FROM_BYTES", "BigintFromBytes", SqlTypes.BigInt, 8),
                     ("DOUBLE_FROM_BYTES", "DoubleFromBytes", SqlTypes.Double, 8),
                 })
        {
            Fn(typeof(BytesFunctions), name, FunctionCategory.Conversions, $"Converts {size} bytes to {type} in BIG_ENDIAN (default) or LITTLE_ENDIAN order.")
                .Add(method, type, P("bytes", B))
                .Add(method, type, P("bytes", B), P("byteOrder", S))
                .Register(r);
        }
    }

    private static void RegisterRegex(FunctionRegistry r)
    {
        Fn(typeof(RegexFunctions), "REGEXP_EXTRACT", FunctionCategory.RegularExpression, "Returns the first match of a regular expression (or of one of its groups) in a string.")
            .Add("RegexpExtract", Str, P("pattern", S), P("input", S))
            .Add("RegexpExtract", Str, P("pattern", S), P("input", S), P("group", I))
            .Register(r);
        Fn(typeof(RegexFunctions), "REGEXP_EXTRACT_ALL", FunctionCategory.RegularExpression, "Returns every match of a regular expression (or of one of its groups) in a string.")
            .Add("RegexpExtractAll", ArrayOfStrings, P("pattern", S), P("input", S))
            .Add("RegexpExtractAll", ArrayOfStrings, P("pattern", S), P("input", S), P("group", I))
            .Register(r);
        Fn(typeof(RegexFunctions), "REGEXP_REPLACE", FunctionCategory.RegularExpression, "Replaces every match of a regular expression with a replacement ($1 refers to a group).")
            .Add("RegexpReplace", Str, P("input", S), P("regex", S), P("replacement", S)).Register(r);
        Fn(typeof(RegexFunctions), "REGEXP_SPLIT_TO_ARRAY", FunctionCategory.RegularExpression, "Splits a string around the matches of a regular expression.")
            .Add("RegexpSplitToArray", ArrayOfStrings, P("string", S), P("regexp", S)).Register(r);
    }

    private static void RegisterUrls(FunctionRegistry r)
    {
        foreach (var (name, method, type, description) in new[]
                 {
                     ("URL_DECODE_PARAM", "UrlDecodeParam", Str, "Decodes a form-encoded URL parameter value."),
                     ("URL_ENCODE_PARAM", "UrlEncodeParam", Str, "Encodes a value for use as a URL query parameter (form encoding)."),
                     ("URL_EXTRACT_FRAGMENT", "UrlExtractFragment", Str, "Returns the decoded fragment of a URL."),
                     ("URL_EXTRACT_HOST", "UrlExtractHost", Str, "Returns the host of a URL."),
                     ("URL_EXTRACT_PATH", "UrlExtractPath", Str, "Returns the decoded path of a URL."),
                     ("URL_EXTRACT_PORT", "UrlExtractPort", (SqlType)SqlTypes.Integer, "Returns the explicit port of a URL."),
                     ("URL_EXTRACT_PROTOCOL", "UrlExtractProtocol", Str, "Returns the protocol (scheme) of a URL."),
                     ("URL_EXTRACT_QUERY", "UrlExtractQuery", Str, "Returns the decoded query string of a URL."),
                 })
        {
            Fn(typeof(UrlFunctions), name, FunctionCategory.Url, description).Add(method, type, P("input", S)).Register(r);
        }

        Fn(typeof(UrlFunctions), "URL_EXTRACT_PARAMETER", FunctionCategory.Url, "Returns the decoded value of a query parameter of a URL.")
            .Add("UrlExtractParameter", Str, P("input", S), P("parameter", S)).Register(r);
    }

    private static void RegisterJson(FunctionRegistry r)
    {
        FunctionBuilder Json(string name, string description) => Fn(typeof(JsonFunctions), name, FunctionCategory.Json, description);

        Json("EXTRACTJSONFIELD", "Returns the value at a JSONPath in a JSON string, as a string.")
            .Add("ExtractJsonField", Str, P("input", S), P("path", S)).Register(r);
        Json("IS_JSON_STRING", "Returns true when a string holds valid JSON.")
            .Add("IsJsonString", SqlTypes.Boolean, P("json_string", S)).Register(r);
        Json("JSON_ARRAY_LENGTH", "Returns the length of a JSON array.")
            .Add("JsonArrayLength", SqlTypes.Integer, P("json_string", S)).Register(r);
        Json("JSON_KEYS", "Returns the top-level keys of a JSON object.")
            .Add("JsonKeys", ArrayOfStrings, P("json_string", S)).Register(r);
        Json("JSON_RECORDS", "Returns the top-level entries of a JSON object as a map of strings.")
            .Add("JsonRecords", SqlTypes.Map(Str, Str), P("json_string", S)).Register(r);
        Json("JSON_ITEMS", "Returns the elements of a JSON array as an array of JSON strings.")
            .Add("JsonItems", ArrayOfStrings, P("json_string", S)).Register(r);
        Json("JSON_CONCAT", "Concatenates JSON values: objects merge, anything else becomes array elements.")
            .Add("JsonConcat", Str, Variadic("json_strings", S)).Register(r);
        Json("TO_JSON_STRING", "Returns any value as a JSON string.")
            .Add("ToJsonString", Str, P("val", ParamType.T)).Register(r);
        Json("JSON_ARRAY_CONTAINS", "Returns true when a JSON array contains a value.")
            .Add("JsonArrayContains", SqlTypes.Boolean, P("jsonArray", S), P("val", ParamType.T))
            .Register(r);
    }
}
