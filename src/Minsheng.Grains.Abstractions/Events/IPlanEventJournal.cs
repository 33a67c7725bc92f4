using Minsheng.Domain.Plans;
using Minsheng.Grains.Messages;

namespace Minsheng.Grains.Events;

/// <summary>
/// The durable order of a plan's live events (issue 20): each event under the number its plan's events grain gave it,
/// stored before any silo sees it, so an id means the same event on every silo, after the grain moves, and after a
/// crash (in PostgreSQL mode; on the embedded default it lives as long as the process). A client resumes from any id
/// still here; numbering goes on from the last stored number; a progress event is stored once per assignment version.
/// </summary>
public interface IPlanEventJournal
{
    /// <summary>
    /// The plan's stream as stored: its epoch (made from <paramref name="newEpoch"/> and <paramref name="sweepFrom"/> the
    /// first time), the log position from which reports are checked for missing events, and the last number.
    /// </summary>
    Task<JournalHead> Open(string planId, string newEpoch, long sweepFrom);

    /// <summary>
    /// Stores events numbered <paramref name="first"/>, <paramref name="first"/> + 1, … in one transaction; throws
    /// <see cref="EventNumberTakenException"/> (storing none) when a number is taken: another activation numbers this
    /// plan too, and this one's view is stale.
    /// </summary>
    Task Append(string planId, long first, IReadOnlyList<JournalEntry> entries);

    /// <summary>
    /// The events numbered after <paramref name="after"/>, oldest first, at most <paramref name="limit"/> (the primary key
    /// serves it); when the journal no longer keeps the first of them, its answer starts at the oldest it keeps.
    /// </summary>
    Task<JournalRead> ReadAfter(string planId, long after, int limit);

    /// <summary>
    /// Forgets the events numbered up to <paramref name="upTo"/> (clients that far behind resync) and moves the position
    /// from which the report log is checked for missing events to <paramref name="sweepFrom"/> (never back), since the
    /// progress versions forgotten no longer say what was published before it.
    /// </summary>
    Task Prune(string planId, long upTo, long sweepFrom);

    /// <summary>The latest version stored of each given assignment metric that has a progress event here (one index step per key).</summary>
    Task<IReadOnlyList<ProgressMark>> LatestProgress(string planId, IReadOnlyCollection<AssignmentKey> keys);
}

/// <summary>A plan's stream as stored: its epoch, where the report log is checked from, and its last number (0: none yet).</summary>
public sealed record JournalHead(string Epoch, long SweepFrom, long Last);

/// <summary>Consecutive stored events, numbered <see cref="First"/>, <see cref="First"/> + 1, …</summary>
public sealed record JournalRead(long First, IReadOnlyList<PlanEvent> Events);

/// <summary>An event to store, with its assignment version when it is a report's progress event.</summary>
public sealed record JournalEntry(PlanEvent Event, ProgressMark? Progress);

/// <summary>An assignment metric's version.</summary>
public readonly record struct ProgressMark(AssignmentKey Key, long Version);

/// <summary>The numbers of an append are taken: another activation of the plan's events grain numbered events meanwhile.</summary>
public sealed class EventNumberTakenException(string planId, long first)
    : Exception($"Event number {first} of plan {planId} is taken: another activation numbers this plan's events");
