namespace Rhei.Protocol.Messages;

/// <summary>The versions of one API that Rhei reads, writes and advertises in ApiVersions.</summary>
public readonly record struct ApiVersionRange(ApiKey ApiKey, short MinVersion, short MaxVersion)
{
    public bool Contains(short version) => version >= MinVersion && version <= MaxVersion;
}
