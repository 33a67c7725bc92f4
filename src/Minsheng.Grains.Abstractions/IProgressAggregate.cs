using Minsheng.Grains.Messages;

namespace Minsheng.Grains;

/// <summary>
/// A grain that keeps a rollup of facts it does not own. It takes the latest version per assignment, can be rebuilt
/// at any time from the owners, and reconciles with them periodically, since one-way messages are best effort.
/// </summary>
public interface IProgressAggregate : ISettles
{
    /// <summary>
    /// Takes newer facts; older or repeated ones are ignored. Reporters never await it: the silo's outbox does, so that
    /// while one batch is being applied the next one gathers (coalescing by version) instead of queueing call by call.
    /// </summary>
    Task Apply(IReadOnlyList<FactUpdate> facts);

    /// <summary>Every fact this aggregate holds (the inputs of its rollup).</summary>
    [ReadOnly]
    Task<IReadOnlyList<FactUpdate>> GetFacts();

    /// <summary>The facts with their revision; without the facts when the caller holds that revision already.</summary>
    [ReadOnly]
    Task<FactsSnapshot> GetSnapshot(Guid epoch, long revision);

    /// <summary>
    /// Whether this aggregate holds version <paramref name="version"/> (or newer) of the assignment metric, waiting up to
    /// <paramref name="wait"/> for it; true at once for a metric outside this aggregate. Read-your-writes: a view asked
    /// with <c>?after=</c> answers only once this is true. Interleaves with the updates it waits for.
    /// </summary>
    [AlwaysInterleave]
    Task<bool> Includes(string taskId, string unitId, string metricId, long version, TimeSpan wait);

    /// <summary>Pulls every fact again from the grains that own them and applies the newer ones.</summary>
    Task Reconcile();

    /// <summary>Drops the activation; the next call rebuilds it from the owners (operators and fault tests).</summary>
    Task Deactivate();
}

/// <summary>A lead department (牵头单位): owns the district-level assignments of the tasks it leads and rolls up those tasks.</summary>
public interface IDepartmentGrain : IAssignmentOwnerGrain, IProgressAggregate;

/// <summary>One of the plan's projects: rolls up its tasks. Key: "{planId}/{projectId}".</summary>
public interface IProjectGrain : IProgressAggregate;

/// <summary>A district leader (分管区领导): rolls up the projects the leader is named on.</summary>
public interface ILeaderGrain : IProgressAggregate;

/// <summary>The whole plan's rollup. Key: the plan id.</summary>
public interface IPlanGrain : IProgressAggregate;

/// <summary>
/// An aggregate's facts at a revision: <see cref="Facts"/> is null when the caller already holds this very revision
/// of this very activation (<see cref="Epoch"/>), so a reader can serve its cached result without the facts crossing
/// the wire again.
/// </summary>
[GenerateSerializer, Immutable, Alias("minsheng.facts-snapshot.v1")]
public sealed record FactsSnapshot(
    [property: Id(0)] Guid Epoch,
    [property: Id(1)] long Revision,
    [property: Id(2)] IReadOnlyList<FactUpdate>? Facts);
