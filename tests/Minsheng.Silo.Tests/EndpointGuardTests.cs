using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Minsheng.Silo.Api;
using Minsheng.Silo.Tests.Infrastructure;

namespace Minsheng.Silo.Tests;

/// <summary>
/// Walks every endpoint the host maps, so one added later cannot forget authentication: without a token each answers
/// 401 with a problem in Chinese, except the deliberate anonymous ones (<see cref="Anonymous"/>); every answer carries
/// the security headers.
/// </summary>
public sealed partial class EndpointGuardTests(EndpointGuardTests.Host host) : IClassFixture<EndpointGuardTests.Host>
{
    public sealed class Host : SiloHost;

    /// <summary>
    /// The endpoints that need no token, on purpose: the health probes, the OpenAPI document (the contract is public,
    /// the data behind it is not) and its interactive reference with its assets. Each maps a pattern to a path to probe.
    /// </summary>
    private static readonly Dictionary<string, string> Anonymous = new()
    {
        ["/health/live"] = "/health/live",
        ["/health/ready"] = "/health/ready",
        ["/openapi/v1.json"] = "/openapi/v1.json",
        ["/docs"] = "/docs",
        ["/docs/x"] = "/docs/scalar.js",
        ["/docs/scalar.js"] = "/docs/scalar.js",
        ["/docs/scalar.aspnetcore.js"] = "/docs/scalar.aspnetcore.js",
        ["/docs/favicon.svg"] = "/docs/favicon.svg",
    };

    [Fact]
    public async Task Every_endpoint_but_the_anonymous_ones_refuses_a_request_without_a_token()
    {
        var endpoints = host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(method => (Method: method, Path: "/" + Parameter().Replace(e.RoutePattern.RawText!.TrimStart('/'), "x"))))
            .Distinct()
            .ToList();
        Assert.True(endpoints.Count >= 20, $"only {endpoints.Count} endpoints found");

        var anonymous = host.CreateClient();
        foreach (var (method, path) in endpoints)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), Anonymous.GetValueOrDefault(path, path));
            if (method is "POST" or "PUT") request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
            using var response = await anonymous.SendAsync(request);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            if (path == "/metrics")
            {
                // Served only on the metrics port (MetricsPortTests); on the API port it is not found, token or not.
                Assert.Equal(404, (int)response.StatusCode);
                continue;
            }
            if (Anonymous.ContainsKey(path))
            {
                Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode}");
                continue;
            }
            Assert.False(path.StartsWith("/docs", StringComparison.Ordinal) || path.StartsWith("/openapi", StringComparison.Ordinal),
                $"{method} {path}: an endpoint under /docs or /openapi that is not a deliberate exception (add it to Anonymous if it should be)");
            Assert.True((int)response.StatusCode == 401, $"{method} {path} answered {(int)response.StatusCode} without a token");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("令牌", await response.Content.ReadAsStringAsync());
        }
    }

    /// <summary>
    /// The deliberate exception besides health: the battle-map page and its files (static, from wwwroot, served before
    /// authorization) need no token, carry the security headers, and open no path beyond wwwroot's files.
    /// </summary>
    [Theory]
    [InlineData("/", "text/html")]
    [InlineData("/index.html", "text/html")]
    [InlineData("/js/main.js", "text/javascript")]
    [InlineData("/css/battle-map.css", "text/css")]
    public async Task The_page_and_its_files_are_served_without_a_token(string path, string mediaType)
    {
        using var response = await host.CreateClient().GetAsync(path);
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.StartsWith("default-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Theory]
    [InlineData("/no-such-page.html")]
    [InlineData("/js/../appsettings.json")]
    [InlineData("/api/v1/plans")]
    public async Task Paths_that_are_not_the_page_files_still_need_a_token(string path)
    {
        using var response = await host.CreateClient().GetAsync(path);
        Assert.Equal(401, (int)response.StatusCode);
    }

    /// <summary>
    /// The reference page is served by the host, not a CDN: its scripts are same-origin files, and only /docs relaxes
    /// the Content-Security-Policy (inline module script and styles), keeping default-src 'self'.
    /// </summary>
    [Fact]
    public async Task The_API_reference_is_served_locally_under_its_own_content_security_policy()
    {
        var client = host.CreateClient();
        using var page = await client.GetAsync("/docs/");
        Assert.Equal(200, (int)page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        var scripts = ScriptSource().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(scripts);
        Assert.All(scripts, src => Assert.DoesNotContain("//", src));
        Assert.DoesNotContain("https://", html);
        var policy = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.StartsWith("default-src 'self'", policy);
        Assert.Contains("script-src 'self' 'unsafe-inline'", policy);
        foreach (var src in scripts)
        {
            using var asset = await client.GetAsync("/docs/" + src);
            Assert.Equal(200, (int)asset.StatusCode);
        }
        using var api = await client.GetAsync("/health/live");
        Assert.Equal(SecurityHeaders.ContentSecurityPolicy, api.Headers.GetValues("Content-Security-Policy").Single());
    }

    [GeneratedRegex("<script[^>]*src=\"([^\"]+)\"")]
    private static partial Regex ScriptSource();

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Parameter();
}
