using System.Globalization;

namespace Rhei.Storage.Segments;

/// <summary>File names in a partition folder, as Kafka names them: the base offset in 20 digits plus an extension.</summary>
internal static class SegmentFiles
{
    public const string LogSuffix = ".log";
    public const string IndexSuffix = ".index";
    public const string TimeIndexSuffix = ".timeindex";
    public const string SnapshotSuffix = ".snapshot";

    /// <summary>A segment rewritten by the cleaner, not yet complete (deleted at start).</summary>
    public const string CleanedSuffix = ".cleaned";

    /// <summary>A complete rewritten segment waiting to replace the original (the swap is finished at start).</summary>
    public const string SwapSuffix = ".swap";

    public static string Name(long baseOffset) => baseOffset.ToString("D20", CultureInfo.InvariantCulture);

    public static string LogPath(string dir, long baseOffset) => Path.Combine(dir, Name(baseOffset) + LogSuffix);

    public static string IndexPath(string dir, long baseOffset) => Path.Combine(dir, Name(baseOffset) + IndexSuffix);

    public static string TimeIndexPath(string dir, long baseOffset) => Path.Combine(dir, Name(baseOffset) + TimeIndexSuffix);

    public static string SnapshotPath(string dir, long offset) => Path.Combine(dir, Name(offset) + SnapshotSuffix);

    /// <summary>Parses "00000000000000000123.log" (or any suffix) into 123.</summary>
    public static bool TryParseOffset(string fileName, out long offset)
    {
        offset = 0;
        var dot = fileName.IndexOf('.', StringComparison.Ordinal);
        return dot == 20 && long.TryParse(fileName.AsSpan(0, 20), NumberStyles.None, CultureInfo.InvariantCulture, out offset);
    }

    /// <summary>Writes a file atomically: a temporary file, fsync, rename over the target.</summary>
    public static void WriteAtomically(string path, ReadOnlySpan<byte> content)
    {
        var temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 4096))
        {
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }
}
