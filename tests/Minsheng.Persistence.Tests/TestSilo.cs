using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Minsheng.Grains;
using Orleans.Configuration;
using Orleans.Hosting;

namespace Minsheng.Persistence.Tests;

/// <summary>A real silo (generic host + UseOrleans) on loopback with free ports, configured by UseMinshengPostgres.</summary>
public sealed class TestSilo : IAsyncDisposable
{
    public const string ServiceId = "minsheng-persistence-tests";

    private bool _stopped;

    private TestSilo(IHost host, int siloPort)
    {
        Host = host;
        SiloPort = siloPort;
    }

    public IHost Host { get; }

    public int SiloPort { get; }

    public IServiceProvider Services => Host.Services;

    public IGrainFactory Grains => Host.Services.GetRequiredService<IGrainFactory>();

    public static async Task<TestSilo> StartAsync(string connectionString, string clusterId, Action<ISiloBuilder>? configure = null)
    {
        var siloPort = Ports.Free();
        var gatewayPort = Ports.Free();
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            EnvironmentName = Environments.Development,
        });
        builder.Logging.ClearProviders();
        if (Environment.GetEnvironmentVariable("MINSHENG_TEST_LOG") is { Length: > 0 } level)
        {
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
            builder.Logging.SetMinimumLevel(Enum.Parse<LogLevel>(level, ignoreCase: true));
        }
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = clusterId;
                o.ServiceId = ServiceId;
            });
            silo.ConfigureEndpoints(IPAddress.Loopback, siloPort, gatewayPort, listenOnAnyHostAddress: false);
            silo.UseMinshengPostgres(connectionString);
            // Persistence carries the report-log contract, so the grain interfaces beside it are loaded: their domain types need the codec.
            silo.Services.AddMinshengSerialization();
            // Test-only: let reminders tick every few seconds.
            silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
            configure?.Invoke(silo);
        });
        var host = builder.Build();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await host.StartAsync(timeout.Token);
        }
        catch
        {
            host.Dispose();
            throw;
        }
        return new TestSilo(host, siloPort);
    }

    /// <summary>Graceful stop: the silo marks itself Dead in the membership table.</summary>
    public async Task StopAsync()
    {
        if (_stopped) return;
        _stopped = true;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await Host.StopAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            Host.Dispose();
        }
    }
}
