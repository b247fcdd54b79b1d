namespace Rhei.Streams;

/// <summary>A task: one sub-topology over one partition of its (co-partitioned) input topics. Prints as Kafka Streams' "0_1".</summary>
public readonly record struct TaskId(int SubTopology, int Partition)
{
    public override string ToString() => $"{SubTopology}_{Partition}";

    public static TaskId Parse(string text)
    {
        var i = text.IndexOf('_');
        if (i <= 0 || !int.TryParse(text.AsSpan(0, i), out var s) || !int.TryParse(text.AsSpan(i + 1), out var p))
        {
            throw new FormatException($"'{text}' is not a task id; expected '<sub-topology>_<partition>', e.g. 0_1.");
        }

        return new TaskId(s, p);
    }
}
