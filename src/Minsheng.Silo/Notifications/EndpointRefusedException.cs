namespace Minsheng.Silo.Notifications;

/// <summary>A connection the endpoint policy refused (an internal address): a failed attempt, never retried at once.</summary>
public sealed class EndpointRefusedException(string message) : IOException(message);
