namespace Minsheng.Grains.Events;

/// <summary>
/// The latest progress version published per assignment metric in one activation of a plan's events grain: one entry
/// per assignment that reported (a plan has a few hundred), so a progress event sent twice is published once.
/// </summary>
public sealed class ProgressVersions
{
    private readonly Dictionary<(string Task, string Unit, string Metric), long> _latest = [];

    /// <summary>Records <paramref name="version"/> when it is newer than the latest; false when it is not (already published).</summary>
    public bool Advance(string taskId, string unitId, string metricId, long version)
    {
        var key = (taskId, unitId, metricId);
        if (_latest.TryGetValue(key, out var latest) && version <= latest) return false;
        _latest[key] = version;
        return true;
    }
}
