using Minsheng.Domain.SignOff;

namespace Minsheng.Grains.SignOff;

/// <summary>
/// Reports filed under sign-off (填报→审核) while they wait for their unit's reviewer, and what became of them. A filing
/// is one row; a rejection one conditional change of it (only a pending row not already counted in the report log is
/// sent back). An approval is <em>not</em> decided here: it is the report log's one atomic append, which carries both
/// people and both moments; <see cref="MarkApproved"/> only brings this index up to date after it, and a row the log
/// holds counts as approved even when that step was lost (a silo killed between the two): the store's readers derive
/// the state from the log, and the owner repairs the row on its next activation.
/// </summary>
public interface ISignOffStore
{
    /// <summary>Stores a new filing of <paramref name="ownerId"/>; returns null, or the row already filed under that reportId (nothing changed).</summary>
    Task<PendingReport?> File(string planId, string ownerId, PendingReport item);

    /// <summary>The row of a reportId, with its state as the report log makes it (approved when the log holds it).</summary>
    Task<PendingReport?> Find(string planId, string reportId);

    /// <summary>The rows of an owner still marked pending, oldest first: what its grain loads on activation.</summary>
    Task<IReadOnlyList<PendingReport>> Waiting(string planId, string ownerId);

    /// <summary>
    /// Sends a pending row back: true when it was pending and not in the report log (then it is rejected), false when it
    /// was already decided or counted (nothing changed).
    /// </summary>
    Task<bool> Reject(string planId, string reportId, string reviewerRole, string reviewer, string reason, DateTimeOffset at);

    /// <summary>Marks a row approved after the report log appended it (idempotent; a lost call is repaired from the log).</summary>
    Task MarkApproved(string planId, string reportId, string reviewerRole, string reviewer, DateTimeOffset at);

    /// <summary>The rows of a plan matching <paramref name="query"/>, oldest filing first, at most <see cref="SignOffQuery.Limit"/>.</summary>
    Task<IReadOnlyList<PendingReport>> List(string planId, SignOffQuery query);
}

/// <summary>Which filings to list: by state (as the report log makes it), unit and task; null matches any.</summary>
public sealed record SignOffQuery(SignOffState? State = SignOffState.Pending, string? UnitId = null, string? TaskId = null, int Limit = 500);
