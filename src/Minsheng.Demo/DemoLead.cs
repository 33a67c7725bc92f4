namespace Minsheng.Demo;

/// <summary>
/// Who drives the demo. In a cluster every silo runs a <see cref="DemoRunner"/>, but one business clock and one scenario
/// must be played once: each runner asks for the lead before it starts and before every step, and only the holder
/// plays; another takes over when the holder stops asking (its silo died or left) for longer than the lease.
/// </summary>
public interface IDemoLead
{
    /// <summary>Takes or renews the lead for <paramref name="holder"/> for <paramref name="lease"/>; false while another holds it.</summary>
    Task<bool> TryLead(string holder, TimeSpan lease, CancellationToken cancellationToken);
}

/// <summary>A host alone: it always leads.</summary>
public sealed class SoleDemoLead : IDemoLead
{
    public Task<bool> TryLead(string holder, TimeSpan lease, CancellationToken cancellationToken) => Task.FromResult(true);
}
