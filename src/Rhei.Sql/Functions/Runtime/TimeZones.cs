using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Rhei.Sql.Functions.Runtime;

/// <summary>
/// Time zones named as Java names them (<c>java.time.ZoneId</c>): IANA region ids
/// (<c>America/Los_Angeles</c>), <c>UTC</c>/<c>GMT</c>/<c>UT</c>/<c>Z</c>, fixed offsets (<c>+05:30</c>,
/// <c>GMT+8</c>, <c>UTC-03:00</c>) and Java's three-letter short ids (<c>PST</c>, <c>IST</c>, ...), plus the
/// local-time resolution Java applies in DST gaps and overlaps.
/// </summary>
public static partial class TimeZones
{
    private static readonly ConcurrentDictionary<string, TimeZoneInfo> Cache = new(StringComparer.Ordinal);

    /// <summary>Java's <c>ZoneId.SHORT_IDS</c>.</summary>
    private static readonly Dictionary<string, string> ShortIds = new(StringComparer.Ordinal)
    {
        ["ACT"] = "Australia/Darwin",
        ["AET"] = "Australia/Sydney",
        ["AGT"] = "America/Argentina/Buenos_Aires",
        ["ART"] = "Africa/Cairo",
        ["AST"] = "America/Anchorage",
        ["BET"] = "America/Sao_Paulo",
        ["BST"] = "Asia/Dhaka",
        ["CAT"] = "Africa/Harare",
        ["CNT"] = "America/St_Johns",
        ["CST"] = "America/Chicago",
        ["CTT"] = "Asia/Shanghai",
        ["EAT"] = "Africa/Addis_Ababa",
        ["ECT"] = "Europe/Paris",
        ["IET"] = "America/Indiana/Indianapolis",
        ["IST"] = "Asia/Kolkata",
        ["JST"] = "Asia/Tokyo",
        ["MIT"] = "Pacific/Apia",
        ["NET"] = "Asia/Yerevan",
        ["NST"] = "Pacific/Auckland",
        ["PLT"] = "Asia/Karachi",
        ["PNT"] = "America/Phoenix",
        ["PRT"] = "America/Puerto_Rico",
        ["PST"] = "America/Los_Angeles",
        ["SST"] = "Pacific/Guadalcanal",
        ["VST"] = "Asia/Ho_Chi_Minh",
        ["EST"] = "-05:00",
        ["MST"] = "-07:00",
        ["HST"] = "-10:00",
    };

    /// <summary>Zone abbreviations as text in a timestamp (<c>'z'</c> parsing) → the zone they name.</summary>
    private static readonly Dictionary<string, string> Abbreviations = new(StringComparer.OrdinalIgnoreCase)
    {
        ["UTC"] = "UTC",
        ["GMT"] = "UTC",
        ["UT"] = "UTC",
        ["Z"] = "UTC",
        ["PST"] = "America/Los_Angeles",
        ["PDT"] = "America/Los_Angeles",
        ["PT"] = "America/Los_Angeles",
        ["MST"] = "America/Denver",
        ["MDT"] = "America/Denver",
        ["MT"] = "America/Denver",
        ["CST"] = "America/Chicago",
        ["CDT"] = "America/Chicago",
        ["CT"] = "America/Chicago",
        ["EST"] = "America/New_York",
        ["EDT"] = "America/New_York",
        ["ET"] = "America/New_York",
        ["AKST"] = "America/Anchorage",
        ["AKDT"] = "America/Anchorage",
        ["HST"] = "Pacific/Honolulu",
        ["BST"] = "Europe/London",
        ["IST"] = "Asia/Kolkata",
        ["CET"] = "Europe/Paris",
        ["CEST"] = "Europe/Paris",
        ["EET"] = "Europe/Athens",
        ["EEST"] = "Europe/Athens",
        ["WET"] = "Europe/Lisbon",
        ["WEST"] = "Europe/Lisbon",
        ["JST"] = "Asia/Tokyo",
        ["KST"] = "Asia/Seoul",
        ["AEST"] = "Australia/Sydney",
        ["AEDT"] = "Australia/Sydney",
        ["ACST"] = "Australia/Adelaide",
        ["ACDT"] = "Australia/Adelaide",
        ["AWST"] = "Australia/Perth",
        ["NZST"] = "Pacific/Auckland",
        ["NZDT"] = "Pacific/Auckland",
        ["MSK"] = "Europe/Moscow",
        ["SGT"] = "Asia/Singapore",
        ["HKT"] = "Asia/Hong_Kong",
        ["SAST"] = "Africa/Johannesburg",
        ["WIB"] = "Asia/Jakarta",
    };

    private static readonly Dictionary<string, string> LongNames = new(StringComparer.Ordinal)
    {
        ["UTC"] = "Coordinated Universal Time",
        ["GMT"] = "Greenwich Mean Time",
        ["BST"] = "British Summer Time",
        ["PST"] = "Pacific Standard Time",
        ["PDT"] = "Pacific Daylight Time",
        ["MST"] = "Mountain Standard Time",
        ["MDT"] = "Mountain Daylight Time",
        ["CST"] = "Central Standard Time",
        ["CDT"] = "Central Daylight Time",
        ["EST"] = "Eastern Standard Time",
        ["EDT"] = "Eastern Daylight Time",
        ["AKST"] = "Alaska Standard Time",
        ["AKDT"] = "Alaska Daylight Time",
        ["HST"] = "Hawaii-Aleutian Standard Time",
        ["CET"] = "Central European Standard Time",
        ["CEST"] = "Central European Summer Time",
        ["EET"] = "Eastern European Standard Time",
        ["EEST"] = "Eastern European Summer Time",
        ["WET"] = "Western European Standard Time",
        ["WEST"] = "Western European Summer Time",
        ["IST"] = "India Standard Time",
        ["JST"] = "Japan Standard Time",
        ["KST"] = "Korean Standard Time",
        ["AEST"] = "Australian Eastern Standard Time",
        ["AEDT"] = "Australian Eastern Daylight Time",
        ["NZST"] = "New Zealand Standard Time",
        ["NZDT"] = "New Zealand Daylight Time",
    };

    [GeneratedRegex(@"^(?:(?<prefix>UTC|GMT|UT))?(?<sign>[+-])(?<h>\d{1,2})(?::?(?<m>\d{2})(?::?(?<s>\d{2}))?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex OffsetPattern();

    /// <summary>
    /// The zone a Java zone id names. Throws <see cref="SqlFunctionException"/> (<c>Unknown time-zone ID</c>)
    /// when it names none.
    /// </summary>
    public static TimeZoneInfo Resolve(string id)
    {
        if (Cache.TryGetValue(id, out var cached))
        {
            return cached;
        }

        var zone = TryResolve(id) ?? throw new SqlFunctionException($"Unknown time-zone ID: {id}");
        if (Cache.Count > 1_000)
        {
            Cache.Clear();
        }

        Cache[id] = zone;
        return zone;
    }

    /// <summary>Like <see cref="Resolve"/>, but null for an unknown id.</summary>
    public static TimeZoneInfo? TryResolve(string id)
    {
        var t = id.Trim();
        if (t.Length == 0)
        {
            return null;
        }

        if (t is "Z" or "UTC" or "GMT" or "UT" or "Etc/UTC" or "Etc/GMT" or "UCT" or "Zulu" or "Universal")
        {
            return TimeZoneInfo.Utc;
        }

        var m = OffsetPattern().Match(t);
        if (m.Success)
        {
            var h = int.Parse(m.Groups["h"].Value, CultureInfo.InvariantCulture);
            var min = m.Groups["m"].Success ? int.Parse(m.Groups["m"].Value, CultureInfo.InvariantCulture) : 0;
            var s = m.Groups["s"].Success ? int.Parse(m.Groups["s"].Value, CultureInfo.InvariantCulture) : 0;
            if (h > 18 || min > 59 || s > 59)
            {
                return null;
            }

            var offset = new TimeSpan(h, min, s);
            if (m.Groups["sign"].Value == "-")
            {
                offset = -offset;
            }

            return Fixed(offset, m.Groups["prefix"].Success ? m.Groups["prefix"].Value : null);
        }

        if (ShortIds.TryGetValue(t, out var mapped))
        {
            return TryResolve(mapped);
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(t);
        }
        catch (TimeZoneNotFoundException)
        {
            return null;
        }
        catch (InvalidTimeZoneException)
        {
            return null;
        }
    }

    /// <summary>A zone named by a time-zone abbreviation or id found in text being parsed (<c>PST</c>, <c>Europe/London</c>).</summary>
    public static TimeZoneInfo? FromText(string text) =>
        Abbreviations.TryGetValue(text, out var id) ? TryResolve(id) : TryResolve(text);

    /// <summary>A fixed-offset zone whose id is Java's normalized offset id (<c>+05:30</c>, <c>Z</c>).</summary>
    public static TimeZoneInfo Fixed(TimeSpan offset, string? prefix = null)
    {
        if (offset == TimeSpan.Zero && prefix is null)
        {
            return TimeZoneInfo.Utc;
        }

        var id = (prefix ?? "") + FormatOffsetId(offset);
        return TimeZoneInfo.CreateCustomTimeZone(id, offset, id, id);
    }

    /// <summary>Java's offset id: <c>Z</c>, <c>+05:30</c>, <c>-08:00</c>, <c>+05:30:15</c>.</summary>
    public static string FormatOffsetId(TimeSpan offset)
    {
        if (offset == TimeSpan.Zero)
        {
            return "Z";
        }

        var sign = offset < TimeSpan.Zero ? '-' : '+';
        var a = offset.Duration();
        var s = $"{sign}{a.Hours:00}:{a.Minutes:00}";
        return a.Seconds != 0 ? s + $":{a.Seconds:00}" : s;
    }

    /// <summary>The zone's local time at an instant.</summary>
    public static DateTime ToLocal(DateTime utc, TimeZoneInfo zone) =>
        zone == TimeZoneInfo.Utc
            ? DateTime.SpecifyKind(utc, DateTimeKind.Unspecified)
            : DateTime.SpecifyKind(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone), DateTimeKind.Unspecified);

    /// <summary>
    /// The instant of a local time in a zone, as Java's <c>ZonedDateTime.ofLocal</c> resolves it: in an
    /// overlap the earlier offset wins; in a gap the time moves forward by the gap's length.
    /// </summary>
    public static DateTime ToUtc(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone == TimeZoneInfo.Utc)
        {
            return DateTime.SpecifyKind(local, DateTimeKind.Utc);
        }

        if (zone.IsAmbiguousTime(local))
        {
            var offsets = zone.GetAmbiguousTimeOffsets(local);
            var earliest = offsets.Max();
            return DateTime.SpecifyKind(local - earliest, DateTimeKind.Utc);
        }

        if (zone.IsInvalidTime(local))
        {
            var before = zone.GetUtcOffset(DateTime.SpecifyKind(local.AddHours(-12) - zone.BaseUtcOffset, DateTimeKind.Utc));
            return DateTime.SpecifyKind(local - before, DateTimeKind.Utc);
        }

        return DateTime.SpecifyKind(TimeZoneInfo.ConvertTimeToUtc(local, zone), DateTimeKind.Utc);
    }

    /// <summary>The zone's short name at an instant, as Java's pattern letter <c>z</c> prints it (<c>PDT</c>, <c>BST</c>, <c>UTC</c>).</summary>
    public static string ShortName(TimeZoneInfo zone, DateTime utc)
    {
        if (zone == TimeZoneInfo.Utc)
        {
            return "UTC";
        }

        var name = zone.IsDaylightSavingTime(DateTime.SpecifyKind(utc, DateTimeKind.Utc)) ? zone.DaylightName : zone.StandardName;
        return string.IsNullOrEmpty(name) ? zone.Id : name;
    }

    /// <summary>The zone's long name at an instant (<c>zzzz</c>); the short name when no long name is known.</summary>
    public static string LongName(TimeZoneInfo zone, DateTime utc)
    {
        var shortName = ShortName(zone, utc);
        return LongNames.TryGetValue(shortName, out var longName) ? longName : shortName;
    }
}
