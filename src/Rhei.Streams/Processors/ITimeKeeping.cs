namespace Rhei.Streams.Processors;

/// <summary>
/// A processor whose decisions depend on times it has observed (a window's close time, the last emission of closed
/// windows, a join's stream time). A task saves them in its commit point and gives them back when it resumes
/// from it, so that re-read records are judged as they were the first time.
/// </summary>
internal interface ITimeKeeping
{
    long[] SaveTimes();

    void RestoreTimes(IReadOnlyList<long> times);
}
