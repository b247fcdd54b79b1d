namespace Rhei.Formats.Serde;

/// <summary>Which part of a Kafka record a serde handles.</summary>
public enum SerdeTarget
{
    Key,
    Value,
}
