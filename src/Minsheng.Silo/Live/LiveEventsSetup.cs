using Microsoft.Extensions.Options;
using Minsheng.Silo.Hosting;

namespace Minsheng.Silo.Live;

/// <summary>Registers the live event hub of this silo and its subscription.</summary>
public static class LiveEventsSetup
{
    /// <summary>Adds the silo's live event hub subscribed to the events grains of the plans its streams watch.</summary>
    public static WebApplicationBuilder AddLiveEvents(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<LiveEventOptions, LiveEventOptionsRules>(LiveEventOptions.Section);
        builder.Services.AddSingleton(sp => new LiveEventHub(sp.GetRequiredService<IOptions<LiveEventOptions>>().Value,
            sp.GetRequiredService<IGrainFactory>, sp.GetRequiredService<ILogger<LiveEventHub>>()));
        builder.Services.AddSingleton<StreamSlots>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<StreamSlots>());
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<LiveEventOptions>>().Value);
        builder.Services.AddSingleton<LiveEventSubscription>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<LiveEventSubscription>());
        return builder;
    }
}

/// <summary>
/// The rules of <see cref="LiveEventOptions"/> (kept here, with its registration, rather than in the hub's file):
/// a replay buffer of no event would lose every event a reconnecting client missed, and a renewal slower than the
/// events grain's observer lifetime would lose the subscription.
/// </summary>
public sealed class LiveEventOptionsRules : IValidateOptions<LiveEventOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, LiveEventOptions options) => ValidatedOptions.Result(Problems(options));

    private static IEnumerable<string> Problems(LiveEventOptions options)
    {
        if (options.ReplayBuffer < 1) yield return $"{LiveEventOptions.Section}:ReplayBuffer must be at least 1, not {options.ReplayBuffer}";
        // The events grain drops an observer not renewed within 2 minutes.
        if (options.RenewSeconds is < 1 or > 90) yield return $"{LiveEventOptions.Section}:RenewSeconds must be 1 to 90, not {options.RenewSeconds}";
        if (options.LingerSeconds is < 0 or > 3600) yield return $"{LiveEventOptions.Section}:LingerSeconds must be 0 to 3600, not {options.LingerSeconds}";
    }
}
