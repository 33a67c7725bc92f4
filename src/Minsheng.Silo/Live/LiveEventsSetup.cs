namespace Minsheng.Silo.Live;

/// <summary>Registers the live event hub of this silo and its subscription.</summary>
public static class LiveEventsSetup
{
    /// <summary>Adds the silo's live event hub and keeps it subscribed to the plans' events grains.</summary>
    public static WebApplicationBuilder AddLiveEvents(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(LiveEventOptions.Section).Get<LiveEventOptions>() ?? new LiveEventOptions();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(sp => new LiveEventHub(sp.GetRequiredService<LiveEventOptions>()));
        builder.Services.AddSingleton<StreamSlots>();
        builder.Services.AddHostedService<LiveEventSubscription>();
        return builder;
    }
}
