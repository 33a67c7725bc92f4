using Microsoft.Extensions.Options;
using Minsheng.Silo.Hosting;

namespace Minsheng.Silo.Live;

/// <summary>Registers the live event hub of this silo and its subscription.</summary>
public static class LiveEventsSetup
{
    /// <summary>Adds the silo's live event hub and keeps it subscribed to the plans' events grains.</summary>
    public static WebApplicationBuilder AddLiveEvents(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<LiveEventOptions, LiveEventOptionsRules>(LiveEventOptions.Section);
        builder.Services.AddSingleton(sp => new LiveEventHub(sp.GetRequiredService<IOptions<LiveEventOptions>>().Value));
        builder.Services.AddSingleton<StreamSlots>();
        builder.Services.AddHostedService<LiveEventSubscription>();
        return builder;
    }
}

/// <summary>
/// The rules of <see cref="LiveEventOptions"/> (kept here, with its registration, rather than in the hub's file):
/// a replay buffer of no event would lose every event a reconnecting client missed.
/// </summary>
public sealed class LiveEventOptionsRules : IValidateOptions<LiveEventOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, LiveEventOptions options) => ValidatedOptions.Result(
        options.ReplayBuffer < 1 ? [$"{LiveEventOptions.Section}:ReplayBuffer must be at least 1, not {options.ReplayBuffer}"] : []);
}
