using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Minsheng.Silo.OpenApi;
using Minsheng.Silo.Tests.Infrastructure;

namespace Minsheng.Silo.Tests.OpenApi;

/// <summary>
/// <c>/openapi/v1.json</c> is generated once per process, not per request: concurrent and later requests get the same
/// bytes and ETag, the generator runs once, and a client that sends the ETag back gets 304 without a body.
/// </summary>
public sealed class OpenApiDocumentCacheTests(OpenApiDocumentCacheTests.Host host) : IClassFixture<OpenApiDocumentCacheTests.Host>
{
    public sealed class Host : SiloHost;

    [Fact]
    public async Task The_document_is_built_once_and_every_request_gets_the_same_bytes()
    {
        var cache = host.Services.GetRequiredService<OpenApiDocumentCache>();
        var client = host.CreateClient();
        var first = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Read(client, null)));
        var later = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Read(client, null)));
        var all = first.Concat(later).ToList();
        Assert.All(all, r => Assert.Equal(200, r.Status));
        Assert.All(all, r => Assert.Equal(all[0].Body, r.Body));
        Assert.All(all, r => Assert.Equal(all[0].ETag, r.ETag));
        Assert.True(all[0].Body.Length > 50_000, $"only {all[0].Body.Length} bytes");
        Assert.Equal(1, cache.Builds);

        var etag = all[0].ETag!;
        var notModified = await Read(client, etag);
        Assert.Equal(304, notModified.Status);
        Assert.Empty(notModified.Body);
        Assert.Equal(etag, notModified.ETag);
        Assert.Equal(304, (await Read(client, "W/" + etag)).Status);
        Assert.Equal(304, (await Read(client, "\"other\", " + etag)).Status);
        Assert.Equal(200, (await Read(client, "\"other\"")).Status);
        Assert.Equal(1, cache.Builds);
    }

    private static async Task<(int Status, byte[] Body, string? ETag)> Read(HttpClient client, string? ifNoneMatch)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/openapi/v1.json");
        if (ifNoneMatch is not null) request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        using var response = await client.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsByteArrayAsync(), response.Headers.ETag?.ToString());
    }
}
