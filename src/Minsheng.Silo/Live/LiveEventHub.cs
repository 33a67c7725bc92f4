using System.Collections.Concurrent;
using Minsheng.Grains;
using Microsoft.Extensions.Logging;

namespace Minsheng.Silo.Live;

/// <summary>
/// This silo's receiver of live events: a plan's events grain pushes to it, and it appends each batch to the plan's
/// <see cref="PlanEventLog"/>, which every open event-stream connection on this silo reads by its own cursor.
/// Event ids are <c>{epoch}-{number}</c> as the plan's events grain numbered them: the same on every silo and across
/// restarts, so a client that reconnects to another silo resumes there.
/// </summary>
public sealed class LiveEventHub(LiveEventOptions options, Func<IGrainFactory>? grains = null, ILogger<LiveEventHub>? logger = null) : IPlanEventObserver
{
    private static readonly TimeSpan HoleWait = TimeSpan.FromMilliseconds(250);
    private readonly ConcurrentDictionary<string, PlanEventLog> _logs = new();
    private readonly ConcurrentDictionary<string, byte> _filling = new();

    /// <summary>A plan's events grain said its activation ends (the plan id): LiveEventSubscription subscribes this silo again.</summary>
    public event Action<string>? SubscribeAgainAsked;

    public Task SubscribeAgain(string planId)
    {
        SubscribeAgainAsked?.Invoke(planId);
        return Task.CompletedTask;
    }

    public Task OnEvents(SequencedEvents events)
    {
        var log = Log(events.PlanId);
        log.Append(events);
        if (log.Hole is not null && grains is not null && _filling.TryAdd(events.PlanId, 0)) _ = FillHoles(events.PlanId, log, grains());
        return Task.CompletedTask;
    }

    /// <summary>
    /// A batch came before the ones it follows: usually they arrive a moment later; if not, they are fetched from the
    /// plan's events grain, and given up (readers across them resync) only when the grain keeps them no more.
    /// </summary>
    private async Task FillHoles(string planId, PlanEventLog log, IGrainFactory factory)
    {
        try
        {
            for (var attempt = 1; log.Hole is not null; attempt++)
            {
                await Task.Delay(HoleWait);
                if (log.Hole is not { } hole) return;
                try
                {
                    if (await factory.GetGrain<IPlanEventsGrain>(planId).ReadAfter(hole.Epoch, hole.Last) is { } fetched) log.Append(fetched);
                    if (log.Hole == hole) log.SkipHole(); // not kept there either
                    logger?.LogInformation("Live events of {PlanId}: filled a hole after {Last} ({How})", planId, hole.Last, log.Last > hole.Last ? "fetched" : "gone, readers resync");
                }
                catch (Exception e) when (attempt < 3)
                {
                    logger?.LogDebug(e, "Fetching the live events of {PlanId} after {Last} failed; trying again", planId, hole.Last);
                }
                catch (Exception e)
                {
                    logger?.LogWarning(e, "Fetching the live events of {PlanId} after {Last} failed {Attempts} times; readers across them resync", planId, hole.Last, attempt);
                    log.SkipHole();
                }
            }
        }
        finally
        {
            _filling.TryRemove(planId, out _);
        }
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
