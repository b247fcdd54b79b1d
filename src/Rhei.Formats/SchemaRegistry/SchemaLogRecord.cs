namespace Rhei.Formats.SchemaRegistry;

/// <summary>
/// One change of the registry as it is stored in the <c>_schemas</c> topic (see <see cref="SchemasTopicCodec"/>):
/// a version written or soft-deleted (<see cref="Schema"/>), a version hard-deleted (<see cref="SchemaTombstone"/>),
/// or a compatibility level set or cleared (<see cref="Config"/>; a null subject is the global level).
/// </summary>
public abstract record SchemaLogRecord
{
    private SchemaLogRecord()
    {
    }

    public sealed record Schema(RegisteredSchema Value) : SchemaLogRecord;

    public sealed record SchemaTombstone(string Subject, int Version) : SchemaLogRecord;

    public sealed record Config(string? Subject, CompatibilityLevel? Level) : SchemaLogRecord;
}
