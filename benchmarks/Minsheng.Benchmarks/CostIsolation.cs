using System.Net;

namespace Minsheng.Benchmarks;

/// <summary>What the cost limits protect: authenticated reads idle, then with anonymous and export load beside them.</summary>
internal sealed record IsolationResult(PhaseResult Idle, PhaseResult Loaded, PhaseResult Anonymous, PhaseResult Exports)
{
    public double P99Ratio => Loaded.PercentileMs(99) / Idle.PercentileMs(99);

    public long AnonymousServed => Anonymous.Ok - AnonymousRefused;

    public long AnonymousRefused { get; init; }

    public long ExportsServed => Exports.Ok - ExportsRefused;

    public long ExportsRefused { get; init; }
}

/// <summary>
/// Issue 16, item 4: authenticated reads (a street's view, <see cref="Readers"/> workers with a viewer token) measured
/// alone, then while <see cref="AnonymousClients"/> clients without a token ask for the API document as fast as they can
/// and <see cref="ExportCallers"/> callers (one token each) download the breakdown as xlsx. Each group has its own
/// connections. The anonymous budget and the export gate answer 429 past their limits; those count as answered.
/// </summary>
internal static class CostIsolation
{
    public const int Readers = 4;
    public const int AnonymousClients = 8;
    public const int ExportCallers = 4;

    public static async Task<IsolationResult> RunAsync(Uri baseAddress, string planId, Func<string, string> bearer, BenchOptions options)
    {
        using var readers = Client(baseAddress, Readers);
        using var anonymous = Client(baseAddress, AnonymousClients);
        using var exporters = Client(baseAddress, ExportCallers);
        var read = new GetWorkload($"api/v1/plans/{planId}/streets/tianshui", bearer("viewer"));
        var readRunner = new LoadRunner(readers, Readers);

        await readRunner.RunAsync("warm-up", read, options.WarmUp, options.MaxRequests);
        var idle = await readRunner.RunAsync("GET street, idle", read, options.PhaseLength, options.MaxRequests);

        var document = new Answered("openapi/v1.json", _ => null);
        string[] roles = ["office", "viewer", "street:tianshui", "department:health"];
        var exports = new Answered($"api/v1/plans/{planId}/exports/breakdown?format=xlsx", w => bearer(roles[w % roles.Length]));
        var anonymousRun = new LoadRunner(anonymous, AnonymousClients).RunAsync("GET /openapi/v1.json, anonymous", document, options.PhaseLength, options.MaxRequests);
        var exportRun = new LoadRunner(exporters, ExportCallers).RunAsync("GET breakdown.xlsx", exports, options.PhaseLength, options.MaxRequests);
        var loaded = await readRunner.RunAsync("GET street, beside anonymous and export load", read, options.PhaseLength, options.MaxRequests);
        var anonymousResult = await anonymousRun;
        var exportResult = await exportRun;
        return new IsolationResult(idle, loaded, anonymousResult, exportResult)
        {
            AnonymousRefused = document.Refused,
            ExportsRefused = exports.Refused,
        };
    }

    private static HttpClient Client(Uri baseAddress, int connections) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = connections, UseProxy = false, UseCookies = false, AllowAutoRedirect = false })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };

    /// <summary>A GET whose 200 and 429 both count as answered; 429s are counted apart.</summary>
    private sealed class Answered(string path, Func<int, string?> bearer) : IWorkload
    {
        private long _refused;

        public long Refused => Interlocked.Read(ref _refused);

        public HttpRequestMessage? Next(int worker)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (bearer(worker) is { } b) request.Headers.TryAddWithoutValidation("Authorization", b);
            return request;
        }

        public bool Complete(int worker, HttpStatusCode status, byte[] body)
        {
            if (status == HttpStatusCode.TooManyRequests) Interlocked.Increment(ref _refused);
            return status is HttpStatusCode.OK or HttpStatusCode.TooManyRequests;
        }
    }
}
