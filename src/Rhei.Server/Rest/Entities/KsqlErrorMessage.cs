using System.Text.Json.Serialization;

namespace Rhei.Server.Rest.Entities;

/// <summary>
/// The body of every 4xx/5xx response, as ksqlDB writes it:
/// <c>{"@type":"generic_error","error_code":40000,"message":"..."}</c>. <see cref="ErrorCode"/> is the HTTP status
/// times 100 plus a detail (40001: a bad statement, 40002: a query sent to /ksql, ...; see <see cref="ErrorCodes"/>).
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "@type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FallBackToBaseType)]
[JsonDerivedType(typeof(KsqlErrorMessage), "generic_error")]
[JsonDerivedType(typeof(KsqlStatementErrorMessage), "statement_error")]
public record KsqlErrorMessage
{
    [JsonPropertyName("error_code")]
    public int ErrorCode { get; init; }

    public string Message { get; init; } = "";

    /// <summary>Always empty: Rhei does not send server stack traces to clients (they are in the server's log).</summary>
    public IReadOnlyList<string> StackTrace { get; init; } = [];
}

/// <summary>
/// An error in one statement of a <c>/ksql</c> request: the statement's text, and the results of the statements before
/// it in the same request, which did run.
/// </summary>
public sealed record KsqlStatementErrorMessage : KsqlErrorMessage
{
    public string StatementText { get; init; } = "";

    public IReadOnlyList<KsqlEntity> Entities { get; init; } = [];
}
