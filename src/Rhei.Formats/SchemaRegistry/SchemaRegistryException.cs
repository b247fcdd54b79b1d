namespace Rhei.Formats.SchemaRegistry;

/// <summary>
/// A schema registry error with Confluent's HTTP status and error code (40401 subject not found, 40402 version not
/// found, 40403 schema not found, 409 incompatible, 42201 invalid schema, 42202 invalid version, ...).
/// </summary>
public sealed class SchemaRegistryException : Exception
{
    public SchemaRegistryException(int status, int errorCode, string message)
        : base(message)
    {
        Status = status;
        ErrorCode = errorCode;
    }

    /// <summary>The HTTP status (404, 409, 422, 500, ...).</summary>
    public int Status { get; }

    /// <summary>Confluent's <c>error_code</c>.</summary>
    public int ErrorCode { get; }

    public static SchemaRegistryException SubjectNotFound(string subject) => new(404, 40401, $"Subject '{subject}' not found.");

    public static SchemaRegistryException VersionNotFound(int version) => new(404, 40402, $"Version {version} not found.");

    public static SchemaRegistryException SchemaNotFound() => new(404, 40403, "Schema not found");

    public static SchemaRegistryException SchemaIdNotFound(int id) => new(404, 40403, $"Schema {id} not found");

    public static SchemaRegistryException SubjectSoftDeleted(string subject) =>
        new(404, 40404, $"Subject '{subject}' was soft deleted.Set permanent=true to delete permanently");

    public static SchemaRegistryException SubjectNotSoftDeleted(string subject) =>
        new(404, 40405, $"Subject '{subject}' was not deleted first before being permanently deleted");

    public static SchemaRegistryException VersionSoftDeleted(string subject, int version) =>
        new(404, 40406, $"Subject '{subject}' Version {version} was soft deleted.Set permanent=true to delete permanently");

    public static SchemaRegistryException VersionNotSoftDeleted(string subject, int version) =>
        new(404, 40407, $"Subject '{subject}' Version {version} was not deleted first before being permanently deleted");

    public static SchemaRegistryException SubjectConfigNotFound(string subject) =>
        new(404, 40408, $"Subject '{subject}' does not have subject-level compatibility configured");

    public static SchemaRegistryException Incompatible(string message) => new(409, 409, message);

    public static SchemaRegistryException InvalidSchema(string message) => new(422, 42201, message);

    public static SchemaRegistryException InvalidVersion(string version) =>
        new(422, 42202, $"The specified version '{version}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");

    public static SchemaRegistryException InvalidCompatibilityLevel() => new(422, 42203, CompatibilityLevels.InvalidMessage);

    public static SchemaRegistryException ReferenceExists(string detail) =>
        new(422, 42206, $"One or more references exist to the schema {detail}.");

    public static SchemaRegistryException Store(string message, Exception? inner = null) =>
        new(500, 50001, $"Error in the backend data store - {message}") { };
}
