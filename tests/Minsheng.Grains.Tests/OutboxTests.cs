using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Minsheng.Grains.Messages;
using Minsheng.Grains.Routing;
using Orleans.TestingHost;

namespace Minsheng.Grains.Tests;

/// <summary>
/// The outboxes that carry live events and progress updates out of a grain's turn: a batch is awaited until the target
/// grain has taken it, what arrives meanwhile goes in the next call, a failure does not stop the lane, and the pump
/// never carries the Activity or RequestContext of the call that happened to start it. A probe (an incoming call filter)
/// holds, fails and records the calls; the tests wait on its signals, never on time.
/// </summary>
public sealed class OutboxTests : IAsyncLifetime
{
    /// <summary>Bounds a wait for a signal that must come; only reached when the code under test is broken.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private const string CallerKey = "minsheng.test.caller";

    private readonly TestCluster _cluster = new TestClusterBuilder(initialSilosCount: 1)
        .AddSiloBuilderConfigurator<ProbedSilo>()
        .AddClientBuilderConfigurator<GrainTestClient>()
        .Build();

    public Task InitializeAsync() => _cluster.DeployAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Live_events_raised_while_a_publish_is_in_flight_go_out_together_in_the_next_call()
    {
        var plan = "hold-" + Guid.NewGuid().ToString("N");
        var probe = Probe.Of(plan);
        probe.HoldFirst();
        var outbox = new EventOutbox(_cluster.GrainFactory, NullLogger<EventOutbox>.Instance);

        outbox.Publish(plan, Event(plan, 1));
        Assert.Equal(new[] { 1 }, Numbers(await probe.Next()));
        // The first call is at the grain and held there: the outbox must wait for it, so these three gather.
        outbox.Publish(plan, Event(plan, 2));
        outbox.Publish(plan, Event(plan, 3));
        outbox.Publish(plan, Event(plan, 4));
        probe.Release();

        Assert.Equal(new[] { 2, 3, 4 }, Numbers(await probe.Next()));
        // Calls are sequential per plan, so once a later event has arrived nothing of the earlier ones is still under way.
        outbox.Publish(plan, Event(plan, 5));
        Assert.Equal(new[] { 5 }, Numbers(await probe.Next()));
    }

    [Fact]
    public async Task A_failed_publish_is_reported_to_the_outbox_and_the_next_batch_still_goes_out()
    {
        var plan = "fail-" + Guid.NewGuid().ToString("N");
        var probe = Probe.Of(plan);
        probe.FailFirst();
        var logger = new WarningLogger();
        var outbox = new EventOutbox(_cluster.GrainFactory, logger);

        outbox.Publish(plan, Event(plan, 1, PlanEventKind.Status));
        Assert.Equal(new[] { 1 }, Numbers(await probe.Next()));
        // Only an awaited call brings the grain's failure back to the outbox (a one-way call returns before it runs).
        var warning = await logger.Warned.Task.WaitAsync(Bound);
        Assert.Contains(ProbeFailure, warning.ToString());

        // Not a progress event: dropped, not sent again; the next batch goes out.
        outbox.Publish(plan, Event(plan, 2, PlanEventKind.Status));
        Assert.Equal(new[] { 2 }, Numbers(await probe.Next()));
    }

    [Fact]
    public async Task A_failed_publish_of_progress_events_is_sent_again_and_later_batches_wait_behind_it()
    {
        var plan = "retry-" + Guid.NewGuid().ToString("N");
        var probe = Probe.Of(plan);
        probe.FailFirst();
        var outbox = new EventOutbox(_cluster.GrainFactory, NullLogger<EventOutbox>.Instance);

        outbox.Publish(plan, [.. Event(plan, 1), .. Event(plan, 7, PlanEventKind.Status)]);
        Assert.Equal(new[] { 1, 7 }, Numbers(await probe.Next()));
        outbox.Publish(plan, Event(plan, 2));
        // The grain failed the first call: its progress event goes again (the events grain publishes a version once),
        // the status event does not, and the later batch follows it.
        Assert.Equal(new[] { 1 }, Numbers(await probe.Next()));
        Assert.Equal(new[] { 2 }, Numbers(await probe.Next()));
    }

    [Fact]
    public async Task A_report_does_not_lend_its_request_context_to_the_updates_and_events_sent_after_it()
    {
        const string plan = "gongshu-2024";
        var caller = "reporter-" + Guid.NewGuid().ToString("N");
        var events = Probe.Of(plan);
        var project = Probe.Of(GrainKeys.Of(plan, "3"));
        var reported = Probe.Of(GrainKeys.Of(plan, "tianshui"));
        var owner = _cluster.GrainFactory.GetGrain<IStreetGrain>(GrainKeys.Of(plan, "tianshui"));

        // The value flows with the call into the owner's turn, where the outboxes' pumps start.
        RequestContext.Set(CallerKey, caller);
        try
        {
            var outcome = await owner.Report(new ReportCommand("ctx-3.1-tianshui-1", "3.1", "tianshui", "main", 2, null, [], false, null, "test"));
            Assert.Equal(201, outcome.Status);
        }
        finally
        {
            RequestContext.Clear();
        }
        // The value did reach the owner's turn: without that, the nulls below would prove nothing.
        Assert.Equal(caller, (await reported.NextCall()).Caller);

        var published = await events.NextCall();
        Assert.Contains("ctx-3.1-tianshui-1", Assert.Single(published.Events).Data);
        Assert.Null(published.Caller);
        var applied = await project.NextCall();
        Assert.Contains(applied.Updates, u => u is { TaskId: "3.1", UnitId: "tianshui", Completed: 2 });
        Assert.Null(applied.Caller);
    }

    [Fact]
    public async Task The_pump_never_sees_the_activity_or_request_context_of_the_call_that_started_it()
    {
        var fake = new RecordingEventsGrain();
        var outbox = new EventOutbox(_ => fake, NullLogger.Instance);

        using (new Activity("first-report").Start())
        {
            RequestContext.Set(CallerKey, "first");
            try
            {
                outbox.Publish("p", Event("p", 1));
                // Held at the fake: the pump now lives on, and the next event rides on it.
                await fake.FirstEntered.Task.WaitAsync(Bound);
                RequestContext.Set(CallerKey, "second");
                outbox.Publish("p", Event("p", 2));
            }
            finally
            {
                RequestContext.Clear();
            }
        }
        fake.ReleaseFirst.SetResult();
        foreach (var expected in new[] { 1, 2 })
        {
            var seen = await fake.Calls.Reader.ReadAsync().AsTask().WaitAsync(Bound);
            Assert.Equal(new[] { expected }, Numbers(seen.Events));
            Assert.Null(seen.Activity);
            Assert.Null(seen.Caller);
        }
    }

    private static PlanEvent[] Event(string plan, int n, PlanEventKind kind = PlanEventKind.Progress) =>
        [new PlanEvent(plan, kind, n.ToString(System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.UnixEpoch)];

    private static int[] Numbers(IReadOnlyList<PlanEvent> events) => events.Select(e => int.Parse(e.Data, System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    /// <summary>What one call to a probed grain carried: live events or progress updates, and the caller value it saw.</summary>
    private sealed record Call(IReadOnlyList<PlanEvent> Events, IReadOnlyList<FactUpdate> Updates, object? Caller);

    /// <summary>Records, holds or fails the calls to the grain with one key (a plan's fan-out grain or an aggregate).</summary>
    private sealed class Probe
    {
        private static readonly ConcurrentDictionary<string, Probe> Probes = new(StringComparer.Ordinal);

        private readonly Channel<Call> _calls = Channel.CreateUnbounded<Call>();
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _hold;
        private int _fail;

        public static Probe Of(string key) => Probes.GetOrAdd(key, _ => new Probe());

        public static Probe? Find(string key) => Probes.GetValueOrDefault(key);

        public void HoldFirst() => _hold = 1;

        public void FailFirst() => _fail = 1;

        public void Release() => _release.SetResult();

        public async Task<IReadOnlyList<PlanEvent>> Next() => (await NextCall()).Events;

        public Task<Call> NextCall() => _calls.Reader.ReadAsync().AsTask().WaitAsync(Bound);

        public async Task Enter(Call call)
        {
            _calls.Writer.TryWrite(call);
            if (Interlocked.Exchange(ref _hold, 0) == 1) await _release.Task;
            if (Interlocked.Exchange(ref _fail, 0) == 1) throw new InvalidOperationException(ProbeFailure);
        }
    }

    /// <summary>A framework exception type, which Orleans carries back to the caller with its message.</summary>
    private const string ProbeFailure = "the probe failed this call";

    private sealed class ProbeFilter : IIncomingGrainCallFilter
    {
        public async Task Invoke(IIncomingGrainCallContext context)
        {
            var name = context.InterfaceMethod.Name;
            // The plan grain shares its key with the plan's events grain: its Apply calls are not the events' probe's.
            if (name is nameof(IPlanEventsGrain.Publish) or nameof(IProgressAggregate.Apply) or nameof(IAssignmentOwnerGrain.Report)
                && context.Grain is not IPlanGrain
                && Probe.Find(context.TargetContext.GrainId.Key.ToString()!) is { } probe)
            {
                var argument = context.Request.GetArgument(0);
                await probe.Enter(new Call(
                    argument as IReadOnlyList<PlanEvent> ?? [], argument as IReadOnlyList<FactUpdate> ?? [], RequestContext.Get(CallerKey)));
            }
            await context.Invoke();
        }
    }

    /// <summary>A fan-out grain in the test's hands: holds its first call until released and records what each call saw.</summary>
    private sealed class RecordingEventsGrain : IPlanEventsGrain
    {
        public TaskCompletionSource FirstEntered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource ReleaseFirst { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Channel<(IReadOnlyList<PlanEvent> Events, Activity? Activity, object? Caller)> Calls { get; } =
            Channel.CreateUnbounded<(IReadOnlyList<PlanEvent>, Activity?, object?)>();

        private int _calls;

        public async Task Publish(IReadOnlyList<PlanEvent> events)
        {
            Calls.Writer.TryWrite((events, Activity.Current, RequestContext.Get(CallerKey)));
            if (Interlocked.Increment(ref _calls) == 1)
            {
                FirstEntered.SetResult();
                await ReleaseFirst.Task;
            }
        }

        public Task<EventStreamPosition> Subscribe(IPlanEventObserver observer) => throw new NotSupportedException();

        public Task<SequencedEvents?> ReadAfter(string epoch, long after) => throw new NotSupportedException();

        public Task Unsubscribe(IPlanEventObserver observer) => throw new NotSupportedException();
    }

    private sealed class WarningLogger : ILogger<EventOutbox>
    {
        public TaskCompletionSource<Exception> Warned { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Warning && exception is not null) Warned.TrySetResult(exception);
        }
    }

    private sealed class ProbedSilo : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            silo.AddMinshengForTests(new Minsheng.Grains.ReportLog.InMemoryReportLog());
            silo.AddIncomingGrainCallFilter<ProbeFilter>();
        }
    }
}
