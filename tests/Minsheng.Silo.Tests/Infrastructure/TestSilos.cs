using System.Net.Http.Headers;
using System.Text;
using Minsheng.Silo.Api;

namespace Minsheng.Silo.Tests.Infrastructure;

/// <summary>
/// The silo processes of these tests: <see cref="SiloProcess"/> (Minsheng.Testing) with the test plans, the test
/// signing key, PostgreSQL storage, no rate limit, and the settle endpoint on, so a test can await the settled signal.
/// </summary>
public static class TestSilos
{
    /// <param name="extra">Settings added to, or replacing, the defaults below.</param>
    /// <param name="omit">Default settings not to pass at all, so the silo falls back to its own defaults for them.</param>
    /// <param name="environment">Environment variables of the process (e.g. a fresh HOME).</param>
    public static SiloProcess Process(string connectionString, IReadOnlyDictionary<string, string>? extra = null,
        IReadOnlyCollection<string>? omit = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["Minsheng:Storage"] = "Postgres",
            ["ConnectionStrings:Minsheng"] = connectionString,
            ["Minsheng:Seeds"] = RepoPaths.Seeds,
            ["Minsheng:Auth:SigningKey"] = Encoding.UTF8.GetString(SiloHost.SigningKey),
            ["Minsheng:RateLimit:PermitsPerSecond"] = "100000",
            ["Minsheng:RateLimit:Burst"] = "100000",
            [AdminApi.SettleEndpointSetting] = "true",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string>()) settings[k] = v;
        foreach (var k in omit ?? []) settings.Remove(k);
        return new SiloProcess(RepoPaths.SiloDll, settings, environment?.ToDictionary(e => e.Key, e => (string?)e.Value));
    }

    /// <summary>An HTTP client of the silo that sends a bearer token for <paramref name="role"/>.</summary>
    public static HttpClient As(this SiloProcess silo, string role)
    {
        var client = new HttpClient { BaseAddress = silo.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SiloHost.Token(role));
        return client;
    }

    /// <summary>The settled signal over HTTP: returns once everything accepted before has reached the plan's rollups.</summary>
    public static async Task Settle(this SiloProcess silo, string planId = "gongshu-2024")
    {
        using var office = silo.As("office");
        using var response = await office.PostAsync($"/api/v1/admin/settle?planId={Uri.EscapeDataString(planId)}", null);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"Settling {planId} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}
