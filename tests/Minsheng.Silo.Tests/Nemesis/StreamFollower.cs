using System.Collections.Concurrent;
using Minsheng.Silo.Tests.Infrastructure;

namespace Minsheng.Silo.Tests.Nemesis;

/// <summary>A resync the follower was sent: when it received the last event before it, and the resync itself.</summary>
public sealed record SeenResync(DateTime LastEventAt, DateTime At, string Text);

/// <summary>A progress event as the follower received it, in arrival order.</summary>
public sealed record SeenProgress(string Id, string ReportId, string Task, string Unit, string Metric, long Completed, int Connection);

/// <summary>
/// A dashboard that follows the plan's live events through the one address for the whole run, as a browser's
/// EventSource does: when the stream ends or breaks it reconnects (after the server's retry delay) with the last id it
/// saw, whichever silo answers. It records every progress event, every reconnection and every resync.
/// </summary>
public sealed class StreamFollower(NemesisCluster cluster)
{
    private const string Plan = "/api/v1/plans/gongshu-2024";

    public ConcurrentQueue<SeenProgress> Progress { get; } = new();

    public ConcurrentQueue<SeenResync> Resyncs { get; } = new();

    public int Connections { get; private set; }

    /// <summary>Completes with the first snapshot: from then on every progress event of the plan is due to this follower.</summary>
    public TaskCompletionSource Following { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string? LastId { get; private set; }

    public async Task Run(CancellationToken stop)
    {
        using var client = cluster.Client("viewer", Timeout.InfiniteTimeSpan);
        var lastEventAt = DateTime.UtcNow;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var reader = await SseReader.Open(client, $"{Plan}/events", LastId, stop);
                Connections++;
                while (true)
                {
                    var e = await reader.Next(stop);
                    if (e.Kind == "snapshot") Following.TrySetResult();
                    if (e.Kind == "resync") Resyncs.Enqueue(new SeenResync(lastEventAt, DateTime.UtcNow, $"connection {Connections} after {LastId}: {e.Data.ToJsonString()}"));
                    if (e.Kind == "progress")
                        Progress.Enqueue(new SeenProgress(e.Id!, e.Data["reportId"].Str(), e.Data["taskId"].Str(), e.Data["unitId"].Str(),
                            e.Data["metricId"].Str(), e.Data["completed"]!.GetValue<long>(), Connections));
                    if (e.Id is not null) LastId = e.Id;
                    if (e.Kind != "resync") lastEventAt = DateTime.UtcNow;
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { return; }
            catch (Exception e) when (e is HttpRequestException or IOException or EndOfStreamException or OperationCanceledException
                or Xunit.Sdk.XunitException) // A 502/503 page instead of a stream while silos come and go.
            {
                try { await Task.Delay(500, stop); }
                catch (OperationCanceledException) { return; }
            }
        }
    }
}
