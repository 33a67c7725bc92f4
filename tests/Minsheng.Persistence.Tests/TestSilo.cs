using System.Net;
using System.Net.Sockets;
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
        var siloPort = FreePort();
        var gatewayPort = FreePort();
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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>Polls a condition until it holds or the deadline passes (no fixed sleeps in tests).</summary>
public static class Eventually
{
    public static async Task<T> WaitAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        T last;
        while (true)
        {
            last = await probe();
            if (done(last)) return last;
            if (DateTime.UtcNow >= deadline)
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.#} s waiting for {what}; last value: {Describe(last)}");
            await Task.Delay(100);
        }
    }

    private static string Describe(object? value) => value switch
    {
        null => "null",
        System.Collections.IEnumerable e and not string => "[" + string.Join(", ", e.Cast<object?>()) + "]",
        _ => value.ToString() ?? "",
    };
}
