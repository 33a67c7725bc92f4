using Minsheng.Domain.Progress;
using Minsheng.Domain.SignOff;
using Minsheng.Grains.Messages;
using Minsheng.Grains.ReportLog;
using Minsheng.Grains.SignOff;

namespace Minsheng.Grains.Tests;

/// <summary>
/// The contract every sign-off store keeps (in memory here, PostgreSQL in Minsheng.Persistence.Tests): a filing is
/// stored once; a rejection changes only a pending row the report log does not hold; a row the log holds reads as
/// approved, with the reviewer the log's row names, even before it is marked; an owner loads only what is marked pending.
/// </summary>
public abstract class SignOffStoreContract
{
    protected abstract ISignOffStore Store { get; }

    protected abstract IReportLog Log { get; }

    private static readonly TimeSpan Offset = TimeSpan.FromHours(8);
    private static readonly DateTimeOffset Monday = new(2024, 6, 3, 9, 0, 0, Offset);

    private static PendingReport Filing(string reportId, string unitId = "shangtang", long completed = 3, string taskId = "2.1", int minute = 0) =>
        new(new ReportRequest(reportId, taskId, unitId, "main", completed, "三台电梯完工", [], false, null), $"reporter:{unitId}", "王芳 (u-1)",
            Monday.AddMinutes(minute));

    [Fact]
    public async Task A_filing_is_stored_once_and_read_back_whole()
    {
        Assert.Null(await Store.File("p1", "shangtang", Filing("r1")));
        var again = await Store.File("p1", "shangtang", Filing("r1", completed: 9));
        Assert.Equal(3, again!.Request.Completed);

        var found = await Store.Find("p1", "r1");
        Assert.NotNull(found);
        Assert.Equal(Filing("r1").Fingerprint, found.Fingerprint); // every field of the request, as filed
        Assert.Equal(SignOffState.Pending, found.State);
        Assert.Equal(("reporter:shangtang", "王芳 (u-1)", Monday), (found.ReporterRole, found.Reporter, found.SubmittedAt));
        Assert.Null(found.Reviewer);
        Assert.Null(await Store.Find("p2", "r1"));
        Assert.Equal(["r1"], (await Store.Waiting("p1", "shangtang")).Select(i => i.ReportId));
        Assert.Empty(await Store.Waiting("p1", "wulin"));
    }

    [Fact]
    public async Task A_rejection_sends_back_only_a_pending_row_once()
    {
        await Store.File("p1", "shangtang", Filing("r1"));
        Assert.True(await Store.Reject("p1", "r1", "reviewer:shangtang", "李主任 (u-9)", "缺少完工照片", Monday.AddHours(2)));
        Assert.False(await Store.Reject("p1", "r1", "reviewer:shangtang", "李主任 (u-9)", "再退一次", Monday.AddHours(3)));
        Assert.False(await Store.Reject("p1", "nothing", "reviewer:shangtang", "李主任 (u-9)", "无", Monday.AddHours(3)));

        var back = await Store.Find("p1", "r1");
        Assert.Equal(SignOffState.Rejected, back!.State);
        Assert.Equal(("reviewer:shangtang", "李主任 (u-9)", "缺少完工照片", Monday.AddHours(2)), (back.ReviewerRole, back.Reviewer, back.ReturnReason, back.ReviewedAt));
        Assert.Empty(await Store.Waiting("p1", "shangtang"));
        await Store.MarkApproved("p1", "r1", "reviewer:shangtang", "李主任 (u-9)", Monday.AddHours(4));
        Assert.Equal(SignOffState.Rejected, (await Store.Find("p1", "r1"))!.State);
    }

    [Fact]
    public async Task A_row_the_report_log_holds_is_approved_before_it_is_marked_and_cannot_be_sent_back()
    {
        await Store.File("p1", "shangtang", Filing("r1"));
        await Append("p1", "r1", Monday.AddHours(1));

        var found = await Store.Find("p1", "r1");
        Assert.Equal(SignOffState.Approved, found!.State);
        Assert.Equal(("reviewer:shangtang", "李主任 (u-9)", Monday.AddHours(1)), (found.ReviewerRole, found.Reviewer, found.ReviewedAt));
        Assert.False(await Store.Reject("p1", "r1", "reviewer:shangtang", "李主任 (u-9)", "晚了", Monday.AddHours(2)));
        Assert.Empty(await Store.List("p1", new SignOffQuery()));
        Assert.Equal(["r1"], (await Store.List("p1", new SignOffQuery(SignOffState.Approved))).Select(i => i.ReportId));
        // Still marked pending: the owner's next activation finds it, sees the log's row and marks it.
        Assert.Single(await Store.Waiting("p1", "shangtang"));
        await Store.MarkApproved("p1", "r1", "reviewer:shangtang", "李主任 (u-9)", Monday.AddHours(1));
        Assert.Empty(await Store.Waiting("p1", "shangtang"));
        Assert.Equal(SignOffState.Approved, (await Store.Find("p1", "r1"))!.State);
    }

    [Fact]
    public async Task The_list_filters_by_state_unit_and_task_in_filing_order()
    {
        await Store.File("p1", "shangtang", Filing("a", minute: 1));
        await Store.File("p1", "wulin", Filing("b", unitId: "wulin", minute: 2));
        await Store.File("p1", "shangtang", Filing("c", taskId: "3.1", minute: 3));
        await Store.File("p1", "shangtang", Filing("d", minute: 4));
        await Store.Reject("p1", "d", "reviewer:shangtang", "李主任 (u-9)", "数据有误", Monday.AddHours(1));
        await Store.File("p2", "shangtang", Filing("e"));

        Assert.Equal(["a", "b", "c"], Ids(await Store.List("p1", new SignOffQuery())));
        Assert.Equal(["a", "c"], Ids(await Store.List("p1", new SignOffQuery(UnitId: "shangtang"))));
        Assert.Equal(["a"], Ids(await Store.List("p1", new SignOffQuery(UnitId: "shangtang", TaskId: "2.1"))));
        Assert.Equal(["d"], Ids(await Store.List("p1", new SignOffQuery(SignOffState.Rejected))));
        Assert.Equal(["a", "b", "c", "d"], Ids(await Store.List("p1", new SignOffQuery(null))));
        Assert.Equal(["a", "b"], Ids(await Store.List("p1", new SignOffQuery(null, Limit: 2))));
        Assert.Equal(["e"], Ids(await Store.List("p2", new SignOffQuery())));
    }

    private static List<string> Ids(IEnumerable<PendingReport> items) => items.Select(i => i.ReportId).ToList();

    private async Task Append(string planId, string reportId, DateTimeOffset at)
    {
        var line = new SignOffLine("reporter:shangtang", "王芳 (u-1)", Monday, "reviewer:shangtang", "李主任 (u-9)", at);
        var row = new ReportLogEntry(planId, "shangtang", LogKind.Report, reportId, "2.1", "shangtang", "main", 1, 3, 0, at, "reporter:shangtang",
            "王芳 (u-1)", "f", "三台电梯完工", [], false, null, null, at, null, null, line);
        Assert.Equal(AppendStatus.Appended, (await Log.Append(row)).Status);
    }
}
