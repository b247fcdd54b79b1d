using System.Globalization;
using System.Text;
using Rhei.Client;

namespace Rhei.Streams.Runtime;

/// <summary>One input partition's position in a commit point: the next offset to read and the partition time reached.</summary>
internal readonly record struct InputPosition(long Offset, long PartitionTime);

/// <summary>
/// What a stateful task had done at a commit, written to the application's commit-point topic after its output and
/// changelog records are acknowledged and before its input offsets are committed to the group: the next input offset
/// (and partition time) of each input partition, and the end offset of each of its changelog partitions. The state
/// its changelogs hold up to those end offsets is exactly the effect of the input before those input offsets; a
/// changelog record past its end offset comes from input processed after the commit (see <c>docs/streams.md</c>).
/// Serialized as text, one fact per line: a version line (<c>1</c>), <c>s &lt;stream time&gt;</c>,
/// <c>i &lt;topic&gt; &lt;partition&gt; &lt;offset&gt; &lt;partition time&gt;</c>, <c>c &lt;topic&gt; &lt;partition&gt; &lt;end offset&gt;</c>
/// and <c>p &lt;index&gt; &lt;time&gt;...</c> (the times of the task's n-th time-keeping processor, in build order).
/// </summary>
internal sealed record CommitPoint(
    long StreamTime,
    IReadOnlyDictionary<TopicPartition, InputPosition> Inputs,
    IReadOnlyDictionary<TopicPartition, long> Changelogs,
    IReadOnlyDictionary<int, long[]> ProcessorTimes)
{
    /// <summary>The commit-point topic of an application: compacted, one partition, keyed by task id.</summary>
    public static string TopicName(string applicationId) => applicationId + "-commit-points";

    public static byte[] Key(TaskId task) => Encoding.UTF8.GetBytes(task.ToString());

    public byte[] Serialize()
    {
        var sb = new StringBuilder("1\n");
        sb.Append(CultureInfo.InvariantCulture, $"s {StreamTime}\n");
        foreach (var (tp, p) in Inputs) { sb.Append(CultureInfo.InvariantCulture, $"i {tp.Topic} {tp.Partition} {p.Offset} {p.PartitionTime}\n"); }
        foreach (var (tp, end) in Changelogs) { sb.Append(CultureInfo.InvariantCulture, $"c {tp.Topic} {tp.Partition} {end}\n"); }
        foreach (var (index, times) in ProcessorTimes) { sb.Append(CultureInfo.InvariantCulture, $"p {index} {string.Join(' ', times)}\n"); }
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    /// <summary>Parses a commit point; null for a tombstone or a value this version does not understand.</summary>
    public static CommitPoint? Parse(ReadOnlySpan<byte> value)
    {
        var lines = Encoding.UTF8.GetString(value).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0 || lines[0] != "1") { return null; }
        long streamTime = -1;
        var inputs = new Dictionary<TopicPartition, InputPosition>();
        var changelogs = new Dictionary<TopicPartition, long>();
        var processors = new Dictionary<int, long[]>();
        foreach (var line in lines.AsSpan(1))
        {
            var f = line.Split(' ');
            switch (f[0])
            {
                case "s" when f.Length == 2:
                    streamTime = long.Parse(f[1], CultureInfo.InvariantCulture);
                    break;
                case "i" when f.Length == 5:
                    inputs[new TopicPartition(f[1], int.Parse(f[2], CultureInfo.InvariantCulture))] =
                        new InputPosition(long.Parse(f[3], CultureInfo.InvariantCulture), long.Parse(f[4], CultureInfo.InvariantCulture));
                    break;
                case "c" when f.Length == 4:
                    changelogs[new TopicPartition(f[1], int.Parse(f[2], CultureInfo.InvariantCulture))] = long.Parse(f[3], CultureInfo.InvariantCulture);
                    break;
                case "p" when f.Length >= 2:
                    processors[int.Parse(f[1], CultureInfo.InvariantCulture)] = [.. f.Skip(2).Select(t => long.Parse(t, CultureInfo.InvariantCulture))];
                    break;
                default:
                    return null;
            }
        }

        return new CommitPoint(streamTime, inputs, changelogs, processors);
    }
}
