using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Minsheng.Domain.Plans;

namespace Minsheng.Grains.Scheduling;

/// <summary>
/// Runs <see cref="ISupervisionScheduleGrain"/>: one reminder (every <see cref="SupervisionOptions.ReminderPeriod"/>)
/// for all plans, the due instants durable beside the grains' other state, supervisors run at most
/// <see cref="SupervisionOptions.ScheduleParallelism"/> at a time so a midnight at thousands of plans never stalls the silo.
/// </summary>
public sealed class SupervisionScheduleGrain(
    [PersistentState(StorageNames.ScheduleState, StorageNames.Facts)] IPersistentState<SupervisionSchedule> state,
    PlanCatalog catalog,
    BusinessClock clock,
    IOptions<SupervisionOptions> options,
    ILogger<SupervisionScheduleGrain> logger) : Grain, ISupervisionScheduleGrain, IRemindable
{
    internal const string ReminderName = "schedule";

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Align(catalog.Plans.Select(p => p.Id))) await state.WriteStateAsync(cancellationToken);
        var period = options.Value.ReminderPeriod;
        await this.RegisterOrUpdateReminder(ReminderName, period, period);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        // Ticks may repeat or be missed across ownership moves: running up to "now" again changes nothing.
        if (reminderName == ReminderName) await RunDue(clock.GetUtcNow());
    }

    public async Task<ScheduleRun> RunDue(DateTimeOffset now)
    {
        var due = state.State.DueAt(now);
        if (due.Count == 0) return new ScheduleRun(0, 0, 0, state.State.Earliest());

        using var gate = new SemaphoreSlim(options.Value.ScheduleParallelism);
        // Each continuation comes back to this grain's scheduler, one at a time, so the schedule is updated safely.
        var runs = await Task.WhenAll(due.Select(async planId =>
        {
            await gate.WaitAsync();
            try
            {
                return (planId, Next: await GrainFactory.GetGrain<ISupervisorGrain>(planId).AdvanceTo(now), Ok: true);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Supervision of {Plan} up to {Now} failed; it stays due", planId, now);
                return (planId, Next: (DateTimeOffset?)null, Ok: false);
            }
            finally
            {
                gate.Release();
            }
        }));
        foreach (var run in runs.Where(r => r.Ok)) state.State.NextDue[run.planId] = run.Next;
        state.State.LastRun = now;
        await state.WriteStateAsync();
        var failed = runs.Count(r => !r.Ok);
        logger.LogInformation("Supervision ran {Ran} of {Due} due plans up to {Now}", due.Count - failed, due.Count, now);
        return new ScheduleRun(due.Count, due.Count - failed, failed, state.State.Earliest());
    }

    public Task<ScheduleStatus> GetStatus() =>
        Task.FromResult(new ScheduleStatus(state.State.NextDue.Count, state.State.Earliest(), state.State.LastRun));
}
