using Microsoft.Extensions.DependencyInjection;
using Minsheng.Silo.Tests.Infrastructure;

namespace Minsheng.Silo.Tests;

/// <summary>The Orleans dashboard at <c>/dashboard</c>: for the office only, like the other operator actions.</summary>
public sealed class DashboardTests(DashboardTests.Host host) : IClassFixture<DashboardTests.Host>
{
    public sealed class Host : SiloHost;

    [Theory]
    [InlineData(null, 401)]
    [InlineData("viewer", 403)]
    [InlineData("street:tianshui", 403)]
    [InlineData("office", 200)]
    public async Task The_dashboard_page_is_served_to_the_office_only(string? role, int expected)
    {
        using var response = await host.As(role).GetAsync("/dashboard/");
        Assert.Equal(expected, (int)response.StatusCode);
        if (expected == 200) Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        else Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_dashboards_data_needs_the_office_too()
    {
        var endpoints = host.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints
            .OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/dashboard", StringComparison.Ordinal) == true)
            .ToList();
        Assert.NotEmpty(endpoints);
        Assert.All(endpoints, e => Assert.Contains(e.Metadata.GetOrderedMetadata<Microsoft.AspNetCore.Authorization.AuthorizationPolicy>(),
            p => p.Requirements.OfType<Microsoft.AspNetCore.Authorization.Infrastructure.RolesAuthorizationRequirement>()
                .Any(r => r.AllowedRoles.SequenceEqual(["office"]))));
    }
}
