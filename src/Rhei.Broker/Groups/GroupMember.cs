using Rhei.Protocol;

namespace Rhei.Broker.Groups;

/// <summary>A member of a classic group: who it is, what it supports, what it was assigned, and the responses it waits for.</summary>
internal sealed class GroupMember(string memberId, string? groupInstanceId, string clientId, string clientHost)
{
    public string MemberId { get; set; } = memberId;

    public string? GroupInstanceId { get; } = groupInstanceId;

    public string ClientId { get; set; } = clientId;

    public string ClientHost { get; set; } = clientHost;

    public int SessionTimeoutMs { get; set; }

    public int RebalanceTimeoutMs { get; set; }

    public string ProtocolType { get; set; } = "";

    /// <summary>The protocols the member supports, in its order of preference, with their metadata.</summary>
    public IReadOnlyList<(string Name, byte[] Metadata)> Protocols { get; set; } = [];

    public byte[] Assignment { get; set; } = [];

    /// <summary>Broker time (ms) of the member's last sign of life (heartbeat, join, sync, commit).</summary>
    public long LastHeartbeatMs { get; set; }

    /// <summary>Set while the member's JoinGroup waits for the rebalance to complete.</summary>
    public TaskCompletionSource<JoinResult>? AwaitingJoin { get; set; }

    /// <summary>Set while the member's SyncGroup waits for the leader's assignment.</summary>
    public TaskCompletionSource<SyncResult>? AwaitingSync { get; set; }

    /// <summary>The metadata the member gave for <paramref name="protocol"/>, or empty.</summary>
    public byte[] MetadataFor(string? protocol)
    {
        foreach (var (name, metadata) in Protocols)
        {
            if (name == protocol)
            {
                return metadata;
            }
        }

        return [];
    }

    public bool Supports(string protocol)
    {
        foreach (var (name, _) in Protocols)
        {
            if (name == protocol)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when <paramref name="protocols"/> are the ones the member already gave (names and metadata).</summary>
    public bool SameProtocols(IReadOnlyList<(string Name, byte[] Metadata)> protocols)
    {
        if (protocols.Count != Protocols.Count)
        {
            return false;
        }

        for (var i = 0; i < protocols.Count; i++)
        {
            if (protocols[i].Name != Protocols[i].Name || !protocols[i].Metadata.AsSpan().SequenceEqual(Protocols[i].Metadata))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Answers a waiting JoinGroup and SyncGroup with <paramref name="error"/> (the member left or was removed).</summary>
    public void FailPending(ErrorCode error)
    {
        AwaitingJoin?.TrySetResult(JoinResult.Failed(error, MemberId));
        AwaitingJoin = null;
        AwaitingSync?.TrySetResult(new SyncResult(error, null, null, []));
        AwaitingSync = null;
    }
}

/// <summary>The answer to a JoinGroup.</summary>
internal sealed record JoinResult(
    ErrorCode Error,
    int Generation,
    string? ProtocolType,
    string? ProtocolName,
    string Leader,
    string MemberId,
    IReadOnlyList<JoinedMember> Members)
{
    public static JoinResult Failed(ErrorCode error, string memberId = "") => new(error, -1, null, null, "", memberId, []);
}

/// <summary>A member as the leader sees it in its JoinGroup response.</summary>
internal sealed record JoinedMember(string MemberId, string? GroupInstanceId, byte[] Metadata);

/// <summary>The answer to a SyncGroup: the member's assignment.</summary>
internal sealed record SyncResult(ErrorCode Error, string? ProtocolType, string? ProtocolName, byte[] Assignment);
