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

namespace Minsheng.Grains.Tests;

/// <summary>
/// An owner pipelines its reports: each is decided at once against the tentative fact and handed to the log, and many
/// wait for the same group commit. Checked on the book over a log whose commits the test releases, with the book's
/// turns on one exclusive scheduler as a grain's are: answers only after their commit, history order = acceptance
/// order = version order, readers see committed facts only, and a failed or timed-out commit fails what was decided on
/// top of it and drops the activation, which then reads what the log holds.
/// </summary>
public sealed class PipelinedOwnerTests
{
    private static readonly PlanIndex Plan = ClusterFixture.Catalog.Get("gongshu-2024");
    private const string Street = "tianshui";
    private static readonly AssignmentKey A = Plan.AssignmentsOfStreet(Street).First().Key;
    private static readonly AssignmentKey B = Plan.AssignmentsOfStreet(Street).Skip(1).First().Key;

    [Fact]
    public Task Reports_of_one_owner_share_a_commit_and_are_answered_in_version_order_after_it() => OnGrainScheduler(async () =>
    {
        var owner = new Owner();
        var book = await owner.Activate();
        var sent = new[] { ("p1", A, 1L), ("p2", B, 4L), ("p3", A, 3L), ("p4", A, 7L), ("p5", B, 5L) };
        var pending = sent.Select(s => book.Report(Command(s.Item1, s.Item2, s.Item3))).ToList();

        // All five are in the log's hands before any commit; nobody is answered, and readers see nothing of them.
        Assert.Equal(5, owner.Log.Waiting);
        Assert.Equal(5, book.InFlightCount);
        Assert.All(pending, p => Assert.False(p.IsCompleted));
        Assert.Equal((0L, 0L), (book.FactOf(A).Completed, book.FactOf(A).Version));
        Assert.DoesNotContain(book.OwnFacts(), f => f.Version > 0);

        // The next report is judged against the tentative count: 2 after 7 is a decrease without a correction.
        var decrease = await book.Report(Command("p6", A, 2));
        Assert.Equal((422, "completed"), (decrease.Outcome.Status, decrease.Outcome.Field));
        Assert.Equal(5, owner.Log.Waiting);

        await owner.Log.Commit();
        var answers = (await Task.WhenAll(pending)).Select(p => p.Outcome).ToList();
        Assert.All(answers, a => Assert.Equal(201, a.Status));
        Assert.Equal([1L, 1L, 2L, 3L, 2L], answers.Select(a => a.Answer!.Version));
        Assert.Equal([1L, 4L, 3L, 7L, 5L], answers.Select(a => a.Answer!.Completed));
        // Log positions follow the order the reports were accepted in.
        Assert.Equal(answers.Select(a => a.Answer!.Position).Order(), answers.Select(a => a.Answer!.Position));
        var history = await owner.Log.ReadAssignment(Plan.Id, A.TaskId, A.UnitId);
        Assert.Equal(["p1", "p3", "p4"], history.Where(r => r.MetricId == A.MetricId).Select(r => r.ReportId));
        Assert.Equal([0L, 1L, 3L], history.Where(r => r.MetricId == A.MetricId).Select(r => r.Previous));
        Assert.Equal((7L, 3L), (book.FactOf(A).Completed, book.FactOf(A).Version));
        Assert.Equal((5L, 2L), (book.FactOf(B).Completed, book.FactOf(B).Version));
        Assert.Equal(0, book.InFlightCount);
        Assert.Equal(0, owner.Discarded);
    });

    [Fact]
    public Task A_failed_commit_fails_what_was_decided_on_top_of_it_and_the_next_activation_reads_the_log() => OnGrainScheduler(async () =>
    {
        var owner = new Owner();
        var book = await owner.Activate();
        var first = Command("f1", A, 2);
        var onTop = Command("f2", A, 5);
        var pending = new[] { book.Report(first), book.Report(onTop), book.Report(Command("f3", B, 1)) };

        // The commit holding f1 fails; f2 (version 2 of the same metric) reaches the log without its predecessor.
        await owner.Log.Commit(fail: row => row.ReportId == "f1");
        await Assert.ThrowsAsync<IOException>(() => pending[0]);
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => pending[1]);
        Assert.Contains("does not follow version 1", refused.Message);
        Assert.Equal(201, (await pending[2]).Outcome.Status);
        Assert.True(owner.Discarded >= 1);
        Assert.Equal((0L, 0L), (book.FactOf(A).Completed, book.FactOf(A).Version));
        Assert.Empty(await owner.Log.ReadAssignment(Plan.Id, A.TaskId, A.UnitId));

        // The next activation starts from the log; the clients' retries are accepted as versions 1 and 2.
        var fresh = await owner.Activate();
        var retries = new[] { fresh.Report(first), fresh.Report(onTop) };
        await owner.Log.Commit();
        Assert.Equal([(201, 1L), (201, 2L)], (await Task.WhenAll(retries)).Select(r => (r.Outcome.Status, r.Outcome.Answer!.Version)));
        Assert.Equal((1L, 1L), (fresh.FactOf(B).Completed, fresh.FactOf(B).Version));
    });

    [Fact]
    public Task A_retry_of_a_report_in_flight_waits_for_its_commit_and_gets_its_answer() => OnGrainScheduler(async () =>
    {
        var owner = new Owner();
        var book = await owner.Activate();
        var command = Command("twice", A, 3);
        var first = book.Report(command);
        var retry = book.Report(command);
        var other = await book.Report(command with { Completed = 4 });
        Assert.Equal((409, "reportId"), (other.Outcome.Status, other.Outcome.Field));
        Assert.Equal(1, owner.Log.Waiting);
        Assert.False(retry.IsCompleted);

        await owner.Log.Commit();
        var (created, replayed) = ((await first).Outcome, (await retry).Outcome);
        Assert.Equal((201, 200), (created.Status, replayed.Status));
        Assert.Equal(created.Answer, replayed.Answer);
        Assert.Single(await owner.Log.ReadAssignment(Plan.Id, A.TaskId, A.UnitId));
    });

    [Fact]
    public Task A_commit_that_does_not_come_in_time_fails_the_report_and_drops_the_activation() => OnGrainScheduler(async () =>
    {
        var owner = new Owner();
        var book = await owner.Activate(TimeSpan.FromMilliseconds(100));
        var late = Command("late", A, 2);
        await Assert.ThrowsAsync<TimeoutException>(() => book.Report(late));
        Assert.Equal(1, owner.Discarded);
        Assert.Equal(0, book.InFlightCount);

        // The row commits after all; the next activation holds it and answers the retry with it.
        await owner.Log.Commit();
        var fresh = await owner.Activate();
        Assert.Equal((2L, 1L), (fresh.FactOf(A).Completed, fresh.FactOf(A).Version));
        var retried = fresh.Report(late);
        Assert.Equal((200, 1L), ((await retried).Outcome.Status, (await retried).Outcome.Answer!.Version));
    });

    /// <summary>Runs a test's turns one at a time on one scheduler, as Orleans runs an activation's.</summary>
    private static Task OnGrainScheduler(Func<Task> test) =>
        Task.Factory.StartNew(test, CancellationToken.None, TaskCreationOptions.None,
            new ConcurrentExclusiveSchedulerPair().ExclusiveScheduler).Unwrap().WaitAsync(TimeSpan.FromSeconds(30));

    private static ReportCommand Command(string reportId, AssignmentKey key, long completed) =>
        new(reportId, key.TaskId, key.UnitId, key.MetricId, completed, null, [], false, null, $"street:{key.UnitId}", "张三");

    private sealed class Owner
    {
        private readonly EventOutbox _outbox = new(_ => new NoEvents(), NullLogger.Instance);
        private int _discarded;

        public GroupCommitLog Log { get; } = new(new InMemoryReportLog());

        public int Discarded => _discarded;

        public async Task<AssignmentBook> Activate(TimeSpan? commitTimeout = null)
        {
            var metrics = new GrainMetrics(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>());
            var book = new AssignmentBook(Log, Plan, new OwnerRef(OwnerKind.Street, Street),
                BusinessClock.Simulated(new DateTimeOffset(2024, 3, 1, 10, 0, 0, TimeSpan.FromHours(8))), new SupervisionOptions(),
                ReportLimits.Default, _outbox, NullLogger.Instance, metrics, () => _discarded++)
            { CommitTimeout = commitTimeout ?? TimeSpan.FromSeconds(20) };
            await book.Load();
            return book;
        }
    }

    /// <summary>A plan's fan-out grain that drops what it is given (the routing tests check events).</summary>
    private sealed class NoEvents : IPlanEventsGrain
    {
        public Task Publish(IReadOnlyList<PlanEvent> events) => Task.CompletedTask;

        public Task<EventStreamPosition> Subscribe(IPlanEventObserver observer) => throw new NotSupportedException();

        public Task<SequencedEvents?> ReadAfter(string epoch, long after) => throw new NotSupportedException();

        public Task Unsubscribe(IPlanEventObserver observer) => throw new NotSupportedException();
    }

    /// <summary>
    /// The in-memory log behind a group commit the test releases: appends wait in arrival order; <see cref="Commit"/>
    /// writes them in that order (or fails the chosen ones without writing them) and answers each.
    /// </summary>
    private sealed class GroupCommitLog(InMemoryReportLog inner) : IReportLog
    {
        private readonly List<(ReportLogEntry Row, TaskCompletionSource<AppendResult> Done)> _waiting = [];

        public int Waiting => _waiting.Count;

        public Task<AppendResult> Append(ReportLogEntry entry)
        {
            var done = new TaskCompletionSource<AppendResult>();
            _waiting.Add((entry, done));
            return done.Task;
        }

        public async Task Commit(Func<ReportLogEntry, bool>? fail = null)
        {
            var batch = _waiting.ToList();
            _waiting.Clear();
            foreach (var (row, done) in batch)
            {
                if (fail?.Invoke(row) == true) done.SetException(new IOException("the commit holding this row failed"));
                else done.SetResult(await inner.Append(row));
            }
        }

        public Task<IReadOnlyList<ReportLogEntry>> ReadLatest(string planId, IReadOnlyCollection<AssignmentKey> keys) => inner.ReadLatest(planId, keys);

        public Task<ReportLogEntry?> FindAt(string planId, long seq) => inner.FindAt(planId, seq);

        public Task<ReportLogEntry?> FindReport(string planId, string reportId) => inner.FindReport(planId, reportId);

        public Task<long> LastSeq(string planId) => inner.LastSeq(planId);

        public Task<IReadOnlyList<ReportLogEntry>> ReadAssignment(string planId, string taskId, string unitId, long after = 0, int limit = int.MaxValue) =>
            inner.ReadAssignment(planId, taskId, unitId, after, limit);

        public Task<IReadOnlyList<ReportLogEntry>> ReadAsOf(string planId, IReadOnlyCollection<AssignmentKey> keys, DateTimeOffset at) =>
            inner.ReadAsOf(planId, keys, at);

        public Task<IReadOnlyList<ReportLogEntry>> ReadStamped(string planId, IReadOnlyCollection<AssignmentKey> keys, DateTimeOffset after, DateTimeOffset upTo) =>
            inner.ReadStamped(planId, keys, after, upTo);
    }
}
