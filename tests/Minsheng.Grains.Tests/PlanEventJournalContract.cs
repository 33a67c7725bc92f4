using Minsheng.Domain.Plans;
using Minsheng.Grains.Events;
using Minsheng.Grains.Messages;

namespace Minsheng.Grains.Tests;

/// <summary>
/// The contract every event journal keeps (in memory here, PostgreSQL in Minsheng.Persistence.Tests): a plan's stream
/// is opened once with its epoch, events are stored under consecutive numbers and read back exactly, a number or a
/// progress version already stored refuses the whole append, plans apart.
/// </summary>
public abstract class PlanEventJournalContract
{
    protected abstract IPlanEventJournal Journal { get; }

    private static readonly AssignmentKey A = new("3.1", "wulin", "lifts");
    private static readonly AssignmentKey B = new("3.1", "tianshui", "lifts");
    private static readonly DateTimeOffset At = new(2024, 6, 3, 9, 0, 0, TimeSpan.Zero);

    private static JournalEntry Entry(string plan, string data, AssignmentKey? key = null, long version = 0) =>
        new(new PlanEvent(plan, key is null ? PlanEventKind.Status : PlanEventKind.Progress, data, At), key is { } k ? new ProgressMark(k, version) : null);

    [Fact]
    public async Task A_stream_keeps_the_epoch_it_was_opened_with_and_goes_on_from_its_last_number()
    {
        var plan = "j-" + Guid.NewGuid().ToString("N");
        Assert.Equal(new JournalHead("e1", 7, 0), await Journal.Open(plan, "e1", 7));
        await Journal.Append(plan, 1, [Entry(plan, "{\"n\":1}"), Entry(plan, "{\"n\":2}", A, 1)]);
        Assert.Equal(new JournalHead("e1", 7, 2), await Journal.Open(plan, "other", 99));
        Assert.Equal(new JournalHead("e2", 0, 0), await Journal.Open(plan + "-b", "e2", 0));
    }

    [Fact]
    public async Task Events_are_read_back_in_order_with_their_kind_and_exact_text()
    {
        var plan = "j-" + Guid.NewGuid().ToString("N");
        await Journal.Open(plan, "e", 0);
        await Journal.Append(plan, 1, [Entry(plan, "{\"n\":1,\"名\":\"武林\"}"), Entry(plan, "{\"n\":2}", A, 1)]);
        await Journal.Append(plan, 3, [Entry(plan, "{\"n\":3}", A, 2)]);

        var all = await Journal.ReadAfter(plan, 0, 100);
        Assert.Equal(1, all.First);
        Assert.Equal(["{\"n\":1,\"名\":\"武林\"}", "{\"n\":2}", "{\"n\":3}"], all.Events.Select(e => e.Data));
        Assert.Equal([PlanEventKind.Status, PlanEventKind.Progress, PlanEventKind.Progress], all.Events.Select(e => e.Kind));
        Assert.All(all.Events, e => Assert.Equal(At, e.At));
        var page = await Journal.ReadAfter(plan, 1, 1);
        Assert.Equal(2, page.First);
        Assert.Equal(["{\"n\":2}"], page.Events.Select(e => e.Data));
        Assert.Empty((await Journal.ReadAfter(plan, 3, 100)).Events);
        Assert.Empty((await Journal.ReadAfter("nobody-" + plan, 0, 100)).Events);
    }

    [Fact]
    public async Task A_taken_number_or_a_stored_progress_version_refuses_the_whole_append()
    {
        var plan = "j-" + Guid.NewGuid().ToString("N");
        await Journal.Open(plan, "e", 0);
        await Journal.Append(plan, 1, [Entry(plan, "{\"n\":1}", A, 1)]);

        await Assert.ThrowsAsync<EventNumberTakenException>(() => Journal.Append(plan, 1, [Entry(plan, "{\"x\":1}")]));
        await Assert.ThrowsAsync<EventNumberTakenException>(() => Journal.Append(plan, 2, [Entry(plan, "{\"x\":2}", B, 1), Entry(plan, "{\"x\":3}", A, 1)]));

        // Nothing of the refused appends was stored: the next number is still 2, and B's version 1 is free.
        Assert.Equal(1, (await Journal.Open(plan, "e", 0)).Last);
        await Journal.Append(plan, 2, [Entry(plan, "{\"n\":2}", B, 1)]);
        Assert.Equal(["{\"n\":1}", "{\"n\":2}"], (await Journal.ReadAfter(plan, 0, 10)).Events.Select(e => e.Data));
    }

    [Fact]
    public async Task The_latest_progress_version_of_each_asked_assignment_is_answered()
    {
        var plan = "j-" + Guid.NewGuid().ToString("N");
        await Journal.Open(plan, "e", 0);
        await Journal.Append(plan, 1, [Entry(plan, "{}", A, 1), Entry(plan, "{}"), Entry(plan, "{}", A, 2), Entry(plan, "{}", B, 5)]);
        var other = plan + "-other";
        await Journal.Open(other, "e", 0);
        await Journal.Append(other, 1, [Entry(other, "{}", A, 9)]);

        var marks = await Journal.LatestProgress(plan, [A, B, new AssignmentKey("1.1", "wulin", "x")]);
        Assert.Equal([new ProgressMark(A, 2), new ProgressMark(B, 5)], marks.OrderBy(m => m.Key.UnitId == "wulin" ? 0 : 1));
    }

    [Fact]
    public async Task Pruning_forgets_the_oldest_events_and_moves_the_sweep_forward_only()
    {
        var plan = "j-" + Guid.NewGuid().ToString("N");
        await Journal.Open(plan, "e", 5);
        await Journal.Append(plan, 1, [Entry(plan, "1", A, 1), Entry(plan, "2"), Entry(plan, "3", A, 2), Entry(plan, "4")]);
        await Journal.Prune(plan, 2, 40);

        var read = await Journal.ReadAfter(plan, 0, 10);
        Assert.Equal(3, read.First); // the first kept: a reader after 0 or 1 cannot be answered exactly
        Assert.Equal(["3", "4"], read.Events.Select(e => e.Data));
        Assert.Equal(new JournalHead("e", 40, 4), await Journal.Open(plan, "x", 0));
        await Journal.Prune(plan, 2, 30);
        Assert.Equal(40, (await Journal.Open(plan, "x", 0)).SweepFrom);
        await Journal.Append(plan, 5, [Entry(plan, "5", A, 3)]);
        Assert.Equal([new ProgressMark(A, 3)], await Journal.LatestProgress(plan, [A]));
    }
}
