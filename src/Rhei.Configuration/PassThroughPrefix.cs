namespace Rhei.Configuration;

/// <summary>
/// A name prefix whose settings are accepted without being in the table: they are kept as text and handed,
/// prefix and all, to the layer named (e.g. <c>ksql.streams.producer.*</c> to the clients of persistent queries).
/// </summary>
public sealed record PassThroughPrefix(string Prefix, RheiLayer UsedBy, string Documentation);
