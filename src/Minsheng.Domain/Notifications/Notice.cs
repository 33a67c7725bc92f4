using System.Text.Json;

namespace Minsheng.Domain.Notifications;

/// <summary>
/// One thing worth telling people, as its cause decided it: made once, in the same durable write as its cause, and
/// delivered to every subscription that asks for its kind and its units, in the order notices were stored.
/// </summary>
/// <param name="Id">Stable and unique within the plan (e.g. <c>caseOpened:C0003</c>): storing it again changes nothing.</param>
/// <param name="Units">The units it concerns (street, department or leader ids); empty for the whole plan (rankings, evaluations).</param>
/// <param name="Title">A one-line Chinese title.</param>
/// <param name="Markdown">The Chinese message (DingTalk markdown; also in the webhook's body).</param>
/// <param name="Data">The facts as JSON (camelCase), for machines.</param>
public sealed record Notice(
    string PlanId,
    string Id,
    NoticeKind Kind,
    DateTimeOffset At,
    IReadOnlyList<string> Units,
    string Title,
    string Markdown,
    JsonElement Data);
