using System.Collections.Concurrent;
using System.Security.Cryptography;
using Minsheng.Grains;
using Minsheng.Grains.Messages;

namespace Minsheng.Silo.Live;

/// <summary>
/// This silo's receiver of live events: the plan's events grain pushes to it, and it appends each event to the plan's
/// <see cref="PlanEventLog"/>, which every open event-stream connection on this silo reads by its own cursor.
/// Event ids are <c>{epoch}-{sequence}</c>: the epoch is new for every hub (every silo process), so an id from another
/// silo or from before a restart is recognised as one this log cannot resume from.
/// </summary>
public sealed class LiveEventHub(LiveEventOptions options) : IPlanEventObserver
{
    private readonly ConcurrentDictionary<string, PlanEventLog> _logs = new();

    /// <summary>Distinguishes this hub's ids from those of other silos and earlier runs.</summary>
    public string Epoch { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    public Task OnEvents(IReadOnlyList<PlanEvent> events)
    {
        foreach (var group in events.GroupBy(e => e.PlanId))
            Log(group.Key).Append(group);
        return Task.CompletedTask;
    }

    /// <summary>The plan's log on this silo.</summary>
    public PlanEventLog Log(string planId) => _logs.GetOrAdd(planId, _ => new PlanEventLog(options.ReplayBuffer));

    public string IdOf(long sequence) => $"{Epoch}-{sequence}";

    /// <summary>The sequence a Last-Event-ID names, when it is one of this hub's ids; null otherwise.</summary>
    public long? SequenceOf(string? eventId) =>
        eventId is { } id && id.Split('-') is [var epoch, var number] && epoch == Epoch
            && long.TryParse(number, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var sequence)
            ? sequence
            : null;
}

/// <summary>Settings of the live event stream (<c>Minsheng:Live</c>).</summary>
public sealed class LiveEventOptions
{
    public const string Section = "Minsheng:Live";

    /// <summary>Events kept per plan for clients that reconnect with Last-Event-ID or fall behind.</summary>
    public int ReplayBuffer { get; set; } = 4096;

    /// <summary>How often this silo renews its subscription to a watched plan (well within the grain's 2-minute observer lifetime).</summary>
    public int RenewSeconds { get; set; } = 30;

    /// <summary>How long a plan stays subscribed after its last stream closed, so a reconnecting client resumes.</summary>
    public int LingerSeconds { get; set; } = 60;
}
