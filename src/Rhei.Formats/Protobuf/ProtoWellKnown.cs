namespace Rhei.Formats.Protobuf;

/// <summary>
/// The imports every schema may use without registering them: Google's wrappers and timestamp, <c>google.type</c>
/// date and time of day, and Confluent's decimal and field metadata. Only the messages that matter to the formats are
/// defined (the wire layout is what counts).
/// </summary>
public static class ProtoWellKnown
{
    public const string WrappersPath = "google/protobuf/wrappers.proto";
    public const string TimestampPath = "google/protobuf/timestamp.proto";
    public const string DatePath = "google/type/date.proto";
    public const string TimeOfDayPath = "google/type/timeofday.proto";
    public const string DecimalPath = "confluent/type/decimal.proto";
    public const string MetaPath = "confluent/meta.proto";

    private static readonly Dictionary<string, string> Sources = new(StringComparer.Ordinal)
    {
        [WrappersPath] = """
            syntax = "proto3";
            package google.protobuf;
            message DoubleValue { double value = 1; }
            message FloatValue { float value = 1; }
            message Int64Value { int64 value = 1; }
            message UInt64Value { uint64 value = 1; }
            message Int32Value { int32 value = 1; }
            message UInt32Value { uint32 value = 1; }
            message BoolValue { bool value = 1; }
            message StringValue { string value = 1; }
            message BytesValue { bytes value = 1; }
            """,
        [TimestampPath] = """
            syntax = "proto3";
            package google.protobuf;
            message Timestamp { int64 seconds = 1; int32 nanos = 2; }
            """,
        ["google/protobuf/duration.proto"] = """
            syntax = "proto3";
            package google.protobuf;
            message Duration { int64 seconds = 1; int32 nanos = 2; }
            """,
        ["google/protobuf/empty.proto"] = """
            syntax = "proto3";
            package google.protobuf;
            message Empty { }
            """,
        ["google/protobuf/descriptor.proto"] = """
            syntax = "proto2";
            package google.protobuf;
            """,
        [DatePath] = """
            syntax = "proto3";
            package google.type;
            message Date { int32 year = 1; int32 month = 2; int32 day = 3; }
            """,
        [TimeOfDayPath] = """
            syntax = "proto3";
            package google.type;
            message TimeOfDay { int32 hours = 1; int32 minutes = 2; int32 seconds = 3; int32 nanos = 4; }
            """,
        [DecimalPath] = """
            syntax = "proto3";
            package confluent.type;
            message Decimal { bytes value = 1; uint32 precision = 2; int32 scale = 3; }
            """,
        [MetaPath] = """
            syntax = "proto3";
            package confluent;
            message Meta { string doc = 1; map<string, string> params = 2; repeated string tags = 3; }
            """,
    };

    private static readonly Dictionary<string, ProtoFile> Files = Sources.ToDictionary(p => p.Key, p => ProtoLinker.Link(ProtoParser.Parse(p.Value), new Dictionary<string, ProtoFile>()));

    public static bool TryGet(string path, out ProtoFile file) => Files.TryGetValue(path, out file!);

    /// <summary>The scalar a <c>google.protobuf.*Value</c> wrapper carries, or None.</summary>
    public static ProtoScalar WrappedScalar(ProtoMessage message) => message.FullName switch
    {
        "google.protobuf.DoubleValue" => ProtoScalar.Double,
        "google.protobuf.FloatValue" => ProtoScalar.Float,
        "google.protobuf.Int64Value" => ProtoScalar.Int64,
        "google.protobuf.UInt64Value" => ProtoScalar.UInt64,
        "google.protobuf.Int32Value" => ProtoScalar.Int32,
        "google.protobuf.UInt32Value" => ProtoScalar.UInt32,
        "google.protobuf.BoolValue" => ProtoScalar.Bool,
        "google.protobuf.StringValue" => ProtoScalar.String,
        "google.protobuf.BytesValue" => ProtoScalar.Bytes,
        _ => ProtoScalar.None,
    };

    /// <summary>The wrapper message name of a scalar (<c>google.protobuf.Int32Value</c>).</summary>
    public static string WrapperName(ProtoScalar scalar) => scalar switch
    {
        ProtoScalar.Double => "google.protobuf.DoubleValue",
        ProtoScalar.Float => "google.protobuf.FloatValue",
        ProtoScalar.Int64 => "google.protobuf.Int64Value",
        ProtoScalar.UInt64 => "google.protobuf.UInt64Value",
        ProtoScalar.Int32 => "google.protobuf.Int32Value",
        ProtoScalar.UInt32 => "google.protobuf.UInt32Value",
        ProtoScalar.Bool => "google.protobuf.BoolValue",
        ProtoScalar.String => "google.protobuf.StringValue",
        ProtoScalar.Bytes => "google.protobuf.BytesValue",
        _ => throw new ArgumentOutOfRangeException(nameof(scalar)),
    };
}
