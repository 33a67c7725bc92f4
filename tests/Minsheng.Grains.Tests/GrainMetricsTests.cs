using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Minsheng.Grains.Messages;
using Minsheng.Grains.Telemetry;
using Orleans.TestingHost;

namespace Minsheng.Grains.Tests;

/// <summary>
/// The grains' instruments come from each host's <see cref="IMeterFactory"/>: the two silos of the test cluster, in one
/// process, count apart, and a collector given one silo's factory sees that silo's decisions only.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class GrainMetricsTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_report_is_counted_once_by_the_silo_whose_owner_decided_it_and_not_by_the_other()
    {
        var silos = fixture.Cluster.Silos.Cast<InProcessSiloHandle>().Select(s => s.SiloHost.Services).ToList();
        Assert.Equal(2, silos.Count);
        using var accepted = new Collectors(silos, "minsheng.unit.reports.accepted");
        using var refused = new Collectors(silos, "minsheng.unit.reports.refused");

        var street = fixture.Grains.GetGrain<IStreetGrain>(GrainKeys.Of("iso-d", "tianshui"));
        var outcome = await street.Report(new ReportCommand("metrics-" + Guid.NewGuid().ToString("N"), "3.1", "tianshui", "main", 1,
            null, [], false, null, "test"));
        var counter = outcome.Answer is not null ? accepted : refused;

        // Counted before the owner answered: nothing to wait for. Exactly one silo saw it.
        var perSilo = counter.Values();
        Assert.Equal(1, perSilo.Sum());
        Assert.Contains(0L, perSilo);
        Assert.Equal(0, (counter == accepted ? refused : accepted).Values().Sum());
        Assert.All(counter.Measurements(), m => Assert.Equal("tianshui", m.Tags["unit"]));
    }

    /// <summary>One collector per silo for an instrument of <see cref="GrainMetrics.MeterName"/>, reading only that silo.</summary>
    private sealed class Collectors(IEnumerable<IServiceProvider> silos, string instrument) : IDisposable
    {
        private readonly List<MetricCollector<long>> _collectors = silos
            .Select(s => new MetricCollector<long>(s.GetRequiredService<IMeterFactory>(), GrainMetrics.MeterName, instrument))
            .ToList();

        /// <summary>The sum of the "tianshui" measurements each silo's collector saw, in silo order.</summary>
        public long[] Values() => _collectors
            .Select(c => c.GetMeasurementSnapshot().Where(m => Equals(m.Tags["unit"], "tianshui")).Sum(m => m.Value)).ToArray();

        public IEnumerable<CollectedMeasurement<long>> Measurements() => _collectors.SelectMany(c => c.GetMeasurementSnapshot());

        public void Dispose()
        {
            foreach (var c in _collectors) c.Dispose();
        }
    }
}
