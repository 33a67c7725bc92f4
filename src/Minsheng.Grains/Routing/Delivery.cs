namespace Minsheng.Grains.Routing;

/// <summary>
/// What one outbox lane has accepted and what it has passed on, so a caller can await "everything accepted so far has
/// been delivered" (the settled signal). Every member but the waiters' completion runs under the lane's lock.
/// </summary>
internal sealed class Delivery
{
    private readonly List<(long UpTo, TaskCompletionSource Done)> _waiters = [];
    private long _accepted;
    private long _taken;
    private long _delivered;

    /// <summary>One more message accepted into the lane's pending batch.</summary>
    public void Accepted() => _accepted++;

    /// <summary>The pump took the pending batch: it holds every message accepted so far.</summary>
    public void Taken() => _taken = _accepted;

    /// <summary>The batch taken last was delivered (or failed, and is left to reconciliation); returns the waiters now due.</summary>
    public List<TaskCompletionSource> Delivered()
    {
        _delivered = _taken;
        var due = _waiters.Where(w => w.UpTo <= _delivered).Select(w => w.Done).ToList();
        _waiters.RemoveAll(w => w.UpTo <= _delivered);
        return due;
    }

    /// <summary>Completes when every message accepted before this call has been delivered.</summary>
    public Task WhenDelivered()
    {
        if (_delivered >= _accepted) return Task.CompletedTask;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiters.Add((_accepted, done));
        return done.Task;
    }
}
