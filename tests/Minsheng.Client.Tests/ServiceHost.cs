using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;
using Minsheng.Client;
using Minsheng.Hosting.Auth;

namespace Minsheng.Client.Tests;

/// <summary>
/// The real service in the test process (in-memory storage, its own cluster ports, a test signing key, the simulated
/// business clock), and clients generated from docs/openapi.v1.json that talk to it as a given role.
/// </summary>
public sealed class ServiceHost : WebApplicationFactory<Program>
{
    private static readonly byte[] SigningKey = Encoding.UTF8.GetBytes("client-test-signing-key-0123456789-abcdefghij");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Minsheng:Auth:SigningKey", Encoding.UTF8.GetString(SigningKey));
        builder.UseSetting("Minsheng:Cluster:SiloPort", Ports.Free().ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Minsheng:Cluster:GatewayPort", Ports.Free().ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Minsheng:Clock:Mode", "Simulated");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
    }

    /// <summary>
    /// The generated client, signed in as <paramref name="role"/>: Kiota's own request adapter over the host's
    /// in-memory HttpClient, whose base address stands in for the document's server.
    /// </summary>
    public MinshengClient As(string role)
    {
        var http = CreateClient();
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer",
            TokenIssuer.Issue(SigningKey, role, TimeSpan.FromHours(1), DateTimeOffset.UtcNow, person: "接口测试",
                district: Caller.IsUnitRole(role, out _, out _) ? "gongshu" : null));
        var adapter = new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: http)
        {
            BaseUrl = http.BaseAddress!.ToString().TrimEnd('/'),
        };
        return new MinshengClient(adapter);
    }
}
