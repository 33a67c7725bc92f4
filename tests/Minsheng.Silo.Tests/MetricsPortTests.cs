using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Minsheng.Silo.Tests.Infrastructure;

namespace Minsheng.Silo.Tests;

/// <summary>
/// The metrics port on a real process (real sockets, so the port a request arrives on is real): it answers
/// <c>/metrics</c> and nothing else, the API port never answers <c>/metrics</c> whatever the Host header says, and the
/// port binds to loopback unless configured otherwise.
/// </summary>
public sealed class MetricsPortTests
{
    private static readonly string[] NotOnTheMetricsPort =
    [
        "/", "/index.html", "/favicon.ico", "/js/main.js", "/openapi/v1.json", "/docs", "/dashboard/", "/health/live", "/health/ready",
        "/api/v1/plans", "/api/v1/plans/gongshu-2024/rollup", "/api/v1/plans/gongshu-2024/exports/breakdown?format=csv",
        "/api/v1/plans/gongshu-2024/events", "/metrics/extra",
    ];

    private static SiloProcess InMemory(params (string Key, string Value)[] settings)
    {
        var extra = new Dictionary<string, string> { ["Minsheng:Storage"] = "Memory" };
        foreach (var (k, v) in settings) extra[k] = v;
        return TestSilos.Process("", extra);
    }

    [Fact]
    public async Task The_metrics_port_answers_the_scrape_only_and_the_api_port_never_does()
    {
        await using var silo = InMemory();
        await silo.Start();
        using var office = silo.As("office");
        var metrics = new Uri($"http://127.0.0.1:{silo.MetricsPort}");

        using (var scrape = await office.GetAsync(new Uri(metrics, "/metrics")))
        {
            Assert.Equal(200, (int)scrape.StatusCode);
            Assert.Contains("minsheng_", await scrape.Content.ReadAsStringAsync());
        }
        using (var anonymous = new HttpClient())
        using (var scrape = await anonymous.GetAsync(new Uri(metrics, "/metrics")))
            Assert.Equal(200, (int)scrape.StatusCode);

        foreach (var path in NotOnTheMetricsPort)
        {
            // With the office's token, which everything on the API port would accept.
            using var response = await office.GetAsync(new Uri(metrics, path), HttpCompletionOption.ResponseHeadersRead);
            Assert.True(404 == (int)response.StatusCode, $"{path} on the metrics port answered {(int)response.StatusCode}");
        }
        using (var post = await office.PostAsync(new Uri(metrics, "/api/v1/plans/gongshu-2024/reports"), new StringContent("{}")))
            Assert.Equal(404, (int)post.StatusCode);

        // The API port: /metrics is 404 with or without a token, and a Host header naming the metrics port changes nothing.
        using (var anonymous = new HttpClient { BaseAddress = silo.BaseAddress })
        {
            foreach (var host in new[] { null, $"anything:{silo.MetricsPort}", $"127.0.0.1:{silo.MetricsPort}", $"localhost:{silo.MetricsPort}" })
            {
                foreach (var client in new[] { anonymous, office })
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(silo.BaseAddress, "/metrics"));
                    if (host is not null) request.Headers.Host = host;
                    using var response = await client.SendAsync(request);
                    var body = await response.Content.ReadAsStringAsync();
                    Assert.True(404 == (int)response.StatusCode, $"/metrics on the API port with Host {host ?? "(default)"} answered {(int)response.StatusCode}");
                    Assert.DoesNotContain("minsheng_", body);
                }
            }
        }
        // The API itself still answers on its own port.
        using (var plans = await office.GetAsync("/api/v1/plans")) Assert.Equal(200, (int)plans.StatusCode);
    }

    [Theory]
    [InlineData(null, "127.0.0.1")]
    [InlineData("0.0.0.0", "0.0.0.0")]
    public async Task The_metrics_port_binds_to_loopback_unless_configured(string? configured, string expected)
    {
        await using var silo = configured is null ? InMemory() : InMemory(("Minsheng:Metrics:Address", configured));
        await silo.Start();
        var listeners = ListeningAddresses(silo.MetricsPort);
        Assert.Equal([IPAddress.Parse(expected)], listeners);
    }

    [Fact]
    public async Task An_address_that_is_no_address_stops_the_host_naming_the_key()
    {
        await using var silo = InMemory(("Minsheng:Metrics:Address", "metrics.example"));
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => silo.Start(TimeSpan.FromSeconds(30)));
        Assert.Contains("Minsheng:Metrics:Address", failure.Message);
    }

    /// <summary>The local addresses of the TCP sockets listening on <paramref name="port"/>, from the kernel's own tables.</summary>
    private static List<IPAddress> ListeningAddresses(int port)
    {
        var found = new List<IPAddress>();
        foreach (var (file, family) in new[] { ("/proc/net/tcp", AddressFamily.InterNetwork), ("/proc/net/tcp6", AddressFamily.InterNetworkV6) })
        {
            if (!File.Exists(file)) continue;
            foreach (var line in File.ReadLines(file).Skip(1))
            {
                var columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (columns.Length < 4 || columns[3] != "0A") continue; // 0A: LISTEN
                var local = columns[1].Split(':');
                if (int.Parse(local[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture) != port) continue;
                found.Add(Parse(local[0], family));
            }
        }
        return found;
    }

    /// <summary>/proc/net/tcp writes an address as 32-bit words in host (little-endian) order.</summary>
    private static IPAddress Parse(string hex, AddressFamily family)
    {
        var bytes = Convert.FromHexString(hex);
        for (var word = 0; word < bytes.Length; word += 4) Array.Reverse(bytes, word, 4);
        var address = new IPAddress(bytes);
        return family == AddressFamily.InterNetworkV6 && address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
    }
}
