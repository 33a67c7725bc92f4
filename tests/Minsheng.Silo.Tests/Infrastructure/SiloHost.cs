using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Minsheng.Hosting.Auth;

namespace Minsheng.Silo.Tests.Infrastructure;

/// <summary>
/// One real silo with its HTTP API in the test process, on in-memory storage, its own cluster ports and a test
/// signing key. Each test class that changes state gets its own host, so tests never see each other's reports.
/// </summary>
public class SiloHost : WebApplicationFactory<Program>
{
    public static readonly byte[] SigningKey = Encoding.UTF8.GetBytes("test-signing-key-0123456789-abcdefghijklmnop");

    private readonly Dictionary<string, string?> _settings = ClusterSettings(Ports.Distinct(2));

    private static Dictionary<string, string?> ClusterSettings(int[] ports) => new()
    {
        ["Minsheng:Auth:SigningKey"] = Encoding.UTF8.GetString(SigningKey),
        ["Minsheng:Cluster:SiloPort"] = ports[0].ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Minsheng:Cluster:GatewayPort"] = ports[1].ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Logging:LogLevel:Default"] = "Warning",
    };

    /// <summary>Adds or overrides a configuration value before the host starts.</summary>
    public SiloHost With(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
    }

    /// <summary>The seed plan's district, which unit tokens name unless a test says otherwise.</summary>
    public const string District = "gongshu";

    /// <summary>A token for <paramref name="role"/>; a unit role names <paramref name="district"/> (by default the seed's, <see cref="District"/>).</summary>
    public static string Token(string role, TimeSpan? lifetime = null, DateTimeOffset? now = null, string? person = null, string? district = null) =>
        TokenIssuer.Issue(SigningKey, role, lifetime ?? TimeSpan.FromHours(1), now ?? DateTimeOffset.UtcNow, person,
            district ?? (Caller.IsUnitRole(role, out _, out _) ? District : null));

    /// <summary>The settled signal through the host's grain factory: returns once everything accepted for the plan has reached its rollups.</summary>
    public Task Settle(string planId = "gongshu-2024") =>
        Services.GetRequiredService<Orleans.IGrainFactory>().GetGrain<Minsheng.Grains.IPlanSettlerGrain>(planId).Settle();

    /// <summary>An HTTP client that sends a bearer token for <paramref name="role"/> (none when null).</summary>
    public HttpClient As(string? role)
    {
        var client = CreateClient();
        if (role is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(role));
        return client;
    }
}
