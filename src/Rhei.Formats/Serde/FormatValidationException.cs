namespace Rhei.Formats.Serde;

/// <summary>
/// A format, its properties or a schema are not valid together (a statement error, with ksqlDB's text:
/// <c>The 'KAFKA' format does not support type 'BOOLEAN'</c>, <c>Unknown format: FOO</c>, ...).
/// </summary>
public sealed class FormatValidationException : Exception
{
    public FormatValidationException(string message)
        : base(message)
    {
    }

    public FormatValidationException(string message, string reason)
        : base(message)
    {
        Reason = reason;
    }

    /// <summary>The specific reason (for schema errors, the part after <c>reason: </c>).</summary>
    public string? Reason { get; }
}
