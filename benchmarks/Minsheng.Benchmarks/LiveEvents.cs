using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Minsheng.Benchmarks;

/// <summary>
/// One open <c>GET /api/v1/plans/{planId}/events</c> stream, read on its own task. Each event's arrival is stamped
/// with <see cref="Stopwatch.GetTimestamp"/> when its closing blank line is read; <c>progress</c> events whose
/// reportId carries <see cref="ReportPrefix"/> are kept by reportId, every other kind only counted.
/// </summary>
internal sealed class LiveEventStream : IAsyncDisposable
{
    private readonly HttpClient _client;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, long> _progress = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _kinds = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource<string> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _reader = Task.CompletedTask;

    private LiveEventStream(HttpClient client, string reportPrefix)
    {
        _client = client;
        ReportPrefix = reportPrefix;
    }

    /// <summary>Only progress events of reports whose id starts with this are kept.</summary>
    public string ReportPrefix { get; }

    /// <summary>The first event's kind (the stream promises <c>snapshot</c>).</summary>
    public string FirstKind { get; private set; } = "";

    /// <summary>From sending the GET to reading the whole first event.</summary>
    public TimeSpan FirstEventLatency { get; private set; }

    /// <summary>Why the stream ended early, if it did.</summary>
    public string? Error { get; private set; }

    public bool Ended => _reader.IsCompleted;

    /// <summary>Events read so far, by kind (snapshot, progress, status, case, …).</summary>
    public string KindsText => string.Join(", ", _kinds.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key}×{k.Value:#,0}"));

    /// <summary>When the progress event of <paramref name="reportId"/> was read, if it was.</summary>
    public bool TryGetProgress(string reportId, out long timestamp) => _progress.TryGetValue(reportId, out timestamp);

    /// <summary>Opens the stream (viewer token, headers only) and waits for its first event.</summary>
    public static async Task<LiveEventStream> OpenAsync(Uri baseAddress, string path, string bearer, string reportPrefix, TimeSpan timeout)
    {
        var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, UseCookies = false })
        {
            BaseAddress = baseAddress,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        var stream = new LiveEventStream(client, reportPrefix);
        try
        {
            await stream.StartAsync(path, bearer, timeout);
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }
        return stream;
    }

    private async Task StartAsync(string path, string bearer, TimeSpan timeout)
    {
        var sent = Stopwatch.GetTimestamp();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Authorization", bearer);
        request.Headers.TryAddWithoutValidation("Accept", "text/event-stream");
        using var headers = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        headers.CancelAfter(timeout);
        var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, headers.Token);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            var body = await response.Content.ReadAsStringAsync(headers.Token);
            response.Dispose();
            throw new InvalidOperationException($"GET {path}: HTTP {(int)response.StatusCode} {body}");
        }
        _reader = Task.Run(() => ReadAsync(response));
        FirstKind = await _first.Task.WaitAsync(timeout);
        FirstEventLatency = Stopwatch.GetElapsedTime(sent);
    }

    private async Task ReadAsync(HttpResponseMessage response)
    {
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(_stop.Token);
            using var reader = new StreamReader(body, Encoding.UTF8);
            string? kind = null;
            var data = new StringBuilder();
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                if (line.Length == 0)
                {
                    if (kind is not null || data.Length > 0) Dispatch(kind ?? "message", data.ToString(), Stopwatch.GetTimestamp());
                    kind = null;
                    data.Clear();
                }
                else if (line[0] == ':')
                {
                    // A comment (heartbeat).
                }
                else if (line.StartsWith("event:", StringComparison.Ordinal))
                {
                    kind = line["event:".Length..].Trim();
                }
                else if (line.StartsWith("data:", StringComparison.Ordinal))
                {
                    var value = line["data:".Length..];
                    if (data.Length > 0) data.Append('\n');
                    data.Append(value.StartsWith(' ') ? value[1..] : value);
                }
            }
            Error ??= "the server closed the stream";
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Disposed.
        }
        catch (Exception e) when (e is HttpRequestException or IOException or JsonException)
        {
            Error = $"{e.GetType().Name}: {e.Message}";
        }
        finally
        {
            response.Dispose();
            _first.TrySetException(new InvalidOperationException($"The event stream ended before its first event: {Error}"));
        }
    }

    private void Dispatch(string kind, string data, long at)
    {
        _kinds.AddOrUpdate(kind, 1, (_, n) => n + 1);
        _first.TrySetResult(kind);
        if (kind != "progress") return;
        using var doc = JsonDocument.Parse(data);
        if (doc.RootElement.TryGetProperty("reportId", out var id) && id.GetString() is { } reportId
            && reportId.StartsWith(ReportPrefix, StringComparison.Ordinal))
            _progress.TryAdd(reportId, at);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _reader;
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
        _client.Dispose();
        _stop.Dispose();
    }
}

/// <summary>One sub-phase of the live-event measurement.</summary>
internal sealed record LiveLatencyResult(
    string Name, int Posters, long Accepted, IReadOnlyDictionary<string, long> Failures, TimeSpan Elapsed,
    long[] LatencyTicks, long[] SignedTicks, long Missed, long BeforeAnswer, long Late, int PostersOutOfRoom, long LeastShareRoom)
{
    /// <summary>Percentile in milliseconds of event read − 201 arrival, negative when the event came first.</summary>
    public double SignedPercentileMs(double p) => Percentile(SignedTicks, p);

    public double MaxMs => LatencyTicks.Length == 0 ? double.NaN : LatencyTicks[^1] * 1000.0 / Stopwatch.Frequency;

    /// <summary>Percentile in milliseconds over the events that arrived (an event read before its 201 counts as 0).</summary>
    public double PercentileMs(double p) => Percentile(LatencyTicks, p);

    private static double Percentile(long[] sorted, double p)
    {
        if (sorted.Length == 0) return double.NaN;
        var index = (int)Math.Clamp(Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1);
        return sorted[index] * 1000.0 / Stopwatch.Frequency;
    }

    public string FailureText => Failures.Count == 0 ? "none" : string.Join(", ", Failures.Select(f => $"{f.Key}×{f.Value}"));
}

/// <summary>
/// Posts new reports with unique reportIds and measures, for each one answered 201, the time from the arrival of
/// that answer to the reading of its <c>progress</c> event on an open event stream. Counts continue from the highest
/// count the burst sent (or the target, if higher), so they are never lower than what the owner holds, and stop at the
/// plausibility ceiling (ReportLimits' default multiple of the target). Each poster owns a fixed share of the
/// assignments, so one assignment's counts are sent one at a time and in order.
/// </summary>
internal sealed class LiveLatencyProbe
{
    /// <summary>An event not read within this long after its 201 counts as missed.</summary>
    public static readonly TimeSpan MissAfter = TimeSpan.FromSeconds(5);

    private readonly HttpClient _client;
    private readonly string _path;
    private readonly LiveEventStream _events;
    private readonly List<Slot> _slots;
    private long _sequence;

    private sealed class Slot(BenchAssignment assignment)
    {
        public BenchAssignment Assignment { get; } = assignment;

        /// <summary>The last count sent and acknowledged (or assumed by the start: the target).</summary>
        public long Completed { get; set; } = Math.Max(assignment.LastSent, assignment.Target);

        public long Ceiling { get; } = assignment.Ceiling;

        public long Room => Ceiling - Completed;

        public bool HasRoom => Completed < Ceiling;
    }

    public LiveLatencyProbe(HttpClient client, string planId, IReadOnlyList<BenchAssignment> assignments, LiveEventStream events)
    {
        _client = client;
        _path = $"api/v1/plans/{planId}/reports";
        _events = events;
        _slots = [.. assignments.Select(a => new Slot(a))];
    }

    /// <summary>Reports still possible below every assignment's ceiling.</summary>
    public long Room => _slots.Sum(s => s.Room);

    public int AssignmentsWithRoom => _slots.Count(s => s.HasRoom);

    /// <summary>
    /// Posts for <paramref name="duration"/> or <paramref name="maxReports"/> reports with <paramref name="posters"/>
    /// posters, each on its own share of the assignments, using only assignments with more than
    /// <paramref name="keepRoom"/> reports of room left (so that a sequential run can leave the small ones for later).
    /// </summary>
    public async Task<LiveLatencyResult> RunAsync(string name, int posters, TimeSpan duration, long maxReports, long keepRoom = 0)
    {
        var answered = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        // Shares balanced by room (largest first onto the poster with the least), so no poster runs dry early:
        // most of the room is on a few assignments with large targets.
        var shares = Enumerable.Range(0, posters).Select(_ => new List<Slot>()).ToArray();
        var shareRoom = new long[posters];
        foreach (var slot in _slots.Where(s => s.Room > keepRoom).OrderByDescending(s => s.Room))
        {
            var least = Array.IndexOf(shareRoom, shareRoom.Min());
            shares[least].Add(slot);
            shareRoom[least] += slot.Room - keepRoom;
        }
        var ranOut = 0;
        long issued = 0;
        var clock = Stopwatch.StartNew();
        var workers = shares.Select(share => Task.Run(async () =>
        {
            var failures = new Dictionary<string, long>(StringComparer.Ordinal);
            var cursor = 0;
            while (clock.Elapsed < duration && !_events.Ended)
            {
                share.RemoveAll(s => s.Room <= keepRoom);
                if (share.Count == 0)
                {
                    Interlocked.Increment(ref ranOut);
                    break;
                }
                if (Interlocked.Increment(ref issued) > maxReports) break;
                var slot = share[cursor++ % share.Count];
                var completed = slot.Completed + 1;
                var reportId = $"{_events.ReportPrefix}{Interlocked.Increment(ref _sequence)}";
                var a = slot.Assignment.Ref;
                var body = Encoding.UTF8.GetBytes(
                    $"{{\"reportId\":\"{reportId}\",\"taskId\":\"{a.Task.Id}\",\"unitId\":\"{a.Assignment.UnitId}\"," +
                    $"\"metricId\":\"{a.Assignment.MetricId}\",\"completed\":{completed}}}");
                string? failure = null;
                try
                {
                    using var request = ReportWorkload.Post(_path, slot.Assignment.Bearer, body);
                    using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                    var arrived = Stopwatch.GetTimestamp();
                    await response.Content.ReadAsByteArrayAsync();
                    if (response.StatusCode == HttpStatusCode.Created)
                    {
                        answered[reportId] = arrived;
                        slot.Completed = completed;
                    }
                    else
                    {
                        failure = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
                        // A refused count (e.g. 422, lower than the owner's) is not retried on this assignment.
                        if (response.StatusCode == HttpStatusCode.UnprocessableEntity) slot.Completed = slot.Ceiling;
                    }
                }
                catch (HttpRequestException e)
                {
                    failure = "http:" + e.HttpRequestError;
                }
                catch (TaskCanceledException)
                {
                    failure = "timeout";
                }
                if (failure is not null) failures[failure] = failures.GetValueOrDefault(failure) + 1;
            }
            return failures;
        })).ToArray();
        var failed = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var f in await Task.WhenAll(workers))
            foreach (var (key, count) in f)
                failed[key] = failed.GetValueOrDefault(key) + count;
        var elapsed = clock.Elapsed;

        // Wait (bounded) for the events still on their way: until each has arrived or is MissAfter past its 201.
        var lastAnswer = answered.IsEmpty ? Stopwatch.GetTimestamp() : answered.Values.Max();
        while (!_events.Ended && Stopwatch.GetElapsedTime(lastAnswer) < MissAfter && answered.Keys.Any(id => !_events.TryGetProgress(id, out _)))
            await Task.Delay(20);

        var latencies = new List<long>(answered.Count);
        var signed = new List<long>(answered.Count);
        long missed = 0, before = 0, late = 0;
        var limit = (long)(MissAfter.TotalSeconds * Stopwatch.Frequency);
        foreach (var (reportId, arrived) in answered)
        {
            if (!_events.TryGetProgress(reportId, out var read))
            {
                missed++;
                continue;
            }
            var ticks = read - arrived;
            if (ticks > limit)
            {
                late++;
                missed++;
                continue;
            }
            signed.Add(ticks);
            if (ticks < 0) before++;
            latencies.Add(Math.Max(0, ticks));
        }
        latencies.Sort();
        signed.Sort();
        return new LiveLatencyResult(name, posters, answered.Count, failed, elapsed, [.. latencies], [.. signed], missed, before, late,
            ranOut, shareRoom.Length == 0 ? 0 : shareRoom.Min());
    }
}
