using System.Globalization;
using System.Text;
using Rhei.Storage.Segments;

namespace Rhei.Storage.Partitions;

/// <summary>
/// The small checkpoint file <c>partition.state</c> of a partition folder: the log start offset (moved by
/// retention and DeleteRecords) and the cleaner's first dirty offset. Written atomically.
/// </summary>
internal sealed record PartitionState(long LogStartOffset, long CleanerCheckpoint)
{
    public const string FileName = "partition.state";

    public static PartitionState Load(string directory)
    {
        var path = Path.Combine(directory, FileName);
        long logStart = 0, cleaner = 0;
        if (!File.Exists(path))
        {
            return new PartitionState(0, 0);
        }

        foreach (var line in File.ReadAllLines(path))
        {
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || !long.TryParse(line.AsSpan(eq + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            {
                continue;
            }

            switch (line[..eq])
            {
                case "log.start.offset":
                    logStart = value;
                    break;
                case "cleaner.checkpoint":
                    cleaner = value;
                    break;
            }
        }

        return new PartitionState(logStart, cleaner);
    }

    public void Save(string directory)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"log.start.offset={LogStartOffset}\ncleaner.checkpoint={CleanerCheckpoint}\n");
        SegmentFiles.WriteAtomically(Path.Combine(directory, FileName), Encoding.UTF8.GetBytes(text));
    }
}
