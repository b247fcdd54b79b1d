using System.Globalization;

namespace Rhei.Protocol.Generator;

/// <summary>An inclusive range of message versions as written in the specs ("0+", "3-7", "5", "none").</summary>
internal readonly record struct VersionRange(short Lo, short Hi)
{
    public static readonly VersionRange None = new(1, 0);

    public static readonly VersionRange All = new(0, short.MaxValue);

    public bool IsEmpty => Lo > Hi;

    public bool IsOpenEnded => Hi == short.MaxValue;

    public static VersionRange Parse(string? text)
    {
        if (text is null)
        {
            return None;
        }
        text = text.Trim();
        if (text.Length == 0 || text == "none")
        {
            return None;
        }
        if (text.EndsWith('+'))
        {
            return new VersionRange(ParseShort(text[..^1]), short.MaxValue);
        }
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash > 0)
        {
            return new VersionRange(ParseShort(text[..dash]), ParseShort(text[(dash + 1)..]));
        }
        var single = ParseShort(text);
        return new VersionRange(single, single);
    }

    public VersionRange Intersect(VersionRange other)
    {
        if (IsEmpty || other.IsEmpty)
        {
            return None;
        }
        var range = new VersionRange(Math.Max(Lo, other.Lo), Math.Min(Hi, other.Hi));
        return range.IsEmpty ? None : range;
    }

    /// <summary>The smallest range containing both.</summary>
    public VersionRange Hull(VersionRange other)
    {
        if (IsEmpty)
        {
            return other;
        }
        if (other.IsEmpty)
        {
            return this;
        }
        return new VersionRange(Math.Min(Lo, other.Lo), Math.Max(Hi, other.Hi));
    }

    public bool Contains(VersionRange other) => other.IsEmpty || (!IsEmpty && Lo <= other.Lo && Hi >= other.Hi);

    public bool Contains(short version) => version >= Lo && version <= Hi;

    /// <summary>
    /// A C# boolean expression over <c>version</c> that is true for the versions of this range, assuming
    /// <c>version</c> lies in <paramref name="within"/>: "true", "false" or a comparison.
    /// </summary>
    public string Condition(VersionRange within)
    {
        var effective = Intersect(within);
        if (effective.IsEmpty)
        {
            return "false";
        }
        if (effective == within)
        {
            return "true";
        }
        var needLo = effective.Lo > within.Lo;
        var needHi = effective.Hi < within.Hi;
        if (needLo && needHi)
        {
            return effective.Lo == effective.Hi
                ? $"version == {effective.Lo}"
                : $"version >= {effective.Lo} && version <= {effective.Hi}";
        }
        return needLo ? $"version >= {effective.Lo}" : $"version <= {effective.Hi}";
    }

    public override string ToString() =>
        IsEmpty ? "none" : IsOpenEnded ? $"{Lo}+" : Lo == Hi ? $"{Lo}" : $"{Lo}-{Hi}";

    private static short ParseShort(string s) => short.Parse(s.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture);
}
