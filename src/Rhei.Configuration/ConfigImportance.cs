namespace Rhei.Configuration;

/// <summary>How likely a user is to need to change a setting (Kafka's importance levels).</summary>
public enum ConfigImportance
{
    High,
    Medium,
    Low,
}
