using Rhei.Formats.Types;
using Rhei.Sql.Functions.Scalar;
using static Rhei.Sql.Functions.Builtins.FunctionBuilder;

namespace Rhei.Sql.Functions.Builtins;

/// <summary>Date and time built-ins.</summary>
internal static class DateTimeCatalog
{
    private static readonly ParamType S = ParamType.String;
    private static readonly ParamType I = ParamType.Integer;
    private static readonly ParamType L = ParamType.BigInt;
    private static readonly ParamType U = ParamType.Unit;

    public static void Register(FunctionRegistry r)
    {
        Fn("CONVERT_TZ", "Converts a TIMESTAMP from one time zone to another.")
            .Add("ConvertTz", SqlTypes.Timestamp, P("timestamp", ParamType.Timestamp), P("fromTimeZone", S), P("toTimeZone", S)).Register(r);
        Fn("DATEADD", "Adds an interval of a time unit to a DATE.")
            .Add("DateAdd", SqlTypes.Date, P("unit", U), P("interval", I), P("date", ParamType.Date)).Register(r);
        Fn("DATESUB", "Subtracts an interval of a time unit from a DATE.")
            .Add("DateSub", SqlTypes.Date, P("unit", U), P("interval", I), P("date", ParamType.Date)).Register(r);
        Fn("TIMEADD", "Adds an interval of a time unit to a TIME (wrapping around midnight).")
            .Add("TimeAdd", SqlTypes.Time, P("unit", U), P("interval", I), P("time", ParamType.Time)).Register(r);
        Fn("TIMESUB", "Subtracts an interval of a time unit from a TIME (wrapping around midnight).")
            .Add("TimeSub", SqlTypes.Time, P("unit", U), P("interval", I), P("time", ParamType.Time)).Register(r);
        Fn("TIMESTAMPADD", "Adds an interval of a time unit to a TIMESTAMP.")
            .Add("TimestampAdd", SqlTypes.Timestamp, P("unit", U), P("interval", I), P("timestamp", ParamType.Timestamp))
            .Add("TimestampAdd", SqlTypes.Timestamp, P("unit", U), P("interval", L), P("timestamp", ParamType.Timestamp))
            .Register(r);
        Fn("TIMESTAMPSUB", "Subtracts an interval of a time unit from a TIMESTAMP.")
            .Add("TimestampSub", SqlTypes.Timestamp, P("unit", U), P("interval", I), P("timestamp", ParamType.Timestamp))
            .Add("TimestampSub", SqlTypes.Timestamp, P("unit", U), P("interval", L), P("timestamp", ParamType.Timestamp))
            .Register(r);
        Fn("FORMAT_DATE", "Formats a DATE with a java.time pattern.")
            .Add("FormatDate", SqlTypes.String, P("date", ParamType.Date), P("formatPattern", S)).Register(r);
        Fn("FORMAT_TIME", "Formats a TIME with a java.time pattern.")
            .Add("FormatTime", SqlTypes.String, P("time", ParamType.Time), P("formatPattern", S)).Register(r);
        Fn("FORMAT_TIMESTAMP", "Formats a TIMESTAMP with a java.time pattern, in UTC or a time zone.")
            .Add("FormatTimestamp", SqlTypes.String, P("timestamp", ParamType.Timestamp), P("formatPattern", S))
            .Add("FormatTimestamp", SqlTypes.String, P("timestamp", ParamType.Timestamp), P("formatPattern", S), P("timeZone", S))
            .Register(r);
        Fn("PARSE_DATE", "Parses a string into a DATE with a java.time pattern.")
            .Add("ParseDate", SqlTypes.Date, P("formattedDate", S), P("formatPattern", S)).Register(r);
        Fn("PARSE_TIME", "Parses a string into a TIME with a java.time pattern.")
            .Add("ParseTime", SqlTypes.Time, P("formattedTime", S), P("formatPattern", S)).Register(r);
        Fn("PARSE_TIMESTAMP", "Parses a string into a TIMESTAMP with a java.time pattern, in UTC or a time zone.")
            .Add("ParseTimestamp", SqlTypes.Timestamp, P("formattedTimestamp", S), P("formatPattern", S))
            .Add("ParseTimestamp", SqlTypes.Timestamp, P("formattedTimestamp", S), P("formatPattern", S), P("timeZone", S))
            .Register(r);
        Fn("FROM_DAYS", "Converts a number of days since 1970-01-01 to a DATE.")
            .Add("FromDays", SqlTypes.Date, P("days", I)).Register(r);
        Fn("FROM_UNIXTIME", "Converts milliseconds since the epoch to a TIMESTAMP.")
            .Add("FromUnixTime", SqlTypes.Timestamp, P("milliseconds", L)).Register(r);
        Fn("UNIX_DATE", "Returns a DATE (or today, UTC) as days since 1970-01-01.")
            .AddWithConstants("UnixDate", ReturnTypeRule.Fixed(SqlTypes.Integer), [typeof(TimeProvider)], (_, _) => [r.Time], "")
            .Add("UnixDate", SqlTypes.Integer, P("date", ParamType.Date))
            .Register(r);
        Fn("UNIX_TIMESTAMP", "Returns a TIMESTAMP (or the current time) as milliseconds since the epoch.")
            .AddWithConstants("UnixTimestamp", ReturnTypeRule.Fixed(SqlTypes.BigInt), [typeof(TimeProvider)], (_, _) => [r.Time], "")
            .Add("UnixTimestamp", SqlTypes.BigInt, P("timestamp", ParamType.Timestamp))
            .Register(r);
        Fn("DATETOSTRING", "Formats days since 1970-01-01 with a java.time pattern (deprecated: use FORMAT_DATE).")
            .Add("DateToString", SqlTypes.String, P("epochDays", I), P("formatPattern", S)).Register(r);
        Fn("STRINGTODATE", "Parses a string into days since 1970-01-01 (deprecated: use PARSE_DATE).")
            .Add("StringToDate", SqlTypes.Integer, P("formattedDate", S), P("formatPattern", S)).Register(r);
        Fn("STRINGTOTIMESTAMP", "Parses a string into milliseconds since the epoch (deprecated: use PARSE_TIMESTAMP).")
            .Add("StringToTimestamp", SqlTypes.BigInt, P("formattedTimestamp", S), P("formatPattern", S))
            .Add("StringToTimestamp", SqlTypes.BigInt, P("formattedTimestamp", S), P("formatPattern", S), P("timeZone", S))
            .Register(r);
        Fn("TIMESTAMPTOSTRING", "Formats milliseconds since the epoch with a java.time pattern (deprecated: use FORMAT_TIMESTAMP).")
            .Add("TimestampToString", SqlTypes.String, P("epochMilli", L), P("formatPattern", S))
            .Add("TimestampToString", SqlTypes.String, P("epochMilli", L), P("formatPattern", S), P("timeZone", S))
            .Register(r);
    }

    private static FunctionBuilder Fn(string name, string description) =>
        new(typeof(DateTimeFunctions), name, FunctionKind.Scalar, FunctionCategory.DateTime, description);
}
