using Minsheng.Domain.Notifications;

namespace Minsheng.Silo.Notifications;

/// <summary>Settings of notification sending (<c>Minsheng:Notifications</c>).</summary>
public sealed class NotificationOptions
{
    public const string Section = "Minsheng:Notifications";

    /// <summary>The host every DingTalk robot's webhook lives on, allowed when nothing else is configured.</summary>
    public const string DingTalkHost = "oapi.dingtalk.com";

    /// <summary>
    /// Hosts a subscription's endpoint may name: exact host names or IP literals, or <c>*.suffix</c> for the names
    /// below a suffix; compared without case. Null (not configured) means <c>["oapi.dingtalk.com"]</c>; a configured
    /// list replaces that default (name DingTalk's host again when its robots are still wanted). The default lives in
    /// <see cref="AllowedHostsInForce"/> rather than here because the configuration binder adds configured items to an array's
    /// initial items instead of replacing them.
    /// </summary>
    public string[]? AllowedHosts { get; set; }

    /// <summary>The allow-list in force: <see cref="AllowedHosts"/>, or DingTalk's host when none is configured (a method: nothing to bind).</summary>
    public IReadOnlyList<string> AllowedHostsInForce() => AllowedHosts is { Length: > 0 } hosts ? hosts : [DingTalkHost];

    /// <summary>Whether deliveries may reach internal addresses (loopback, private, link-local…) through any allowed host.</summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>How long one attempt may take: connecting, sending and the answer's headers, and reading a DingTalk answer.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The pause after a delivery's first failed attempt; it doubles with each further failure.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest pause between two attempts.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long after its first attempt a delivery is given up.</summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Subscriptions one plan may hold.</summary>
    public int MaxSubscriptionsPerPlan { get; set; } = 50;

    /// <summary>Deliveries in flight at once on one silo.</summary>
    public int Concurrency { get; set; } = 8;

    /// <summary>How often the dispatcher looks for deliveries that are due.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The rule of endpoints these settings make.</summary>
    public EndpointPolicy ToPolicy() => new(AllowedHostsInForce(), AllowPrivateNetworks);

    /// <summary>The pauses between failed attempts these settings make (giving up: <see cref="GiveUpAfter"/>).</summary>
    public RetrySchedule ToRetrySchedule() => new(FirstRetryDelay, MaxRetryDelay);
}
