using System.Diagnostics;
using System.Globalization;
using Minsheng.Silo.Tests.Infrastructure;
using Minsheng.Testing;

namespace Minsheng.Silo.Tests.Nemesis;

/// <summary>
/// The system under the nemesis: a PostgreSQL server of its own (so it can be stopped), three real silo processes on a
/// simulated business clock, and a real nginx in front running the shipped proxy configuration: the one address every
/// client uses. The nemesis's faults are carried out here, and every fault ends with the cluster whole again.
/// </summary>
public sealed class NemesisCluster : IAsyncDisposable
{
    private readonly Action<string> _log;
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private NemesisCluster(PostgresServer postgres, string database, SiloProcess[] silos, NginxProxy proxy, Action<string> log)
    {
        Postgres = postgres;
        Database = database;
        Silos = silos;
        Proxy = proxy;
        _log = log;
    }

    public PostgresServer Postgres { get; }

    /// <summary>The service's database on <see cref="Postgres"/>.</summary>
    public string Database { get; }

    /// <summary>The database for the test's own reads: unpooled, so no connection outlives a restart of the server.</summary>
    public string Unpooled => new Npgsql.NpgsqlConnectionStringBuilder(Database) { Pooling = false }.ConnectionString;

    public IReadOnlyList<SiloProcess> Silos { get; }

    public NginxProxy Proxy { get; }

    /// <summary>The settings every silo runs with: simulated clock, a failure detector that declares a silo dead in a few seconds.</summary>
    public static Dictionary<string, string> Settings => new()
    {
        ["Minsheng:Clock:Mode"] = "Simulated",
        ["Minsheng:Cluster:ProbeTimeout"] = "00:00:02",
        ["Minsheng:Cluster:NumMissedProbesLimit"] = "2",
        ["Minsheng:Shutdown:Timeout"] = "00:00:20",
        // Each line timed, on one line, and the live events' path told in full: a failed run's silo logs (written
        // beside the run's log, see NemesisTests) show where an event stopped.
        ["Logging:Console:FormatterName"] = "simple",
        ["Logging:Console:FormatterOptions:SingleLine"] = "true",
        ["Logging:Console:FormatterOptions:TimestampFormat"] = "HH:mm:ss.fff ",
        ["Logging:Console:FormatterOptions:UseUtcTimestamp"] = "true",
        ["Logging:LogLevel:Minsheng.Grains.Events"] = "Debug",
        ["Logging:LogLevel:Minsheng.Grains.Routing.EventOutbox"] = "Debug",
        ["Logging:LogLevel:Minsheng.Silo.Live"] = "Debug",
    };

    public static async Task<NemesisCluster> StartAsync(Action<string> log)
    {
        var postgres = await PostgresServer.StartAsync();
        try
        {
            var database = await TestPostgres.CreateDatabase(postgres.ConnectionString, pooling: true, prefix: "nemesis_");
            var silos = Enumerable.Range(0, 3).Select(_ => TestSilos.Process(database, Settings)).ToArray();
            foreach (var silo in silos) await silo.Start(TimeSpan.FromSeconds(90));
            var proxy = await NginxProxy.StartAsync([.. silos.Select(s => s.HttpPort)]);
            log($"cluster: postgres {postgres.ConnectionString}; silos on {string.Join(", ", silos.Select(s => s.HttpPort))}; nginx on {proxy.Port}");
            return new NemesisCluster(postgres, database, silos, proxy, log);
        }
        catch
        {
            await postgres.DisposeAsync();
            throw;
        }
    }

    /// <summary>A client of the one address, as <paramref name="role"/>.</summary>
    public HttpClient Client(string role, TimeSpan? timeout = null)
    {
        var client = new HttpClient { BaseAddress = Proxy.BaseAddress, Timeout = timeout ?? TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", SiloHost.Token(role));
        return client;
    }

    /// <summary>Carries out <paramref name="fault"/> and brings the cluster back: every silo running and ready, PostgreSQL up.</summary>
    public async Task Apply(Fault fault)
    {
        var silo = fault.Kind == FaultKind.RestartPostgres ? null : Silos[fault.Silo];
        Log($"{fault.Kind} {(silo is null ? "postgres" : $"silo{fault.Silo + 1} (pid {silo.Pid})")}");
        switch (fault.Kind)
        {
            case FaultKind.Kill:
                await silo!.Kill();
                await Task.Delay(fault.Hold);
                break;
            case FaultKind.Term:
                var stopping = Stopwatch.StartNew();
                await silo!.Stop();
                Log($"silo{fault.Silo + 1} left after SIGTERM in {stopping.Elapsed.TotalSeconds:F1} s");
                await Task.Delay(fault.Hold);
                break;
            case FaultKind.Pause:
                await silo!.Pause();
                var frozen = Stopwatch.StartNew();
                string? declaredDead = null;
                while (frozen.Elapsed < fault.Hold)
                {
                    await Task.Delay(TimeSpan.FromSeconds(1));
                    if (declaredDead is null && await MembershipStatus(silo) == "dead") declaredDead = $"{frozen.Elapsed.TotalSeconds:F0} s";
                }
                var status = declaredDead is null ? $"still {await MembershipStatus(silo)}" : $"dead after {declaredDead}";
                await silo.Resume();
                // Declared dead while frozen, it learns so on waking and ends itself (Orleans never lets a dead silo serve).
                var exited = await silo.WaitForExit(TimeSpan.FromSeconds(30));
                Log($"silo{fault.Silo + 1} resumed after {fault.Hold.TotalSeconds:F1} s frozen; membership: {status}; {(exited ? "it ended itself" : "it went on")}");
                break;
            case FaultKind.RestartPostgres:
                await Postgres.Stop();
                await Task.Delay(fault.Hold);
                await Postgres.Start();
                break;
        }
        await Heal();
    }

    /// <summary>Starts every silo that is not running (in order), waiting for each to be ready.</summary>
    public async Task Heal()
    {
        for (var i = 0; i < Silos.Count; i++)
        {
            if (!Silos[i].HasExited) continue;
            var starting = Stopwatch.StartNew();
            await Silos[i].Start(TimeSpan.FromSeconds(120));
            Log($"silo{i + 1} started again, ready in {starting.Elapsed.TotalSeconds:F1} s (pid {Silos[i].Pid})");
        }
    }

    /// <summary>The silo's row in Orleans' membership table (3 = active, 6 = dead); "absent" or the error when unreadable.</summary>
    public async Task<string> MembershipStatus(SiloProcess silo)
    {
        try
        {
            var status = await TestPostgres.Scalar(Unpooled, string.Create(CultureInfo.InvariantCulture,
                $"SELECT COALESCE(MAX(status), -1) FROM OrleansMembershipTable WHERE port = {silo.SiloPort} AND generation = (SELECT MAX(generation) FROM OrleansMembershipTable WHERE port = {silo.SiloPort})"));
            return status switch { 3 => "active", 6 => "dead", -1 => "absent", _ => $"status {status}" };
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or InvalidOperationException)
        {
            return $"unreadable ({e.Message})";
        }
    }

    public void Log(string line) => _log(string.Create(CultureInfo.InvariantCulture, $"[t+{_clock.Elapsed.TotalSeconds,6:F1}s] {line}"));

    public async ValueTask DisposeAsync()
    {
        await Proxy.DisposeAsync();
        foreach (var silo in Silos) await silo.DisposeAsync();
        await Postgres.DisposeAsync();
    }
}
