using System.Text;
using Rhei.Connect.Data;
using Rhei.Formats.Serde;
using Rhei.Formats.Types;

namespace Rhei.Connect.Converters;

/// <summary>
/// Rhei's key converter when none is configured: a primitive key in ksqlDB's KAFKA format (so a source's
/// <c>'key'='id'</c> on an INT column is read by <c>id INT KEY</c>), a struct key as JSON; keys are read back as
/// UTF-8 strings (set <c>key.converter</c> to a number converter for numeric keys).
/// </summary>
public sealed class DefaultKeyConverter : Converter
{
    private readonly FormatConverter _kafka;
    private readonly JsonConverter _json = new(schemasEnabled: false, DecimalFormat.Numeric);

    public DefaultKeyConverter(FormatRegistry formats)
    {
        _kafka = new FormatConverter(formats.Get("KAFKA"), isKey: true);
    }

    public override byte[]? FromConnectData(string topic, SqlType? schema, object? value)
    {
        if (value is null)
        {
            return null;
        }

        var type = schema ?? ConnectSchemas.Infer(value);
        return type.BaseType is SqlBaseType.Integer or SqlBaseType.BigInt or SqlBaseType.Double or SqlBaseType.String
            ? _kafka.FromConnectData(topic, type, ConnectSchemas.Coerce(value, type))
            : type.IsPrimitive ? Encoding.UTF8.GetBytes(ConnectText.Format(value)) : _json.FromConnectData(topic, schema, value);
    }

    public override ConnectValue ToConnectData(string topic, ReadOnlySpan<byte> data) => new(SqlTypes.String, Encoding.UTF8.GetString(data));
}
