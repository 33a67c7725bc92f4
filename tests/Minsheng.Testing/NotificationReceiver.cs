using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Minsheng.Testing;

/// <summary>
/// A local HTTP endpoint for notification deliveries (webhooks and DingTalk robots alike), on 127.0.0.1: it records
/// every request (method, path and query, headers, body, arrival) and answers <c>{"errcode":0,"errmsg":"ok"}</c> with
/// 200, unless told to fail the next requests (<see cref="FailNext"/>: 500, DingTalk's "send too fast", a redirect, or
/// no answer at all). Deliveries count once per <c>Idempotency-Key</c> (<see cref="Effective"/>), so a test can wait
/// for what a receiver would act on however often it was retried.
/// </summary>
public sealed class NotificationReceiver : IAsyncDisposable
{
    /// <summary>What a success answers: DingTalk's "taken" (a webhook sender reads only the status).</summary>
    public const string OkAnswer = """{"errcode":0,"errmsg":"ok"}""";

    /// <summary>DingTalk's rate-limit answer, sent with 200.</summary>
    public const string TooFastAnswer = """{"errcode":130101,"errmsg":"send too fast"}""";

    private readonly Lock _gate = new();
    private readonly List<ReceivedRequest> _requests = [];
    private readonly HashSet<string> _deliveredKeys = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Queue<ReceiverFailure> _failures = new();
    private ReceiverFailure? _failEverything;
    private WebApplication? _app;

    private NotificationReceiver() { }

    /// <summary>The port it listens on (127.0.0.1).</summary>
    public int Port { get; private set; }

    /// <summary><c>http://127.0.0.1:{port}/</c>.</summary>
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    /// <summary>An endpoint URL on this receiver, e.g. <c>Url("hooks/a")</c> or <c>Url("robot/send?access_token=t")</c>.</summary>
    public Uri Url(string pathAndQuery = "hook") => new(BaseAddress, pathAndQuery.TrimStart('/'));

    /// <summary>Starts listening on 127.0.0.1, on <paramref name="port"/> or (0) one the system picks.</summary>
    public static async Task<NotificationReceiver> StartAsync(int port = 0)
    {
        var receiver = new NotificationReceiver();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        app.Run(receiver.Handle);
        await app.StartAsync();
        receiver._app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        receiver.Port = new Uri(address).Port;
        return receiver;
    }

    /// <summary>Fails the next <paramref name="count"/> requests <paramref name="how"/>; the ones after them succeed again.</summary>
    public void FailNext(int count, ReceiverFailure how = ReceiverFailure.ServerError)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_gate) for (var i = 0; i < count; i++) _failures.Enqueue(how);
    }

    /// <summary>Fails every request <paramref name="how"/> from now on, until <see cref="Heal"/>.</summary>
    public void FailAll(ReceiverFailure how = ReceiverFailure.ServerError)
    {
        lock (_gate) _failEverything = how;
    }

    /// <summary>Answers every request with success again (failures still queued are dropped; hanging requests stay hung).</summary>
    public void Heal()
    {
        lock (_gate)
        {
            _failures.Clear();
            _failEverything = null;
        }
    }

    /// <summary>Every request so far, in the order they arrived.</summary>
    public IReadOnlyList<ReceivedRequest> Requests
    {
        get { lock (_gate) return [.. _requests]; }
    }

    /// <summary>The deliveries that count: the first successful request of each <c>Idempotency-Key</c>.</summary>
    public IReadOnlyList<ReceivedRequest> Effective
    {
        get { lock (_gate) return [.. _requests.Where(r => r.Effective)]; }
    }

    /// <summary>How many deliveries count so far.</summary>
    public int EffectiveCount => Effective.Count;

    /// <summary>Waits until at least <paramref name="count"/> deliveries count; returns them. Throws on timeout, naming what arrived.</summary>
    public Task<IReadOnlyList<ReceivedRequest>> WaitForEffective(int count, TimeSpan? timeout = null) =>
        Poll.Until(() => Task.FromResult(Effective), e => e.Count >= count,
            $"{count} effective deliveries at {BaseAddress} (requests so far: {Describe()})", timeout);

    /// <summary>Waits until at least <paramref name="count"/> requests arrived (answered or not); returns them.</summary>
    public Task<IReadOnlyList<ReceivedRequest>> WaitForRequests(int count, TimeSpan? timeout = null) =>
        Poll.Until(() => Task.FromResult(Requests), r => r.Count >= count, $"{count} requests at {BaseAddress}", timeout);

    private string Describe() =>
        string.Join("; ", Requests.Select(r => $"#{r.Number} {r.Method} {r.Path} key={r.IdempotencyKey ?? "-"} answer={r.Answer?.ToString() ?? "none"}"));

    private async Task Handle(HttpContext context)
    {
        var at = DateTimeOffset.UtcNow;
        var request = context.Request;
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, context.RequestAborted);
        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        ReceiverFailure? failure;
        int index;
        lock (_gate)
        {
            failure = _failEverything ?? (_failures.TryDequeue(out var next) ? next : null);
            index = _requests.Count;
            _requests.Add(new ReceivedRequest(index + 1, request.Method, request.Path + request.QueryString, headers, body.ToArray(), at, null, false));
        }
        switch (failure)
        {
            case ReceiverFailure.Hang:
                using (var held = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token))
                    await Task.Delay(Timeout.Infinite, held.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            case ReceiverFailure.ServerError:
                await Answer(context, index, 500, """{"error":"failing as told"}""", effective: false);
                return;
            case ReceiverFailure.DingTalkTooFast:
                await Answer(context, index, 200, TooFastAnswer, effective: false);
                return;
            case ReceiverFailure.Redirect:
                context.Response.Headers.Location = new Uri(BaseAddress, "redirected").ToString();
                await Answer(context, index, 302, "", effective: false);
                return;
            default:
                await Answer(context, index, 200, OkAnswer, effective: true);
                return;
        }
    }

    private async Task Answer(HttpContext context, int index, int status, string json, bool effective)
    {
        lock (_gate)
        {
            var received = _requests[index];
            var counts = effective && (received.IdempotencyKey is not { } key || _deliveredKeys.Add(key));
            _requests[index] = received with { Answer = status, Effective = counts };
        }
        context.Response.StatusCode = status;
        if (json.Length == 0) return;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(json);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_app is not null)
        {
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _app.StopAsync(bound.Token);
            await _app.DisposeAsync();
        }
        _stopping.Dispose();
    }
}
