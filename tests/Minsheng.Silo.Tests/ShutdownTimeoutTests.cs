using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Minsheng.Silo.Hosting;
using Minsheng.Silo.Tests.Infrastructure;

namespace Minsheng.Silo.Tests;

/// <summary>
/// <c>Minsheng:Shutdown:Timeout</c> is the host's shutdown timeout, the value the deployment files' grace periods are
/// measured against (<see cref="DeploymentFilesTests"/>); a value no orchestrator would wait for stops the start.
/// </summary>
public sealed class ShutdownTimeoutTests
{
    [Fact]
    public async Task The_host_stops_within_the_configured_timeout()
    {
        await using var host = new SiloHost().With("Minsheng:Shutdown:Timeout", "00:00:45");
        host.CreateClient().Dispose();
        Assert.Equal(TimeSpan.FromSeconds(45), host.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
    }

    [Fact]
    public async Task Unset_it_is_thirty_seconds()
    {
        await using var host = new SiloHost();
        host.CreateClient().Dispose();
        Assert.Equal(TimeSpan.FromSeconds(30), host.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), new ShutdownOptions().Timeout);
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("02:00:00")]
    public async Task A_timeout_out_of_range_stops_the_start_naming_the_key(string value)
    {
        await using var host = new SiloHost().With("Minsheng:Shutdown:Timeout", value);
        var failure = Record.Exception(() => host.CreateClient());
        Assert.NotNull(failure);
        Assert.Contains($"Minsheng:Shutdown:Timeout must be positive and at most 01:00:00, not {TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture)}",
            failure.ToString(), StringComparison.Ordinal);
    }
}
