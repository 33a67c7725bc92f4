using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Minsheng.Silo.Tests.Infrastructure;
using Orleans.Configuration;

namespace Minsheng.Silo.Tests;

/// <summary><c>Minsheng:Cluster:SiloName</c> names the silo (Kubernetes gives it the pod's name from the downward API).</summary>
public sealed class SiloNameTests
{
    [Fact]
    public async Task The_configured_name_is_the_silos()
    {
        await using var host = new SiloHost().With("Minsheng:Cluster:SiloName", " minsheng-silo-7d9f-abcde ");
        host.CreateClient().Dispose();
        Assert.Equal("minsheng-silo-7d9f-abcde", host.Services.GetRequiredService<IOptions<SiloOptions>>().Value.SiloName);
    }
}
