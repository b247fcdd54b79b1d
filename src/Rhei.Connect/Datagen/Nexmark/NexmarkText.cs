using System.Text;

namespace Rhei.Connect.Datagen.Nexmark;

/// <summary>
/// The words and random letters of Nexmark events. Random text is drawn from an event's <see cref="NexmarkEvent.TextSeed"/>
/// in a fixed order per event type, so the JSON writer and the typed records render the same strings.
/// </summary>
public static class NexmarkText
{
    public const int EmailLength = 7 + 1 + 5 + 4;
    public const int CreditCardLength = 19;
    public const int ItemNameLength = 20;
    public const int DescriptionLength = 100;
    public const string UrlPrefix = "https://www.nexmark.com/";
    public const string UrlSuffix = "/item.htm?query=1";
    public const string ChannelIdParameter = "&channel_id=";

    private static readonly byte[] Letters = "abcdefghijklmnopqrstuvwxyz"u8.ToArray();
    private static readonly byte[] LettersAndSpaces = "abcdefghijklmnopqrstuvwxyz      "u8.ToArray();

    internal static readonly byte[][] FirstNames = Utf8("Ada", "Bruno", "Carmen", "Dmitri", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Keiko");
    internal static readonly byte[][] LastNames = Utf8("Almeida", "Brandt", "Castillo", "Dubois", "Eriksen", "Fujita", "Garcia", "Haddad", "Ivanova");
    internal static readonly byte[][] Cities = Utf8("Phoenix", "Tucson", "Los Angeles", "San Francisco", "Boise", "Portland", "Bend", "Seattle", "Spokane", "Cheyenne");
    internal static readonly byte[][] States = Utf8("AZ", "CA", "ID", "OR", "WA", "WY");
    internal static readonly byte[][] HotChannels = Utf8("Google", "Facebook", "Baidu", "Apple");

    /// <summary>The US states of persons.</summary>
    public static IReadOnlyList<string> StateNames { get; } = [.. States.Select(Encoding.ASCII.GetString)];

    /// <summary>The 4 hot channels.</summary>
    public static IReadOnlyList<string> HotChannelNames { get; } = [.. HotChannels.Select(Encoding.ASCII.GetString)];

    internal static int FirstNameLength(int i) => FirstNames[i].Length;

    internal static int LastNameLength(int i) => LastNames[i].Length;

    internal static int CityLength(int i) => Cities[i].Length;

    /// <summary>The channel name of a bid: a hot channel, or <c>channel-N</c>.</summary>
    public static string ChannelName(in NexmarkEvent e) =>
        e.HotChannel ? HotChannelNames[e.Channel] : "channel-" + e.Channel.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Writes <paramref name="destination"/>.Length random letters (and spaces, when <paramref name="spaces"/>).</summary>
    internal static void Fill(ref SplitMix random, Span<byte> destination, bool spaces = false)
    {
        var alphabet = spaces ? LettersAndSpaces : Letters;
        var modulo = alphabet.Length;
        var i = 0;
        while (i < destination.Length)
        {
            var bits = random.NextUInt64();
            for (var b = 0; b < 8 && i < destination.Length; b++, i++)
            {
                destination[i] = alphabet[(int)((bits >> (b * 8)) & 0xFF) % modulo];
            }
        }
    }

    /// <summary>Writes 7 letters, '@', 5 letters, ".com" (<see cref="EmailLength"/> bytes).</summary>
    internal static void FillEmail(ref SplitMix random, Span<byte> destination)
    {
        Fill(ref random, destination[..7]);
        destination[7] = (byte)'@';
        Fill(ref random, destination.Slice(8, 5));
        ".com"u8.CopyTo(destination[13..]);
    }

    /// <summary>Writes four groups of four digits separated by spaces (<see cref="CreditCardLength"/> bytes).</summary>
    internal static void FillCreditCard(ref SplitMix random, Span<byte> destination)
    {
        var bits = random.NextUInt64();
        var d = 0;
        for (var i = 0; i < CreditCardLength; i++)
        {
            if (i % 5 == 4)
            {
                destination[i] = (byte)' ';
                continue;
            }

            destination[i] = (byte)('0' + (int)(bits % 10));
            bits /= 10;
            if (++d % 16 == 0)
            {
                bits = random.NextUInt64();
            }
        }
    }

    private static byte[][] Utf8(params string[] words) => [.. words.Select(Encoding.ASCII.GetBytes)];
}
