namespace Minsheng.Grains.Routing;

/// <summary>Starts an outbox's pump: a loop that outlives the call that happened to start it.</summary>
internal static class Pump
{
    /// <summary>
    /// Runs <paramref name="loop"/> on the thread pool without the caller's execution context. The first report that
    /// finds a lane idle starts its pump, and the pump then carries everyone's messages for as long as any arrive: with
    /// the context flowing, every later call would go out under that first caller's Activity (one trace swallowing
    /// unrelated reports) and RequestContext (its values, and Orleans' call-chain data, sent with every call).
    /// </summary>
    public static void Start(Func<Task> loop)
    {
        // SuppressFlow throws when flow is already suppressed (a caller that started us from such a loop).
        if (ExecutionContext.IsFlowSuppressed())
        {
            _ = Task.Run(loop);
            return;
        }
        using (ExecutionContext.SuppressFlow()) _ = Task.Run(loop);
    }
}
