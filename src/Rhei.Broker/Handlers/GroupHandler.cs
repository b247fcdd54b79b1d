using Rhei.Broker.Groups;
using Rhei.Broker.Network;
using Rhei.Protocol;
using Rhei.Protocol.Messages;

namespace Rhei.Broker.Handlers;

/// <summary>The classic group protocol's requests (JoinGroup, SyncGroup, Heartbeat, LeaveGroup) and group administration (DescribeGroups, ListGroups, DeleteGroups).</summary>
internal sealed class GroupHandler(BrokerServices services)
{
    /// <summary>Kafka's bit field of the group operations a client may perform: READ, DELETE, DESCRIBE.</summary>
    private const int AllGroupOperations = (1 << 3) | (1 << 6) | (1 << 8);

    public async ValueTask<bool> JoinGroupAsync(RequestContext context, JoinGroupRequest request)
    {
        var args = new JoinArgs(
            request.GroupId,
            request.MemberId,
            context.ApiVersion >= 5 ? request.GroupInstanceId : null,
            context.ClientId ?? "",
            "/" + context.Connection.ClientHost,
            request.SessionTimeoutMs,
            context.ApiVersion >= 1 ? request.RebalanceTimeoutMs : request.SessionTimeoutMs,
            request.ProtocolType,
            [.. request.Protocols.Select(p => (p.Name, p.Metadata))]);
        var result = await services.Groups.JoinAsync(args, context.Shutdown);
        var response = new JoinGroupResponse
        {
            ErrorCode = (short)result.Error,
            GenerationId = result.Generation,
            ProtocolName = result.ProtocolName ?? "",
            Leader = result.Leader,
            MemberId = result.MemberId,
        };
        foreach (var member in result.Members)
        {
            response.Members.Add(new JoinGroupResponse.JoinGroupResponseMember
            {
                MemberId = member.MemberId,
                GroupInstanceId = context.ApiVersion >= 5 ? member.GroupInstanceId : null,
                Metadata = member.Metadata,
            });
        }

        context.Respond(response);
        return true;
    }

    public async ValueTask<bool> SyncGroupAsync(RequestContext context, SyncGroupRequest request)
    {
        var assignments = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var assignment in request.Assignments)
        {
            assignments[assignment.MemberId] = assignment.Assignment;
        }

        var v5 = context.ApiVersion >= 5;
        var args = new SyncArgs(
            request.GroupId,
            request.GenerationId,
            request.MemberId,
            context.ApiVersion >= 3 ? request.GroupInstanceId : null,
            v5 ? request.ProtocolType : null,
            v5 ? request.ProtocolName : null,
            assignments);
        var result = await services.Groups.SyncAsync(args, context.Shutdown);
        context.Respond(new SyncGroupResponse
        {
            ErrorCode = (short)result.Error,
            ProtocolType = v5 ? result.ProtocolType : null,
            ProtocolName = v5 ? result.ProtocolName : null,
            Assignment = result.Assignment,
        });
        return true;
    }

    public bool Heartbeat(RequestContext context, HeartbeatRequest request)
    {
        var error = services.Groups.Heartbeat(request.GroupId, request.MemberId, context.ApiVersion >= 3 ? request.GroupInstanceId : null, request.GenerationId);
        context.Respond(new HeartbeatResponse { ErrorCode = (short)error });
        return true;
    }

    public bool LeaveGroup(RequestContext context, LeaveGroupRequest request)
    {
        var response = new LeaveGroupResponse();
        if (context.ApiVersion < 3)
        {
            var errors = services.Groups.Leave(request.GroupId, [(request.MemberId, null)]);
            response.ErrorCode = (short)errors[0];
        }
        else
        {
            var members = request.Members.Select(m => (m.MemberId, m.GroupInstanceId)).ToList();
            var errors = services.Groups.Leave(request.GroupId, members);
            for (var i = 0; i < members.Count; i++)
            {
                response.Members.Add(new LeaveGroupResponse.MemberResponse
                {
                    MemberId = members[i].MemberId,
                    GroupInstanceId = members[i].GroupInstanceId,
                    ErrorCode = (short)errors[i],
                });
            }

            if (errors.Count > 0 && errors.All(e => e == ErrorCode.CoordinatorNotAvailable))
            {
                response.ErrorCode = (short)ErrorCode.CoordinatorNotAvailable;
            }
        }

        context.Respond(response);
        return true;
    }

    public bool DescribeGroups(RequestContext context, DescribeGroupsRequest request)
    {
        var response = new DescribeGroupsResponse();
        foreach (var groupId in request.Groups)
        {
            var described = new DescribeGroupsResponse.DescribedGroup { GroupId = groupId };
            if (string.IsNullOrEmpty(groupId))
            {
                described.ErrorCode = (short)ErrorCode.InvalidGroupId;
                response.Groups.Add(described);
                continue;
            }

            var group = services.Groups.Describe(groupId);
            described.GroupState = group.State;
            described.ProtocolType = group.ProtocolType;
            described.ProtocolData = group.ProtocolName;
            if (context.ApiVersion >= 3 && request.IncludeAuthorizedOperations)
            {
                described.AuthorizedOperations = AllGroupOperations;
            }

            foreach (var member in group.Members)
            {
                described.Members.Add(new DescribeGroupsResponse.DescribedGroupMember
                {
                    MemberId = member.MemberId,
                    GroupInstanceId = context.ApiVersion >= 4 ? member.GroupInstanceId : null,
                    ClientId = member.ClientId,
                    ClientHost = member.ClientHost,
                    MemberMetadata = member.Metadata,
                    MemberAssignment = member.Assignment,
                });
            }

            response.Groups.Add(described);
        }

        context.Respond(response);
        return true;
    }

    public bool ListGroups(RequestContext context, ListGroupsRequest request)
    {
        var response = new ListGroupsResponse();
        var filter = context.ApiVersion >= 4 && request.StatesFilter.Count > 0
            ? new HashSet<string>(request.StatesFilter, StringComparer.OrdinalIgnoreCase)
            : null;
        foreach (var group in services.Groups.List())
        {
            if (filter is null || filter.Contains(group.State))
            {
                response.Groups.Add(new ListGroupsResponse.ListedGroup
                {
                    GroupId = group.GroupId,
                    ProtocolType = group.ProtocolType,
                    GroupState = context.ApiVersion >= 4 ? group.State : "",
                });
            }
        }

        context.Respond(response);
        return true;
    }

    public async ValueTask<bool> DeleteGroupsAsync(RequestContext context, DeleteGroupsRequest request)
    {
        var response = new DeleteGroupsResponse();
        foreach (var groupId in request.GroupsNames)
        {
            var error = string.IsNullOrEmpty(groupId) ? ErrorCode.InvalidGroupId : await services.Groups.DeleteAsync(groupId, CancellationToken.None);
            response.Results.Add(new DeleteGroupsResponse.DeletableGroupResult { GroupId = groupId, ErrorCode = (short)error });
        }

        context.Respond(response);
        return true;
    }
}
