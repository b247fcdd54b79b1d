using Rhei.Formats.Types;
using Rhei.Sql.Functions;
using static Rhei.Sql.Tests.Functions.FunctionTestKit;

namespace Rhei.Sql.Tests.Functions;

public class DateTimeFunctionTests
{
    [Theory]
    [InlineData(17662, "yyyy-MM-dd", "2018-05-11")]
    [InlineData(18027, "dd/MM/yyyy", "11/05/2019")]
    [InlineData(18993, "dd-MMM-yyyy", "01-Jan-2022")]
    [InlineData(0, "dd-MM-yyyy", "01-01-1970")]
    [InlineData(-1, "dd-MM-yyyy'Sophia'", "31-12-1969Sophia")]
    public void Datetostring_and_format_date(int days, string format, string expected)
    {
        Assert.Equal(expected, Call("DATETOSTRING", days, format));
        Assert.Equal(expected, Call("FORMAT_DATE", Day(days), format));
    }

    [Theory]
    [InlineData("2018-05-11Lit", "yyyy-MM-dd'Lit'", 17662)]
    [InlineData("11/05/2019", "dd/MM/yyyy", 18027)]
    [InlineData("01-Jan-2022", "dd-MMM-yyyy", 18993)]
    [InlineData("01-01-1970", "dd-MM-yyyy", 0)]
    [InlineData("01-JAN-2022", "dd-MMM-yyyy", 18993)]
    [InlineData("JAN-2022", "MMM-yyyy", 18993)]
    [InlineData("2003-01-01", "yyyy-MM-dd", 12053)]
    [InlineData("20030101", "yyyyMMdd", 12053)]
    public void Parse_date_and_stringtodate(string text, string format, int expectedDays)
    {
        Assert.Equal(Day(expectedDays), Call("PARSE_DATE", text, format));
        Assert.Equal(expectedDays, Call("STRINGTODATE", text, format));
    }

    [Fact]
    public void Parse_date_failures_are_errors()
    {
        Assert.Throws<SqlFunctionException>(() => Call("STRINGTODATE", "foo", "yyyyMMdd"));
        Assert.Throws<SqlFunctionException>(() => Call("PARSE_DATE", "2003", "yyyy-MM-dd"));
        Assert.Throws<SqlFunctionException>(() => Call("PARSE_DATE", "2003-02-30x", "yyyy-MM-dd"));
        Assert.Null(Call("PARSE_DATE", Null(SqlTypes.String), "yyyy"));
    }

    [Theory]
    [InlineData(65000, "HH_mm_ss_SSS", "00_01_05_000")]
    [InlineData(1234567, "HHmmss'AAAAA'", "002034AAAAA")]
    [InlineData(0, "HH:mm:ss", "00:00:00")]
    [InlineData(46800000, "hh:mm a", "01:00 PM")]
    [InlineData(0, "h:mm a", "12:00 AM")]
    [InlineData(0, "k", "24")]
    public void Format_time(long millis, string format, string expected) => Assert.Equal(expected, Call("FORMAT_TIME", Tm(millis), format));

    [Fact]
    public void Format_time_rejects_date_fields()
    {
        Assert.Throws<SqlFunctionException>(() => Call("FORMAT_TIME", Tm(0), "yyyy"));
        Assert.Throws<SqlFunctionException>(() => Call("FORMAT_DATE", Day(0), "HH"));
        Assert.Null(Call("FORMAT_TIME", Null(SqlTypes.Time), "HH:mm:ss"));
    }

    [Theory]
    [InlineData("00:01:05Lit", "HH:mm:ss'Lit'", 65000)]
    [InlineData("11/05/19", "HH/mm/ss", 39919000)]
    [InlineData("01:00:00 PM", "hh:mm:ss a", 46800000)]
    [InlineData("01:00:00 Pm", "hh:mm:ss a", 46800000)]
    [InlineData("12:30:00 AM", "hh:mm:ss a", 1800000)]
    [InlineData("13:25", "HH:mm", 48300000)]
    [InlineData("10:11:12.123456", "HH:mm:ss.SSSSSS", 36672123)]
    public void Parse_time(string text, string format, long expectedMillis) => Assert.Equal(Tm(expectedMillis), Call("PARSE_TIME", text, format));

    [Theory]
    [InlineData("2018-05-11T21:58:33", "yyyy-MM-dd'T'HH:mm:ss", 1526075913000)]
    [InlineData("2019-05-11T21:58:33", "yyyy-MM-dd'T'HH:mm:ss", 1557611913000)]
    [InlineData("2020-05-11T21:58:33", "yyyy-MM-dd'T'HH:mm:ss", 1589234313000)]
    [InlineData("2018-05-11T21:58:33 PST", "yyyy-MM-dd'T'HH:mm:ss zzz", 1526101113000)]
    [InlineData("2019-05-11T21:58:33 PST", "yyyy-MM-dd'T'HH:mm:ss zzz", 1557637113000)]
    [InlineData("2020-05-11T21:58:33 PST", "yyyy-MM-dd'T'HH:mm:ss zzz", 1589259513000)]
    [InlineData("2021-06-31 12:18:39.446", "yyyy-MM-dd HH:mm:ss.SSS", 1625055519446)]
    [InlineData("2019-08-27T13:31:09.2+0000", "yyyy-MM-dd'T'HH:mm:ss.SX", 1566912669200)]
    [InlineData("2018-05-11T21:58:33Z", "yyyy-MM-dd'T'HH:mm:ssX", 1526075913000)]
    [InlineData("2020-05-11T21:58:33z", "yyyy-MM-dd'T'HH:mm:ssX", 1589234313000)]
    [InlineData("2020-05-11T21:58:33+02:00", "yyyy-MM-dd'T'HH:mm:ssXXX", 1589227113000)]
    [InlineData("2020-05-11 21:58:33.123456789", "yyyy-MM-dd HH:mm:ss.SSSSSSSSS", 1589234313123)]
    [InlineData("2020-05-11 21:58 Europe/Paris", "yyyy-MM-dd HH:mm VV", 1589227080000)]
    [InlineData("11 May 2020 GMT+2", "dd MMM yyyy O", 1589148000000)]
    public void Parse_timestamp(string text, string format, long expectedMillis)
    {
        Assert.Equal(Ts(expectedMillis), Call("PARSE_TIMESTAMP", text, format));
        Assert.Equal(expectedMillis, Call("STRINGTOTIMESTAMP", text, format));
    }

    [Fact]
    public void Parse_timestamp_in_a_zone()
    {
        Assert.Equal(Ts(1526101113000), Call("PARSE_TIMESTAMP", "2018-05-11 21:58:33", "yyyy-MM-dd HH:mm:ss", "America/Los_Angeles"));
        Assert.Equal(1526101113000L, Call("STRINGTOTIMESTAMP", "2018-05-11 21:58:33", "yyyy-MM-dd HH:mm:ss", "America/Los_Angeles"));
        Assert.Equal(Ts(1526075913000 - 3600000), Call("PARSE_TIMESTAMP", "2018-05-11 21:58:33", "yyyy-MM-dd HH:mm:ss", "+01:00"));
        Assert.Throws<SqlFunctionException>(() => Call("PARSE_TIMESTAMP", "2018-05-11 21:58:33", "yyyy-MM-dd HH:mm:ss", "Mars/Olympus"));
        Assert.Throws<SqlFunctionException>(() => Call("PARSE_TIMESTAMP", "not a timestamp", "yyyy-MM-dd'T'HH:mm:ssX"));
    }

    [Theory]
    [InlineData(1526075913000, "yyyy-MM-dd HH:mm:ss zzz", "America/Los_Angeles", "2018-05-11 14:58:33 PDT")]
    [InlineData(1526075913000, "yyyy-MM-dd HH:mm:ss zzz", "Europe/London", "2018-05-11 22:58:33 BST")]
    [InlineData(1526075913000, "yyyy-MM-dd HH:mm:ss", "UTC", "2018-05-11 21:58:33")]
    [InlineData(1516075913000, "yyyy-MM-dd HH:mm:ss z", "America/Los_Angeles", "2018-01-15 20:11:53 PST")]
    [InlineData(1526075913123, "yyyy-MM-dd'T'HH:mm:ss.SSSXXX", "Asia/Kolkata", "2018-05-12T03:28:33.123+05:30")]
    [InlineData(1526075913123, "yyyy-MM-dd'T'HH:mm:ss.SSSX", "UTC", "2018-05-11T21:58:33.123Z")]
    [InlineData(1526075913000, "EEE, d MMM yyyy HH:mm:ss Z", "UTC", "Fri, 11 May 2018 21:58:33 +0000")]
    [InlineData(1526075913000, "EEEE MMMM d", "UTC", "Friday May 11")]
    [InlineData(1526075913000, "zzz", "UTC", "UTC")]
    [InlineData(1526075913000, "zzzz", "America/Los_Angeles", "Pacific Daylight Time")]
    public void Timestamptostring_and_format_timestamp(long millis, string format, string zone, string expected)
    {
        Assert.Equal(expected, Call("TIMESTAMPTOSTRING", millis, format, zone));
        Assert.Equal(expected, Call("FORMAT_TIMESTAMP", Ts(millis), format, zone));
    }

    [Fact]
    public void Format_timestamp_defaults_to_utc()
    {
        Assert.Equal("2018-05-11 21:58:33", Call("FORMAT_TIMESTAMP", Ts(1526075913000), "yyyy-MM-dd HH:mm:ss"));
        Assert.Equal("2018-05-11 21:58:33.000", Call("TIMESTAMPTOSTRING", 1526075913000L, "yyyy-MM-dd HH:mm:ss.SSS"));
        Assert.Null(Call("FORMAT_TIMESTAMP", Null(SqlTypes.Timestamp), "yyyy"));
    }

    [Fact]
    public void Convert_tz()
    {
        Assert.Equal(Ts(10800100), Call("CONVERT_TZ", Ts(100), "America/Los_Angeles", "America/New_York"));
        Assert.Equal(Ts(1589245113000), Call("CONVERT_TZ", Ts(1589234313000), "America/Los_Angeles", "America/New_York"));
        Assert.Equal(Ts(3600000), Call("CONVERT_TZ", Ts(0), "UTC", "+01:00"));
        Assert.Null(Call("CONVERT_TZ", Null(SqlTypes.Timestamp), "UTC", "UTC"));
    }

    [Fact]
    public void Dateadd_and_datesub()
    {
        Assert.Equal(Day(20), Call("DATEADD", IntervalUnit.Days, 10, Day(10)));
        Assert.Equal(Day(0), Call("DATEADD", IntervalUnit.Days, -5, Day(5)));
        Assert.Equal(Day(-3), Call("DATEADD", IntervalUnit.Days, -5, Day(2)));
        Assert.Equal(Day(30), Call("DATESUB", IntervalUnit.Days, 10, Day(40)));
        Assert.Equal(Day(-5), Call("DATESUB", IntervalUnit.Days, 10, Day(5)));
        Assert.Equal(Day(10), Call("DATESUB", IntervalUnit.Days, -5, Day(5)));
        Assert.Equal(Day(1), Call("DATEADD", IntervalUnit.Hours, 25, Day(0)));
        Assert.Equal(Day(-1), Call("DATESUB", IntervalUnit.Milliseconds, 1, Day(0)));
        Assert.Null(Call("DATEADD", IntervalUnit.Milliseconds, 5, Null(SqlTypes.Date)));
        Assert.Null(Call("DATEADD", IntervalUnit.Milliseconds, Null(SqlTypes.Integer), Day(5)));
    }

    [Fact]
    public void Timeadd_and_timesub_wrap_around_midnight()
    {
        Assert.Equal(Tm(0), Call("TIMEADD", IntervalUnit.Milliseconds, -5, Tm(5)));
        Assert.Equal(Tm(86399997), Call("TIMEADD", IntervalUnit.Milliseconds, -5, Tm(2)));
        Assert.Equal(Tm(10), Call("TIMESUB", IntervalUnit.Milliseconds, 10, Tm(20)));
        Assert.Equal(Tm(86399995), Call("TIMESUB", IntervalUnit.Milliseconds, 10, Tm(5)));
        Assert.Equal(Tm(2), Call("TIMESUB", IntervalUnit.Milliseconds, -5, Tm(86399997)));
        Assert.Equal(Tm(3600000), Call("TIMEADD", IntervalUnit.Hours, 25, Tm(0)));
        Assert.Equal(Tm(0), Call("TIMEADD", IntervalUnit.Days, 3, Tm(0)));
        Assert.Null(Call("TIMEADD", IntervalUnit.Milliseconds, Null(SqlTypes.Integer), Tm(5)));
    }

    [Fact]
    public void Timestampadd_and_timestampsub()
    {
        Assert.Equal(Ts(20), Call("TIMESTAMPADD", IntervalUnit.Milliseconds, 10, Ts(10)));
        Assert.Equal(Ts(-3), Call("TIMESTAMPADD", IntervalUnit.Milliseconds, -5, Ts(2)));
        Assert.Equal(Ts(10), Call("TIMESTAMPSUB", IntervalUnit.Milliseconds, 10, Ts(20)));
        Assert.Equal(Ts(-95), Call("TIMESTAMPSUB", IntervalUnit.Milliseconds, -5, Ts(-100)));
        Assert.Equal(Ts(86_400_000L * 2), Call("TIMESTAMPADD", IntervalUnit.Days, 2L, Ts(0)));
        Assert.Equal(Ts(1), Call("TIMESTAMPADD", IntervalUnit.Microseconds, 1999, Ts(0)));
        Assert.Equal(L(Ts(8), Ts(11), null), Call("TRANSFORM", L(Ts(3), Ts(6), null), Lambda(SqlTypes.Timestamp, x => x is null ? null : Call("TIMESTAMPADD", IntervalUnit.Milliseconds, 5, A(x)))));
        Assert.Null(Call("TIMESTAMPSUB", IntervalUnit.Milliseconds, 5, Null(SqlTypes.Timestamp)));
    }

    [Fact]
    public void Epoch_conversions()
    {
        Assert.Equal(Day(10), Call("FROM_DAYS", 10));
        Assert.Equal(Day(-10), Call("FROM_DAYS", -10));
        Assert.Equal(Ts(1589234313000), Call("FROM_UNIXTIME", 1589234313000L));
        Assert.Equal(Ts(100), Call("FROM_UNIXTIME", 100));
        Assert.Equal(1589234313000L, Call("UNIX_TIMESTAMP", Ts(1589234313000)));
        Assert.Equal(-1L, Call("UNIX_TIMESTAMP", Ts(0).AddTicks(-1)));
        Assert.Equal(19157, Call("UNIX_DATE", new DateOnly(2022, 6, 14)));
        Assert.Null(Call("FROM_DAYS", Null(SqlTypes.Integer)));
        Assert.Throws<SqlFunctionException>(() => Call("FROM_UNIXTIME", long.MaxValue));
    }

    [Fact]
    public void Current_time_comes_from_the_registry_clock()
    {
        Assert.Equal(Now.ToUnixTimeMilliseconds(), Call("UNIX_TIMESTAMP"));
        Assert.Equal((int)(Now.ToUnixTimeMilliseconds() / 86_400_000), Call("UNIX_DATE"));
    }
}
