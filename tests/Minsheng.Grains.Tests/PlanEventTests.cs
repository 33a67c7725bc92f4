using Microsoft.Extensions.DependencyInjection;
using Minsheng.Domain.Progress;
using Minsheng.Domain.Supervision;
using Minsheng.Grains.Events;
using Minsheng.Grains.Messages;
using Orleans.Serialization;

namespace Minsheng.Grains.Tests;

/// <summary>
/// A live event keeps its payload as a record until its JSON is read: nothing is serialized where it is raised, and
/// between silos the record travels in Orleans' encoding, arriving as the same JSON the sender would have written.
/// </summary>
public sealed class PlanEventTests
{
    private static readonly DateTimeOffset At = new(2024, 6, 3, 9, 0, 0, TimeSpan.FromHours(8));

    private static readonly Serializer Wire = new ServiceCollection().AddMinshengSerialization().BuildServiceProvider()
        .GetRequiredService<Serializer>();

    private static (PlanEventKind Kind, object Payload) Payload(string kind) => kind switch
    {
        "progress" => (PlanEventKind.Progress, new ProgressEventData("r-1", "3.1", "tianshui", "main", 5, 3, 8, AssignmentStatus.OnTrack, 2, At, false)),
        "status" => (PlanEventKind.Status, new StatusChanged("3.1", "tianshui", "main", AssignmentStatus.OnTrack, AssignmentStatus.Lagging, true, At)),
        "case" => (PlanEventKind.Case, new CaseEventData(CaseAction.Responded, new SupervisionCase("c-1", "3.1", "tianshui", CaseKind.Lagging,
            CaseState.Responded, At, "进度滞后", ["tianshui"], [new CaseResponse("正在推进\n下周完成", new DateOnly(2024, 6, 30), "street:tianshui", At)]))),
        "ranking" => (PlanEventKind.Ranking, new RankingEventData("2024-W23", At)),
        _ => (PlanEventKind.Evaluation, new EvaluationEventData("final", At)),
    };

    [Theory]
    [InlineData("progress")]
    [InlineData("status")]
    [InlineData("case")]
    [InlineData("ranking")]
    [InlineData("evaluation")]
    public void An_event_crosses_silos_as_its_record_and_reads_as_the_same_JSON(string name)
    {
        var (kind, payload) = Payload(name);
        var sent = PlanEvents.Create("gongshu-2024", kind, payload, At);
        var received = Wire.Deserialize<PlanEvent>(Wire.SerializeToArray(sent))!;

        Assert.Equal((sent.PlanId, sent.Kind, sent.At), (received.PlanId, received.Kind, received.At));
        Assert.Equal(sent.Data, received.Data);
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(payload, payload.GetType(), PlanEvents.Json), received.Data);
    }

    [Fact]
    public void An_event_given_as_JSON_keeps_that_text()
    {
        var sent = new PlanEvent("p", PlanEventKind.Progress, """{"n":1}""", At);
        Assert.Equal("""{"n":1}""", Wire.Deserialize<PlanEvent>(Wire.SerializeToArray(sent))!.Data);
    }
}
