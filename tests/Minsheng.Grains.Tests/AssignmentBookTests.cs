using System.Collections.Concurrent;
using System.Text.Json;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Minsheng.Domain.Plans;
using Minsheng.Domain.Progress;
using Minsheng.Grains.Messages;
using Minsheng.Grains.Owners;
using Minsheng.Grains.ReportLog;
using Minsheng.Grains.Routing;
using Minsheng.Grains.Telemetry;
using Xunit.Abstractions;

namespace Minsheng.Grains.Tests;

/// <summary>
/// The invariant the service lives by, checked on the owner's book itself against the in-memory report log (no HTTP,
/// no cluster): no count without its history line, history order = acceptance order = version order, a reportId
/// answered the same forever; and a log that fails or hangs mid-append leaves none of that broken.
/// </summary>
public sealed class AssignmentBookTests(ITestOutputHelper output)
{
    /// <summary>A kind the owner never publishes, marking where its events end.</summary>
    private const PlanEventKind SentinelKind = PlanEventKind.Ranking;

    /// <summary>Fixed, so a failure replays exactly; printed by the test that draws from it.</summary>
    private const int Seed = 20240301;

    /// <summary>Bounds a wait for a signal that must come; only reached when the code under test is broken.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static readonly PlanIndex Plan = ClusterFixture.Catalog.Get("gongshu-2024");

    private const string Street = "tianshui";

    [Fact]
    public async Task Every_accepted_count_has_its_history_line_in_acceptance_and_version_order()
    {
        output.WriteLine($"seed {Seed}");
        var random = new Random(Seed);
        var owner = new Owner();
        var book = await owner.Activate();
        var keys = Plan.AssignmentsOfStreet(Street).Take(3).Select(a => a.Key).ToList();
        var counts = keys.ToDictionary(k => k, _ => 0L);
        var created = new List<(ReportCommand Command, ReportOutcome Outcome)>();

        for (var i = 0; i < 80; i++)
        {
            owner.Clock.MoveTo(owner.Clock.GetUtcNow().AddHours(random.Next(1, 48)));
            var key = keys[random.Next(keys.Count)];
            var current = counts[key];
            var draw = random.Next(10);
            if (draw <= 4 || (draw is 5 or 6 && current == 0) || (draw is 7 or 8 && created.Count == 0))
            {
                var command = Command($"r{i}", key, current + random.Next(0, 3));
                var outcome = await Report(book, command);
                Assert.Equal(201, outcome.Status);
                created.Add((command, outcome));
                counts[key] = command.Completed;
            }
            else if (draw == 5)
            {
                var outcome = await Report(book, Command($"r{i}", key, current - 1));
                Assert.Equal((422, "completed"), (outcome.Status, outcome.Field));
            }
            else if (draw == 6)
            {
                var command = Command($"r{i}", key, current - 1) with { Correction = true, Reason = "重复统计" };
                var outcome = await Report(book, command);
                Assert.Equal(201, outcome.Status);
                created.Add((command, outcome));
                counts[key] = command.Completed;
            }
            else if (draw == 7)
            {
                var (command, first) = created[random.Next(created.Count)];
                AssertSameAnswer(first, await Report(book, command), 200);
            }
            else if (draw == 8)
            {
                var (command, _) = created[random.Next(created.Count)];
                var outcome = await Report(book, command with { Completed = command.Completed + 1, Note = "改过的" });
                Assert.Equal((409, "reportId"), (outcome.Status, outcome.Field));
            }
            else
            {
                var target = Plan.FindAssignment(key.TaskId, key.UnitId, key.MetricId)!.Value.Assignment.Target;
                await book.SetSchedule(new ScheduleCommand(key.TaskId, key.UnitId, key.MetricId,
                    [new MilestoneMessage(new DateOnly(2024, 11, 30), target)], "office"));
            }
        }

        await AssertBookMatchesLog(book, owner.Log);
        var rows = (await OwnerRows(owner.Log)).Where(r => r.Kind == LogKind.Report).ToList();
        // Acceptance order: the rows of accepted reports, in the log's order, are the 201 answers in the order given.
        Assert.Equal(created.Select(c => c.Command.ReportId), rows.Select(r => r.ReportId));
        foreach (var ((_, outcome), row) in created.Zip(rows))
        {
            Assert.Equal(row.AnswerWithPosition(), outcome.Answer);
            Assert.Equal(row.Seq, outcome.Answer!.Position);
        }
        // Live events went out for exactly those reports, in that order.
        Assert.Equal(created.Select(c => c.Command.ReportId), await owner.ProgressEventReportIds());
        // A new activation rebuilt from the log holds the very same facts.
        Assert.Equal(Json(book.OwnFacts()), Json((await owner.Activate()).OwnFacts()));
        Assert.Equal(0, owner.Discarded);
    }

    [Fact]
    public async Task A_report_id_is_answered_the_same_forever_and_refused_for_another_body()
    {
        var owner = new Owner();
        var book = await owner.Activate();
        var key = Plan.AssignmentsOfStreet(Street).First().Key;
        var first = Command("forever-1", key, 2) with { Note = "第一批", Evidence = ["https://example.org/a.jpg"] };
        var answered = await Report(book, first);
        Assert.Equal(201, answered.Status);

        // The assignment moves on, the clock moves on, and the book is rebuilt from the log.
        owner.Clock.MoveTo(owner.Clock.GetUtcNow().AddDays(40));
        Assert.Equal(201, (await Report(book, Command("forever-2", key, 5))).Status);
        AssertSameAnswer(answered, await Report(book, first), 200);
        var rebuilt = await owner.Activate();
        AssertSameAnswer(answered, await Report(rebuilt, first), 200);
        AssertSameAnswer(answered, await Report(rebuilt, first), 200);

        var rowsBefore = (await AllRows(owner.Log)).Count;
        foreach (var other in new[] { first with { Completed = 3 }, first with { Note = null }, first with { Evidence = [] } })
        {
            foreach (var b in new[] { book, rebuilt })
            {
                var refused = await Report(b, other);
                Assert.Equal((409, "reportId"), (refused.Status, refused.Field));
            }
        }
        // The id is the plan's, not the owner's: a department cannot take it for its own assignment either.
        var department = Plan.Plan.Departments.Select(d => d.Id).First(d => Plan.DistrictAssignmentsOf(d).Any());
        var district = Plan.DistrictAssignmentsOf(department).First().Key;
        var theirs = await owner.Activate(new OwnerRef(OwnerKind.Department, department));
        var taken = await Report(theirs, Command("forever-1", district, 1) with { By = $"department:{department}" });
        Assert.Equal((409, "reportId"), (taken.Status, taken.Field));
        Assert.Equal(0, theirs.FactOf(district).Version);

        Assert.Equal(rowsBefore, (await AllRows(owner.Log)).Count);
        Assert.Equal(0, owner.Discarded);
        await AssertBookMatchesLog(rebuilt, owner.Log);
    }

    [Theory]
    [InlineData(false, false)] // refused before anything was written (the database is unreachable)
    [InlineData(true, false)]  // committed, but the acknowledgement was lost (the connection broke after COMMIT)
    [InlineData(false, true)]  // hangs, then times out; nothing was written
    [InlineData(true, true)]   // hangs with the row committed, then times out
    public async Task A_log_that_fails_or_times_out_mid_append_leaves_no_count_without_its_history(bool written, bool hangs)
    {
        var owner = new Owner();
        var book = await owner.Activate();
        var key = Plan.AssignmentsOfStreet(Street).First().Key;
        var before = await Report(book, Command("fault-1", key, 2));
        Assert.Equal(201, before.Status);

        owner.Log.Arm(new Fault(written, hangs));
        var second = Command("fault-2", key, 4);
        var pending = Report(book, second);
        if (hangs)
        {
            await owner.Log.Entered.WaitAsync(Bound);
            // In the middle of the append the book shows nothing of it: a count appears only with its row.
            Assert.False(pending.IsCompleted);
            Assert.Equal((2L, 1L), (book.FactOf(key).Completed, book.FactOf(key).Version));
            Assert.Equal(written, (await OwnerRows(owner.Log)).Any(r => r.ReportId == "fault-2"));
            owner.Log.Release();
        }
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => pending);
        Assert.IsType(hangs ? typeof(TimeoutException) : typeof(IOException), failure);
        // Nothing acknowledged, nothing announced; the activation asked to be dropped, since the log may hold the row.
        Assert.Equal((2L, 1L), (book.FactOf(key).Completed, book.FactOf(key).Version));
        Assert.Equal(1, owner.Discarded);
        Assert.Equal(new[] { "fault-1" }, await owner.ProgressEventReportIds());

        if (written)
        {
            // Until the activation is gone, the stale book must not write over the row it never saw.
            var stale = await Assert.ThrowsAsync<InvalidOperationException>(() => Report(book, Command("fault-3", key, 5)));
            Assert.Contains("Version 2", stale.Message);
            Assert.Equal(2, owner.Discarded);
        }

        // The next activation replays the log: the retry gets the row's answer if it was written, or is accepted now.
        var recovered = await owner.Activate();
        var retried = await Report(recovered, second);
        Assert.Equal(written ? 200 : 201, retried.Status);
        Assert.Equal((4L, 2L), (retried.Answer!.Completed, retried.Answer.Version));
        var next = await Report(recovered, Command("fault-3", key, 6));
        Assert.Equal((201, 3L), (next.Status, next.Answer!.Version));

        await AssertBookMatchesLog(recovered, owner.Log);
        var history = await owner.Log.ReadAssignment(Plan.Id, key.TaskId, key.UnitId);
        Assert.Equal(new[] { "fault-1", "fault-2", "fault-3" }, history.Select(r => r.ReportId));
        Assert.Equal(written ? new[] { "fault-1", "fault-3" } : new[] { "fault-1", "fault-2", "fault-3" }, await owner.ProgressEventReportIds());
    }

    [Fact]
    public async Task A_stale_book_that_meets_its_own_unseen_row_answers_from_it_and_asks_to_be_dropped()
    {
        var owner = new Owner();
        var book = await owner.Activate();
        var key = Plan.AssignmentsOfStreet(Street).First().Key;
        Assert.Equal(201, (await Report(book, Command("unseen-1", key, 2))).Status);
        owner.Log.Arm(new Fault(Written: true, Hangs: false));
        var lost = Command("unseen-2", key, 4);
        await Assert.ThrowsAsync<IOException>(() => Report(book, lost));
        Assert.Equal(1, owner.Discarded);

        // The client retries before the activation is gone: the log's answer, and the book knows it is behind.
        var retried = await Report(book, lost);
        Assert.Equal((200, 4L, 2L), (retried.Status, retried.Answer!.Completed, retried.Answer.Version));
        Assert.Equal(2, owner.Discarded);
    }

    [Fact]
    public async Task An_activation_loads_one_row_per_assignment_and_answers_reportIds_beyond_its_window_from_the_log()
    {
        var owner = new Owner();
        var book = await owner.Activate();
        var keys = Plan.AssignmentsOfStreet(Street).Select(a => a.Key).Take(2).ToList();
        var total = AssignmentBook.RecentCapacity + 60;
        var first = new Dictionary<string, ReportOutcome>();
        for (var i = 1; i <= total; i++)
        {
            var command = Command($"window-{i}", keys[i % 2], (i + 1) / 2);
            var outcome = await Report(book, command);
            Assert.Equal(201, outcome.Status);
            first[command.ReportId] = outcome;
        }
        // Memory holds a bounded window, not the year.
        Assert.Equal(AssignmentBook.RecentCapacity, book.RecentCount);

        // The oldest report's count is now far below the current one: its retry is its first answer, not a 422;
        // another body under its id is 409; the count did not move and the activation is not dropped.
        var oldest = Command("window-1", keys[1], 1);
        AssertSameAnswer(first["window-1"], await Report(book, oldest), 200);
        Assert.Equal(409, (await Report(book, oldest with { Completed = 2 })).Status);
        Assert.Equal(409, (await Report(book, oldest with { Completed = 500 })).Status);
        var factBefore = book.FactOf(keys[1]);

        // A fresh activation reads one row per owned assignment metric, whatever the history's length.
        var before = owner.Log.LatestRowsRead;
        var fresh = await owner.Activate();
        Assert.Equal(2, owner.Log.LatestRowsRead - before);
        Assert.Equal(2, fresh.RecentCount);
        Assert.Equal(Json(book.OwnFacts()), Json(fresh.OwnFacts()));
        Assert.Equal(factBefore, fresh.FactOf(keys[1]));
        foreach (var id in new[] { "window-1", "window-2", $"window-{total / 2}", $"window-{total - 1}" })
        {
            var i = int.Parse(id["window-".Length..], System.Globalization.CultureInfo.InvariantCulture);
            AssertSameAnswer(first[id], await Report(fresh, Command(id, keys[i % 2], (i + 1) / 2)), 200);
        }
        await AssertBookMatchesLog(fresh, owner.Log);
        Assert.Equal(0, owner.Discarded);
    }

    /// <summary>What the owner grain would answer (the update it announces is the routing tests' business).</summary>
    private static async Task<ReportOutcome> Report(AssignmentBook book, ReportCommand command) => (await book.Report(command)).Outcome;

    private static ReportCommand Command(string reportId, AssignmentKey key, long completed) =>
        new(reportId, key.TaskId, key.UnitId, key.MetricId, completed, null, [], false, null, $"street:{key.UnitId}", "张三");

    private static void AssertSameAnswer(ReportOutcome first, ReportOutcome again, int status)
    {
        Assert.Equal(status, again.Status);
        Assert.Equal(Json(first.Answer), Json(again.Answer));
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value);

    /// <summary>
    /// The book's facts are exactly what the log says: per assignment, versions 1, 2, 3… in log order, each row starting
    /// from the count before it, the current count that of the last row, and that count on a history line.
    /// </summary>
    private static async Task<List<ReportLogEntry>> OwnerRows(IReportLog log) =>
        (await AllRows(log)).Where(r => r.OwnerId == Street).ToList();

    /// <summary>Every row of the plan in acceptance order, by position (the in-memory log numbers a plan's rows 1, 2, 3…).</summary>
    private static async Task<List<ReportLogEntry>> AllRows(IReportLog log)
    {
        var rows = new List<ReportLogEntry>();
        while (await log.FindAt(Plan.Id, rows.Count + 1) is { } row) rows.Add(row);
        return rows;
    }

    private static async Task AssertBookMatchesLog(AssignmentBook book, IReportLog log)
    {
        var rows = await OwnerRows(log);
        Assert.Equal(rows.Select(r => r.Seq).Order(), rows.Select(r => r.Seq));
        Assert.Equal(rows.Count, rows.Select(r => r.Seq).Distinct().Count());
        foreach (var assignment in Plan.AssignmentsOfStreet(Street))
        {
            var key = assignment.Key;
            var mine = rows.Where(r => (r.TaskId, r.UnitId, r.MetricId) == (key.TaskId, key.UnitId, key.MetricId)).ToList();
            Assert.Equal(Enumerable.Range(1, mine.Count).Select(v => (long)v), mine.Select(r => r.Version));
            long previous = 0;
            foreach (var row in mine)
            {
                Assert.Equal(previous, row.Previous);
                previous = row.Completed;
            }
            var fact = book.FactOf(key);
            Assert.Equal((previous, (long)mine.Count), (fact.Completed, fact.Version));

            var history = (await log.ReadAssignment(Plan.Id, key.TaskId, key.UnitId)).Where(r => r.MetricId == key.MetricId).ToList();
            Assert.Equal(mine.Where(r => r.Kind == LogKind.Report).Select(r => r.Seq), history.Select(r => r.Seq));
            Assert.Equal(fact.Completed, history.LastOrDefault()?.Completed ?? 0);
        }
    }

    /// <summary>One owner's surroundings: the log (with its fault switch), the business clock, and the live events sent.</summary>
    private sealed class Owner
    {
        private readonly RecordingEvents _events = new();
        private readonly EventOutbox _outbox;
        private int _discarded;
        private int _sentinels;

        public Owner() => _outbox = new EventOutbox(_ => _events, NullLogger.Instance);

        public FaultyLog Log { get; } = new(new InMemoryReportLog());

        public GrainMetrics Metrics { get; } = new(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>());

        public BusinessClock Clock { get; } = BusinessClock.Simulated(new DateTimeOffset(2024, 3, 1, 10, 0, 0, TimeSpan.FromHours(8)));

        public int Discarded => Volatile.Read(ref _discarded);

        /// <summary>A fresh activation: a new book that replays the owner's rows from the log.</summary>
        public async Task<AssignmentBook> Activate(OwnerRef? who = null)
        {
            var book = new AssignmentBook(Log, Plan, who ?? new OwnerRef(OwnerKind.Street, Street), Clock, new SupervisionOptions(),
                ReportLimits.Default, _outbox, NullLogger.Instance, Metrics, () => Interlocked.Increment(ref _discarded));
            await book.Load();
            return book;
        }

        /// <summary>
        /// The reportIds of every progress event sent so far, in order. A sentinel goes through the same lane behind
        /// them: once it has arrived, nothing sent before it is still under way.
        /// </summary>
        public async Task<List<string>> ProgressEventReportIds()
        {
            var sentinel = $"sentinel-{Interlocked.Increment(ref _sentinels)}";
            var arrived = _events.Await(sentinel);
            _outbox.Publish(Plan.Id, [new PlanEvent(Plan.Id, SentinelKind, sentinel, DateTimeOffset.UnixEpoch)]);
            await arrived.WaitAsync(Bound);
            return _events.All.Where(e => e.Kind == PlanEventKind.Progress)
                .Select(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("reportId").GetString()!).ToList();
        }
    }

    /// <summary>A plan's fan-out grain that keeps every event it is given.</summary>
    private sealed class RecordingEvents : IPlanEventsGrain
    {
        private readonly ConcurrentQueue<PlanEvent> _all = new();
        private readonly ConcurrentDictionary<string, TaskCompletionSource> _awaited = new(StringComparer.Ordinal);

        public IEnumerable<PlanEvent> All => _all;

        public Task Await(string sentinel) =>
            _awaited.GetOrAdd(sentinel, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

        public Task Publish(IReadOnlyList<PlanEvent> events)
        {
            foreach (var e in events)
            {
                _all.Enqueue(e);
                if (e.Kind == SentinelKind && _awaited.TryGetValue(e.Data, out var done)) done.TrySetResult();
            }
            return Task.CompletedTask;
        }

        public Task<EventStreamPosition> Subscribe(IPlanEventObserver observer) => throw new NotSupportedException();

        public Task<SequencedEvents?> ReadAfter(string epoch, long after) => throw new NotSupportedException();

        public Task Unsubscribe(IPlanEventObserver observer) => throw new NotSupportedException();
    }

    /// <summary>How the next append goes wrong: with or without the row written, at once or after hanging until released.</summary>
    private sealed record Fault(bool Written, bool Hangs);

    /// <summary>The in-memory log with a one-shot fault for the next append, held at a barrier the test releases.</summary>
    private sealed class FaultyLog(IReportLog inner) : IReportLog
    {
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private Fault? _next;

        /// <summary>Completes when a hanging append has started (and, when it writes, has written).</summary>
        public Task Entered => _entered.Task;

        public void Arm(Fault fault) => _next = fault;

        public void Release() => _release.SetResult();

        public async Task<AppendResult> Append(ReportLogEntry entry)
        {
            if (Interlocked.Exchange(ref _next, null) is not { } fault) return await inner.Append(entry);
            if (fault.Written) Assert.Equal(AppendStatus.Appended, (await inner.Append(entry)).Status);
            if (!fault.Hangs) throw new IOException("the connection to the report log broke");
            _entered.SetResult();
            await _release.Task;
            throw new TimeoutException("the report log did not answer in time");
        }

        /// <summary>How many rows the reads an activation makes have returned.</summary>
        public int LatestRowsRead => Volatile.Read(ref _latestRowsRead);

        private int _latestRowsRead;

        public async Task<IReadOnlyList<ReportLogEntry>> ReadLatest(string planId, IReadOnlyCollection<AssignmentKey> keys)
        {
            var rows = await inner.ReadLatest(planId, keys);
            Interlocked.Add(ref _latestRowsRead, rows.Count);
            return rows;
        }

        public Task<ReportLogEntry?> FindReport(string planId, string reportId) => inner.FindReport(planId, reportId);

        public Task<long> LastSeq(string planId) => inner.LastSeq(planId);

        public Task<ReportLogEntry?> FindAt(string planId, long seq) => inner.FindAt(planId, seq);

        public Task<IReadOnlyList<ReportLogEntry>> ReadAssignment(string planId, string taskId, string unitId, long after = 0, int limit = int.MaxValue) =>
            inner.ReadAssignment(planId, taskId, unitId, after, limit);

        public Task<IReadOnlyList<ReportLogEntry>> ReadAsOf(string planId, IReadOnlyCollection<AssignmentKey> keys, DateTimeOffset at) =>
            inner.ReadAsOf(planId, keys, at);

        public Task<IReadOnlyList<ReportLogEntry>> ReadStamped(string planId, IReadOnlyCollection<AssignmentKey> keys, DateTimeOffset after, DateTimeOffset upTo) =>
            inner.ReadStamped(planId, keys, after, upTo);
    }
}
