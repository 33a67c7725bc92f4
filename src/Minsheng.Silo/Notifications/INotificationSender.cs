using Minsheng.Domain.Notifications;

namespace Minsheng.Silo.Notifications;

/// <summary>Makes one attempt to deliver one notice to one subscription's endpoint.</summary>
public interface INotificationSender
{
    /// <summary>
    /// Sends <paramref name="work"/> once (with the HTTP client's few quick retries of a transient failure inside) and
    /// tells what came of it; a failure is an answer, never an exception. Only <paramref name="cancellation"/> (the
    /// silo stopping) throws, an <see cref="OperationCanceledException"/>: no attempt is then to be recorded.
    /// </summary>
    Task<DeliveryAttempt> Send(DeliveryWork work, CancellationToken cancellation);
}
