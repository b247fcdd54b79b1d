namespace Rhei.Conformance;

internal enum CaseStatus
{
    Passed,
    Failed,
    Disabled,
}

/// <summary>The outcome of one case expansion.</summary>
internal sealed record CaseResult(QttCase Case, CaseStatus Status, string Reason, bool NeedsSchemaRegistry)
{
    public static CaseResult Pass(QttCase c) => new(c, CaseStatus.Passed, "", c.NeedsSchemaRegistry);

    public static CaseResult Fail(QttCase c, string reason) => new(c, CaseStatus.Failed, reason, c.NeedsSchemaRegistry);
}

/// <summary>A check of a case failed; the message is the reason reported.</summary>
internal sealed class CaseFailure(string message) : Exception(message);
