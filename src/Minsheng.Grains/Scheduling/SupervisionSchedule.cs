namespace Minsheng.Grains.Scheduling;

/// <summary>
/// The durable state of the supervision schedule: per plan the instant it is due next (null when its year is over).
/// A plan new to the catalog is due at once; a plan gone from it is dropped.
/// </summary>
public sealed class SupervisionSchedule
{
    public Dictionary<string, DateTimeOffset?> NextDue { get; set; } = new(StringComparer.Ordinal);

    public DateTimeOffset? LastRun { get; set; }

    /// <summary>The instant a plan new to the schedule is due at: before any plan's year (and inside what every serializer's dates hold).</summary>
    public static readonly DateTimeOffset DueAtOnce = DateTimeOffset.UnixEpoch;

    /// <summary>Aligns the schedule with the plans loaded: true when it changed.</summary>
    public bool Align(IEnumerable<string> planIds)
    {
        var loaded = planIds.ToHashSet(StringComparer.Ordinal);
        var changed = false;
        foreach (var gone in NextDue.Keys.Where(id => !loaded.Contains(id)).ToList()) changed |= NextDue.Remove(gone);
        foreach (var id in loaded) changed |= NextDue.TryAdd(id, DueAtOnce);
        return changed;
    }

    /// <summary>The plans due at or before <paramref name="now"/>, earliest first.</summary>
    public IReadOnlyList<string> DueAt(DateTimeOffset now) =>
        NextDue.Where(p => p.Value is { } at && at <= now).OrderBy(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key).ToList();

    /// <summary>The earliest instant any plan is due, or null when none is.</summary>
    public DateTimeOffset? Earliest() => NextDue.Values.Where(v => v is not null).Min();
}
