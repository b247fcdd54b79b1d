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

    private static readonly byte[] LettersTable = Table("abcdefghijklmnopqrstuvwxyz"u8);
    private static readonly byte[] LettersAndSpacesTable = Table("abcdefghijklmnopqrstuvwxyz      "u8);

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
        // One 64-bit draw gives 8 characters, each byte mapped through a 256-entry table (no division per character).
        var table = spaces ? LettersAndSpacesTable : LettersTable;
        var i = 0;
        for (; i + 8 <= destination.Length; i += 8)
        {
            var bits = random.NextUInt64();
            destination[i] = table[(byte)bits];
            destination[i + 1] = table[(byte)(bits >> 8)];
            destination[i + 2] = table[(byte)(bits >> 16)];
            destination[i + 3] = table[(byte)(bits >> 24)];
            destination[i + 4] = table[(byte)(bits >> 32)];
            destination[i + 5] = table[(byte)(bits >> 40)];
            destination[i + 6] = table[(byte)(bits >> 48)];
            destination[i + 7] = table[(byte)(bits >> 56)];
        }

        if (i < destination.Length)
        {
            var bits = random.NextUInt64();
            for (; i < destination.Length; i++, bits >>= 8)
            {
                destination[i] = table[(byte)bits];
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

    private static byte[] Table(ReadOnlySpan<byte> alphabet)
    {
        var table = new byte[256];
        for (var b = 0; b < 256; b++)
        {
            table[b] = alphabet[b % alphabet.Length];
        }

        return table;
    }

    private static byte[][] Utf8(params string[] words) => [.. words.Select(Encoding.ASCII.GetBytes)];
}
