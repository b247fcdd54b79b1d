namespace Rhei.Server.Rest.Entities;

/// <summary>
/// ksqlDB's <c>error_code</c> values. The first three digits are the HTTP status; the rest tell apart errors that share
/// one. The streaming endpoints (<c>/query-stream</c>, <c>/inserts-stream</c>, <c>/close-query</c>) have their own
/// 400xx series, as in ksqlDB.
/// </summary>
public static class ErrorCodes
{
    public const int BadRequest = 40000;
    public const int BadStatement = 40001;
    public const int QueryEndpoint = 40002;
    public const int Unauthorized = 40100;
    public const int Forbidden = 40300;
    public const int ForbiddenKafkaAccess = 40301;
    public const int NotFound = 40400;
    public const int MethodNotAllowed = 40500;
    public const int NotAcceptable = 40600;
    public const int UnsupportedMediaType = 41500;
    public const int TooManyRequests = 42900;
    public const int ServerError = 50000;
    public const int ServerShuttingDown = 50300;
    public const int CommandQueueCatchupTimeout = 50301;

    // The streaming API's codes.
    public const int MalformedRequest = 40000;
    public const int MissingParam = 40001;
    public const int UnknownParam = 40002;
    public const int UnknownQueryId = 40003;
    public const int InvalidQuery = 40004;
    public const int MissingKeyField = 40005;
    public const int CannotCoerceField = 40006;
    public const int MaxPushQueriesExceeded = 40007;
    public const int InternalError = 50000;

    /// <summary>The HTTP status of an error code (its first three digits).</summary>
    public static int HttpStatus(int errorCode) => errorCode / 100;
}
