using Rhei.Sql.Functions;
using Rhei.Sql.Functions.Runtime;

namespace Rhei.Sql.Tests.Functions;

/// <summary>The Java DateTimeFormatter pattern engine behind every date-time function.</summary>
public class JavaDateTimeFormatTests
{
    /// <summary>Thursday 2024-02-29 12:34:56.789 UTC.</summary>
    private static readonly DateTime Instant = new(2024, 2, 29, 12, 34, 56, 789, DateTimeKind.Utc);

    private static string Format(string pattern, string zone = "UTC") =>
        JavaDateTimeFormat.Get(pattern).Format(Instant, TimeZones.Resolve(zone));

    [Theory]
    [InlineData("G", "AD")]
    [InlineData("GGGG", "Anno Domini")]
    [InlineData("GGGGG", "A")]
    [InlineData("u", "2024")]
    [InlineData("uu", "24")]
    [InlineData("uuuuu", "02024")]
    [InlineData("y", "2024")]
    [InlineData("yy", "24")]
    [InlineData("yyy", "2024")]
    [InlineData("yyyy", "2024")]
    [InlineData("yyyyy", "02024")]
    [InlineData("M", "2")]
    [InlineData("MM", "02")]
    [InlineData("MMM", "Feb")]
    [InlineData("MMMM", "February")]
    [InlineData("MMMMM", "F")]
    [InlineData("LLL", "Feb")]
    [InlineData("d", "29")]
    [InlineData("D", "60")]
    [InlineData("DDD", "060")]
    [InlineData("Q", "1")]
    [InlineData("QQ", "01")]
    [InlineData("QQQ", "Q1")]
    [InlineData("QQQQ", "1st quarter")]
    [InlineData("E", "Thu")]
    [InlineData("EEE", "Thu")]
    [InlineData("EEEE", "Thursday")]
    [InlineData("EEEEE", "T")]
    [InlineData("e", "5")]
    [InlineData("ee", "05")]
    [InlineData("eeee", "Thursday")]
    [InlineData("a", "PM")]
    [InlineData("h", "12")]
    [InlineData("hh", "12")]
    [InlineData("K", "0")]
    [InlineData("KK", "00")]
    [InlineData("k", "12")]
    [InlineData("H", "12")]
    [InlineData("m", "34")]
    [InlineData("s", "56")]
    [InlineData("S", "7")]
    [InlineData("SS", "78")]
    [InlineData("SSS", "789")]
    [InlineData("SSSSSS", "789000")]
    [InlineData("SSSSSSSSS", "789000000")]
    [InlineData("A", "45296789")]
    [InlineData("n", "789000000")]
    [InlineData("N", "45296789000000")]
    [InlineData("VV", "UTC")]
    [InlineData("z", "UTC")]
    [InlineData("zzzz", "Coordinated Universal Time")]
    [InlineData("O", "GMT")]
    [InlineData("X", "Z")]
    [InlineData("XXX", "Z")]
    [InlineData("x", "+00")]
    [InlineData("xx", "+0000")]
    [InlineData("xxx", "+00:00")]
    [InlineData("Z", "+0000")]
    [InlineData("ZZZZ", "GMT")]
    [InlineData("ZZZZZ", "Z")]
    public void Every_letter_formats_as_java_prints_it_in_utc(string pattern, string expected) => Assert.Equal(expected, Format(pattern));

    [Theory]
    [InlineData("VV", "America/New_York")]
    [InlineData("z", "EST")]
    [InlineData("zzzz", "Eastern Standard Time")]
    [InlineData("O", "GMT-5")]
    [InlineData("OOOO", "GMT-05:00")]
    [InlineData("X", "-05")]
    [InlineData("XX", "-0500")]
    [InlineData("XXX", "-05:00")]
    [InlineData("x", "-05")]
    [InlineData("Z", "-0500")]
    [InlineData("ZZZZ", "GMT-05:00")]
    [InlineData("ZZZZZ", "-05:00")]
    [InlineData("HH:mm", "07:34")]
    [InlineData("hh a", "07 AM")]
    public void Zone_fields_in_new_york(string pattern, string expected) => Assert.Equal(expected, Format(pattern, "America/New_York"));

    [Theory]
    [InlineData("X", "+0530")]
    [InlineData("XXX", "+05:30")]
    [InlineData("O", "GMT+5:30")]
    [InlineData("z", "IST")]
    [InlineData("HH:mm", "18:04")]
    public void Zone_fields_with_a_half_hour_offset(string pattern, string expected) => Assert.Equal(expected, Format(pattern, "Asia/Kolkata"));

    [Theory]
    [InlineData("yyyy-MM-dd'T'HH:mm:ss.SSS", "2024-02-29T12:34:56.789")]
    [InlineData("hh 'o''clock' a", "12 o'clock PM")]
    [InlineData("''yyyy''", "'2024'")]
    [InlineData("yyyy.MM.dd G 'at' HH:mm:ss z", "2024.02.29 AD at 12:34:56 UTC")]
    [InlineData("yyyy[-MM[-dd]]", "2024-02-29")]
    [InlineData("dd/MM/yyyy, HH:mm", "29/02/2024, 12:34")]
    [InlineData("'literal only'", "literal only")]
    public void Literals_quotes_and_optional_sections(string pattern, string expected) => Assert.Equal(expected, Format(pattern));

    [Fact]
    public void Optional_sections_with_unavailable_fields_are_left_out()
    {
        Assert.Equal("2024-02-29", JavaDateTimeFormat.Get("yyyy-MM-dd['T'HH:mm]").Format(new DateOnly(2024, 2, 29)));
        Assert.Equal("12:00", JavaDateTimeFormat.Get("HH:mm[ z]").Format(new TimeOnly(12, 0)));
    }

    [Theory]
    [InlineData("yyyy-MM-dd b")]
    [InlineData("'unterminated")]
    [InlineData("yyyy]")]
    [InlineData("HHH")]
    [InlineData("yyyy{")]
    [InlineData("V")]
    [InlineData("OO")]
    [InlineData("SSSSSSSSSS")]
    [InlineData("w")]
    public void Invalid_patterns_are_rejected(string pattern) => Assert.Throws<SqlFunctionException>(() => JavaDateTimeFormat.Get(pattern));

    private static DateTime ParseUtc(string text, string pattern, string zone = "UTC") =>
        JavaDateTimeParser.Parse(JavaDateTimeFormat.Get(pattern), text).ResolveInstant(TimeZones.Resolve(zone));

    [Theory]
    [InlineData("20240229123456", "yyyyMMddHHmmss", "2024-02-29T12:34:56")]
    [InlineData("240229", "yyMMdd", "2024-02-29T00:00:00")]
    [InlineData("990101", "yyMMdd", "2099-01-01T00:00:00")]
    [InlineData("February 29, 2024", "MMMM d, yyyy", "2024-02-29T00:00:00")]
    [InlineData("feb 9 2024", "MMM d yyyy", "2024-02-09T00:00:00")]
    [InlineData("Thu, 29 Feb 2024 12:34:56 +0000", "EEE, dd MMM yyyy HH:mm:ss Z", "2024-02-29T12:34:56")]
    [InlineData("Thu, 29 Feb 2024 07:34:56 -0500", "EEE, dd MMM yyyy HH:mm:ss Z", "2024-02-29T12:34:56")]
    [InlineData("2024-02-29", "yyyy-MM-dd['T'HH:mm]", "2024-02-29T00:00:00")]
    [InlineData("2024-02-29T10:15", "yyyy-MM-dd['T'HH:mm]", "2024-02-29T10:15:00")]
    [InlineData("2024-060", "yyyy-DDD", "2024-02-29T00:00:00")]
    [InlineData("2023-02-29", "yyyy-MM-dd", "2023-02-28T00:00:00")]
    [InlineData("24:00", "kk:mm", "1970-01-01T00:00:00")]
    [InlineData("3 pm", "h a", "1970-01-01T15:00:00")]
    [InlineData("3", "h", "1970-01-01T03:00:00")]
    [InlineData("11 am", "KK a", "1970-01-01T11:00:00")]
    [InlineData("2024-02-29 12:34 CEST", "yyyy-MM-dd HH:mm z", "2024-02-29T11:34:00")]
    [InlineData("2024-02-29 12:34 Europe/London", "yyyy-MM-dd HH:mm VV", "2024-02-29T12:34:00")]
    [InlineData("2024-02-29 12:34 GMT", "yyyy-MM-dd HH:mm z", "2024-02-29T12:34:00")]
    [InlineData("2024-02-29 12:34 +05:30", "yyyy-MM-dd HH:mm XXX", "2024-02-29T07:04:00")]
    [InlineData("2024-02-29 12:34 +05", "yyyy-MM-dd HH:mm X", "2024-02-29T07:34:00")]
    [InlineData("2024-02-29 12:34 GMT-8", "yyyy-MM-dd HH:mm O", "2024-02-29T20:34:00")]
    [InlineData("45296789", "A", "1970-01-01T12:34:56.789")]
    [InlineData("AD 2024", "G yyyy", "2024-01-01T00:00:00")]
    [InlineData("Q1 2024", "QQQ yyyy", "2024-01-01T00:00:00")]
    public void Parsing(string text, string pattern, string expectedUtc) =>
        Assert.Equal(DateTime.Parse(expectedUtc, System.Globalization.CultureInfo.InvariantCulture), ParseUtc(text, pattern));

    [Theory]
    [InlineData("2024-2-29", "yyyy-MM-dd")]
    [InlineData("2024-02-29 extra", "yyyy-MM-dd")]
    [InlineData("2024-13-01", "yyyy-MM-dd")]
    [InlineData("2024-02-32", "yyyy-MM-dd")]
    [InlineData("25:00", "HH:mm")]
    [InlineData("Fri, 29 Feb 2024", "EEE, dd MMM yyyy")]
    [InlineData("2024-02-29 12:34 Nowhere/Place", "yyyy-MM-dd HH:mm VV")]
    [InlineData("12.5", "HH.SS")]
    [InlineData("", "yyyy")]
    [InlineData("13 pm", "h a")]
    public void Parsing_failures(string text, string pattern) => Assert.Throws<SqlFunctionException>(() => ParseUtc(text, pattern));

    [Fact]
    public void Local_times_in_dst_gaps_and_overlaps_resolve_as_java_does()
    {
        // 2021-03-14 02:30 does not exist in Los Angeles: Java moves it forward to 03:30 PDT.
        Assert.Equal(new DateTime(2021, 3, 14, 10, 30, 0, DateTimeKind.Utc), ParseUtc("2021-03-14 02:30", "yyyy-MM-dd HH:mm", "America/Los_Angeles"));

        // 2021-11-07 01:30 happens twice: Java takes the earlier offset (PDT).
        Assert.Equal(new DateTime(2021, 11, 7, 8, 30, 0, DateTimeKind.Utc), ParseUtc("2021-11-07 01:30", "yyyy-MM-dd HH:mm", "America/Los_Angeles"));
    }

    [Fact]
    public void Format_then_parse_round_trips()
    {
        foreach (var pattern in new[] { "yyyy-MM-dd'T'HH:mm:ss.SSSXXX", "EEE, dd MMM yyyy HH:mm:ss Z", "yyyyMMddHHmmssSSS", "dd MMMM yyyy hh:mm:ss.SSS a VV" })
        {
            foreach (var zone in new[] { "UTC", "America/Los_Angeles", "Asia/Kolkata", "Australia/Sydney" })
            {
                var text = JavaDateTimeFormat.Get(pattern).Format(Instant, TimeZones.Resolve(zone));
                var expected = pattern.Contains('S', StringComparison.Ordinal) ? Instant : Instant.AddMilliseconds(-Instant.Millisecond);
                Assert.Equal(expected, ParseUtc(text, pattern, zone));
            }
        }
    }

    [Theory]
    [InlineData("UTC", 0)]
    [InlineData("Z", 0)]
    [InlineData("GMT", 0)]
    [InlineData("+05:30", 330)]
    [InlineData("-08", -480)]
    [InlineData("UTC+01:00", 60)]
    [InlineData("GMT-3", -180)]
    [InlineData("EST", -300)]
    [InlineData("Asia/Kolkata", 330)]
    [InlineData("IST", 330)]
    [InlineData("Europe/London", 0)]
    public void Zone_ids_as_java_accepts_them(string id, int offsetMinutesInJanuary) =>
        Assert.Equal(TimeSpan.FromMinutes(offsetMinutesInJanuary), TimeZones.Resolve(id).GetUtcOffset(new DateTime(2024, 1, 15, 0, 0, 0, DateTimeKind.Utc)));

    [Fact]
    public void Pst_short_id_follows_los_angeles_daylight_saving() =>
        Assert.Equal(TimeSpan.FromHours(-7), TimeZones.Resolve("PST").GetUtcOffset(new DateTime(2024, 7, 1, 0, 0, 0, DateTimeKind.Utc)));

    [Theory]
    [InlineData("Mars/Olympus")]
    [InlineData("+25:00")]
    [InlineData("")]
    public void Unknown_zones_are_errors(string id) => Assert.Throws<SqlFunctionException>(() => TimeZones.Resolve(id));
}
