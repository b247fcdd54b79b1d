namespace Rhei.Storage.Topics;

/// <summary><c>cleanup.policy</c>: delete old segments, compact by key, or both.</summary>
[Flags]
public enum CleanupPolicy
{
    Delete = 1,
    Compact = 2,
}
