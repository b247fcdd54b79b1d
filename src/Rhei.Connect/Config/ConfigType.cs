namespace Rhei.Connect.Config;

/// <summary>The type of a connector property, as Kafka Connect's ConfigDef names them.</summary>
public enum ConfigType
{
    String,
    Int,
    Long,
    Double,
    Boolean,

    /// <summary>A comma-separated list (spaces around items are trimmed, empty items dropped).</summary>
    List,

    /// <summary>A string that is hidden when the config is shown.</summary>
    Password,

    /// <summary>A class name (Kafka Connect's CLASS type; Rhei resolves it against known aliases).</summary>
    Class,
}

/// <summary>How much a property matters to a user (Kafka Connect's Importance).</summary>
public enum ConfigImportance
{
    High,
    Medium,
    Low,
}
