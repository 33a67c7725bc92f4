using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Minsheng.Grains.Audit;
using Minsheng.Silo.Tests.Infrastructure;

namespace Minsheng.Silo.Tests;

/// <summary>What a caller sees when the service itself fails: a Chinese problem without internals, with every security header.</summary>
public sealed class ErrorAnswersTests
{
    /// <summary>A host whose audit log fails every write: any write the service is asked to record ends in a 500.</summary>
    private sealed class FailingAuditHost : SiloHost
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<IAuditLog, FailingAuditLog>());
        }
    }

    private sealed class FailingAuditLog : IAuditLog
    {
        public Task Append(AuditEntry entry, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("audit storage is down (test)");
    }

    [Fact]
    public async Task A_500_is_a_Chinese_problem_with_the_security_headers_and_no_internals()
    {
        await using var host = new FailingAuditHost();
        using var response = await host.As("office").PostAsync("/api/v1/plans/gongshu-2024/cases",
            new StringContent("""{"taskId":"4.2","unitId":"wulin","reason":"进度滞后"}""", System.Text.Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(500, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("服务器内部错误", JsonNode.Parse(text)!["title"]!.GetValue<string>());
        Assert.DoesNotContain("InvalidOperationException", text);
        Assert.DoesNotContain("audit storage", text);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.True(response.Headers.Contains("Content-Security-Policy"));
    }
}
