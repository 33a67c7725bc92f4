using System.Collections.Concurrent;
using Orleans.Runtime;

namespace Minsheng.Persistence.Tests;

// ---- A counter on the default storage (integer key). ----

public interface ICounterGrain : IGrainWithIntegerKey
{
    Task<int> Add(int amount);
    Task<int> Get();
    Task<string?> ETag();
    Task Reload();
    Task Deactivate();
}

/// <summary>Grain state is a plain class: System.Text.Json needs no Orleans attributes.</summary>
public sealed class CounterState
{
    public int Total { get; set; }
    public List<string> Log { get; set; } = [];
}

public sealed class CounterGrain([PersistentState("counter")] IPersistentState<CounterState> state) : Grain, ICounterGrain
{
    public async Task<int> Add(int amount)
    {
        state.State.Total += amount;
        state.State.Log.Add($"+{amount}");
        await state.WriteStateAsync();
        return state.State.Total;
    }

    public Task<int> Get() => Task.FromResult(state.State.Total);

    public Task<string?> ETag() => Task.FromResult(state.Etag);

    public Task Reload() => state.ReadStateAsync();

    public Task Deactivate()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}

// ---- The same stored state read through a renamed class (string key, shared state name). ----

public enum ProfileKind { Resident, Visitor }

[GenerateSerializer, Immutable]
public sealed record ProfileView(
    [property: Id(0)] string DisplayName,
    [property: Id(1)] int Visits,
    [property: Id(2)] string[] Tags,
    [property: Id(3)] ProfileKind Kind,
    [property: Id(4)] bool RecordExists);

public interface IProfileWriterGrain : IGrainWithStringKey
{
    Task Write(string displayName, int visits, string[] tags, ProfileKind kind);
}

public interface IProfileReaderGrain : IGrainWithStringKey
{
    Task<ProfileView> Read();
}

/// <summary>The state class as it was first written ...</summary>
public sealed class ProfileStateV1
{
    public string DisplayName { get; set; } = "";
    public int Visits { get; set; }
    public List<string> Tags { get; set; } = [];
    public ProfileKind Kind { get; set; }
}

public sealed class ProfileWriterGrain([PersistentState("profile")] IPersistentState<ProfileStateV1> state) : Grain, IProfileWriterGrain
{
    public Task Write(string displayName, int visits, string[] tags, ProfileKind kind)
    {
        state.State = new ProfileStateV1 { DisplayName = displayName, Visits = visits, Tags = [.. tags], Kind = kind };
        return state.WriteStateAsync();
    }
}

public sealed class ProfileReaderGrain([PersistentState("profile")] IPersistentState<Renamed.CitizenProfile> state) : Grain, IProfileReaderGrain
{
    public Task<ProfileView> Read() => Task.FromResult(new ProfileView(
        state.State.DisplayName, state.State.Visits, [.. state.State.Tags], state.State.Kind, state.RecordExists));
}

// ---- Reminders (Guid key). ----

public interface IReminderProbeGrain : IGrainWithGuidKey
{
    Task Register(string name, TimeSpan dueTime, TimeSpan period);
    Task Unregister(string name);
    Task<List<string>> ListReminders();
}

public sealed class ReminderProbeGrain : Grain, IReminderProbeGrain, IRemindable
{
    /// <summary>Ticks seen, by "{grain key}/{reminder name}", across activations and silos in this process.</summary>
    public static readonly ConcurrentDictionary<string, int> Ticks = new();

    public static string TickKey(Guid grain, string reminder) => $"{grain:N}/{reminder}";

    public Task Register(string name, TimeSpan dueTime, TimeSpan period) =>
        this.RegisterOrUpdateReminder(name, dueTime, period);

    public async Task Unregister(string name)
    {
        var reminder = await this.GetReminder(name);
        if (reminder is not null) await this.UnregisterReminder(reminder);
    }

    public async Task<List<string>> ListReminders() =>
        (await this.GetReminders()).Select(r => r.ReminderName).Order(StringComparer.Ordinal).ToList();

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        Ticks.AddOrUpdate(TickKey(this.GetPrimaryKey(), reminderName), 1, (_, n) => n + 1);
        return Task.CompletedTask;
    }
}
