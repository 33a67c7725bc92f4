using System.Collections.Concurrent;
using System.Threading.Channels;
using Minsheng.Grains;
using Minsheng.Grains.Messages;

namespace Minsheng.Silo.Live;

/// <summary>
/// This silo's receiver of live events: the plan's events grain pushes to it, and it copies each event to every
/// open event-stream connection on this silo. A slow connection drops its oldest events rather than block others.
/// </summary>
public sealed class LiveEventHub : IPlanEventObserver
{
    private const int PerConnectionBuffer = 1024;
    private readonly ConcurrentDictionary<Guid, (string PlanId, Channel<PlanEvent> Channel)> _connections = new();

    private readonly TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the hub is subscribed to the events grains, so a stream opened after it misses nothing.</summary>
    public Task Subscribed => _subscribed.Task;

    internal void MarkSubscribed() => _subscribed.TrySetResult();

    public Task OnEvents(IReadOnlyList<PlanEvent> events)
    {
        foreach (var (_, (planId, channel)) in _connections)
            foreach (var e in events)
                if (e.PlanId == planId) channel.Writer.TryWrite(e);
        return Task.CompletedTask;
    }

    /// <summary>Opens a connection's queue; dispose the lease to close it.</summary>
    public Lease Open(string planId)
    {
        var channel = Channel.CreateBounded<PlanEvent>(new BoundedChannelOptions(PerConnectionBuffer)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        var id = Guid.NewGuid();
        _connections[id] = (planId, channel);
        return new Lease(this, id, channel.Reader);
    }

    public sealed class Lease(LiveEventHub hub, Guid id, ChannelReader<PlanEvent> reader) : IDisposable
    {
        public ChannelReader<PlanEvent> Reader => reader;

        public void Dispose() => hub._connections.TryRemove(id, out _);
    }
}
