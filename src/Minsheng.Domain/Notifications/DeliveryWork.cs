namespace Minsheng.Domain.Notifications;

/// <summary>
/// The next notice one subscription must deliver (the head of its queue), handed to one sender at a time: a
/// subscription's notices go out in order, each delivered (or given up) before the next is tried.
/// </summary>
/// <param name="Sequence">The notice's place in the plan's order of notices.</param>
/// <param name="Attempts">Attempts made before this one.</param>
/// <param name="FirstAttemptAt">When the first attempt was made (null before it): giving up is measured from it.</param>
public sealed record DeliveryWork(Subscription Subscription, Notice Notice, long Sequence, int Attempts, DateTimeOffset? FirstAttemptAt)
{
    /// <summary>
    /// The same for every attempt of this notice to this subscription, so a receiver that got it twice (an answer lost
    /// on the way back) can tell: the idempotency key.
    /// </summary>
    public string DeliveryId => $"{Subscription.Id}-{Sequence}";
}

/// <summary>What one attempt came to.</summary>
/// <param name="Delivered">The endpoint took it (2xx; for DingTalk also <c>errcode</c> 0).</param>
/// <param name="Status">The HTTP status, when an answer came.</param>
/// <param name="Error">Why it failed, in a few words (never the secret).</param>
public sealed record DeliveryAttempt(bool Delivered, int? Status, string? Error);
