using Rhei.Formats.Types;

namespace Rhei.Connect.Data;

/// <summary>A key or value as a converter reads it: its schema (null when schemaless) and value (null for a null record part).</summary>
public readonly record struct ConnectValue(SqlType? Schema, object? Value)
{
    public static ConnectValue Null => default;
}
