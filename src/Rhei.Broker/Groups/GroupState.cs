namespace Rhei.Broker.Groups;

/// <summary>The states of a classic consumer group, as Kafka's coordinator names them.</summary>
internal enum GroupState
{
    /// <summary>No members; committed offsets may exist.</summary>
    Empty,

    /// <summary>Waiting for the members to (re)join.</summary>
    PreparingRebalance,

    /// <summary>Joined; waiting for the leader's assignment (SyncGroup).</summary>
    CompletingRebalance,

    /// <summary>Every member has its assignment.</summary>
    Stable,

    /// <summary>Deleted; no longer served.</summary>
    Dead,
}

internal static class GroupStates
{
    /// <summary>Kafka's name of the state (DescribeGroups, ListGroups).</summary>
    public static string Name(this GroupState state) => state switch
    {
        GroupState.Empty => "Empty",
        GroupState.PreparingRebalance => "PreparingRebalance",
        GroupState.CompletingRebalance => "CompletingRebalance",
        GroupState.Stable => "Stable",
        _ => "Dead",
    };
}
