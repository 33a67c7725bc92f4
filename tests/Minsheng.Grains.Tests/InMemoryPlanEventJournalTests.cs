using Minsheng.Grains.Events;
using Minsheng.Grains.Messages;

namespace Minsheng.Grains.Tests;

public sealed class InMemoryPlanEventJournalTests : PlanEventJournalContract
{
    private readonly InMemoryPlanEventJournal _journal = new(kept: 4);

    protected override IPlanEventJournal Journal => _journal;

    [Fact]
    public async Task The_embedded_default_keeps_a_bounded_number_and_answers_from_the_oldest_it_keeps()
    {
        await _journal.Open("p", "e", 0);
        for (var n = 1; n <= 9; n++) await _journal.Append("p", n, [new JournalEntry(new PlanEvent("p", PlanEventKind.Status, $"{n}", DateTimeOffset.UnixEpoch), null)]);
        // 9 > 2 × 4: the oldest were dropped down to the latest 4 (6..9) once the ninth came.
        var read = await _journal.ReadAfter("p", 0, 100);
        Assert.Equal(6, read.First);
        Assert.Equal(["6", "7", "8", "9"], read.Events.Select(e => e.Data));
        Assert.Equal(9, (await _journal.Open("p", "x", 0)).Last);
    }
}
