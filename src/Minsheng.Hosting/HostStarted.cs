using Microsoft.Extensions.Hosting;

namespace Minsheng.Hosting;

/// <summary>Waits until the whole host, the silo included, has started: grain calls before that only retry.</summary>
public static class HostStarted
{
    public static async Task WaitAsync(this IHostApplicationLifetime lifetime, CancellationToken cancellationToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(cancellationToken);
    }
}
