using System.Collections.Concurrent;
using Minsheng.Grains;

namespace Minsheng.Silo.Live;

/// <summary>
/// This silo's receiver of live events: a plan's events grain pushes to it, and it appends each batch to the plan's
/// <see cref="PlanEventLog"/>, which every open event-stream connection on this silo reads by its own cursor.
/// Event ids are <c>{epoch}-{number}</c> as the plan's events grain numbered them: the same on every silo and across
/// restarts, so a client that reconnects to another silo resumes there.
/// </summary>
public sealed class LiveEventHub(LiveEventOptions options) : IPlanEventObserver
{
    private readonly ConcurrentDictionary<string, PlanEventLog> _logs = new();

    public Task OnEvents(SequencedEvents events)
    {
        Log(events.PlanId).Append(events);
        return Task.CompletedTask;
    }

    /// <summary>The plan's log on this silo.</summary>
    public PlanEventLog Log(string planId) => _logs.GetOrAdd(planId, _ => new PlanEventLog(options.ReplayBuffer));
}

/// <summary>Settings of the live event stream (<c>Minsheng:Live</c>).</summary>
public sealed class LiveEventOptions
{
    public const string Section = "Minsheng:Live";

    /// <summary>Events kept per plan for clients that reconnect or fall behind.</summary>
    public int ReplayBuffer { get; set; } = 4096;

    /// <summary>How often this silo renews its subscription to a watched plan (well within the grain's 2-minute observer lifetime).</summary>
    public int RenewSeconds { get; set; } = 30;

    /// <summary>How long a plan stays subscribed after its last stream closed, so a reconnecting client resumes.</summary>
    public int LingerSeconds { get; set; } = 60;
}
