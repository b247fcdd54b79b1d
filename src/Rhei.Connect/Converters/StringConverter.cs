using System.Text;
using Rhei.Connect.Data;
using Rhei.Formats.Types;

namespace Rhei.Connect.Converters;

/// <summary>
/// <c>org.apache.kafka.connect.storage.StringConverter</c>: any value as its text in UTF-8 (a number as its digits, a
/// timestamp as epoch milliseconds, a struct as <c>Struct{a=1,b=x}</c>); bytes are read back as a STRING.
/// </summary>
public sealed class StringConverter : Converter
{
    public override byte[]? FromConnectData(string topic, SqlType? schema, object? value) =>
        value is null ? null : Encoding.UTF8.GetBytes(ConnectText.Format(value));

    public override ConnectValue ToConnectData(string topic, ReadOnlySpan<byte> data) =>
        new(SqlTypes.String, Encoding.UTF8.GetString(data));
}
