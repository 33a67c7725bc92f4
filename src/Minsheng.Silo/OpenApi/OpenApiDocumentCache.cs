using System.Security.Cryptography;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Minsheng.Silo.OpenApi;

/// <summary>
/// The served OpenAPI document, built once per process: generating it walks every endpoint and type and costs tens
/// of milliseconds of CPU, and it cannot change while the process runs (endpoints and transformers are fixed at
/// start). The first request builds it (concurrent first requests share that one build); every later request gets the
/// same bytes and ETag. A failed build is not kept: the next request tries again.
/// </summary>
public sealed class OpenApiDocumentCache
{
    private readonly IServiceProvider _services;
    private readonly Lock _gate = new();
    private Task<CachedDocument>? _document;
    private int _builds;

    public OpenApiDocumentCache(IServiceProvider services) => _services = services;

    /// <summary>How many times the document was generated: 1 after any number of successful requests.</summary>
    public int Builds => Volatile.Read(ref _builds);

    /// <summary>The document as JSON bytes with its ETag.</summary>
    public Task<CachedDocument> Get()
    {
        lock (_gate)
        {
            if (_document is null || _document.IsFaulted || _document.IsCanceled) _document = Build();
            return _document;
        }
    }

    private async Task<CachedDocument> Build()
    {
        Interlocked.Increment(ref _builds);
        // Leave Get's lock at once: the generation itself runs outside it, and every caller awaits the same task.
        await Task.Yield();
        var provider = _services.GetRequiredKeyedService<IOpenApiDocumentProvider>(OpenApiSetup.DocumentName);
        var document = await provider.GetOpenApiDocumentAsync(CancellationToken.None);
        using var stream = new MemoryStream();
        await document.SerializeAsJsonAsync(stream, OpenApiSpecVersion.OpenApi3_1, CancellationToken.None);
        var bytes = stream.ToArray();
        var etag = "\"" + Convert.ToBase64String(SHA256.HashData(bytes).AsSpan(0, 18)).Replace('+', '-').Replace('/', '_') + "\"";
        return new CachedDocument(bytes, etag);
    }
}

/// <summary>The document's bytes (UTF-8 JSON) and their entity tag.</summary>
public sealed record CachedDocument(byte[] Bytes, string ETag);
