using Minsheng.Domain.Progress;
using Minsheng.Domain.SignOff;

namespace Minsheng.Domain.Tests.SignOff;

public sealed class SignOffRulesTests
{
    private static readonly DateTimeOffset Monday = new(2024, 6, 3, 9, 0, 0, TimeSpan.FromHours(8));

    private static PendingReport Item(string id = "r1", string reporter = "王芳 (u-1)", DateTimeOffset? at = null) =>
        new(new ReportRequest(id, "3.1", "wulin", "lifts", 3, "3 部电梯完工", [], false, null), "street:wulin", reporter, at ?? Monday);

    [Fact]
    public void A_reviewer_other_than_the_reporter_approves_a_pending_item_once()
    {
        var item = Item();
        Assert.Null(SignOffRules.CheckDecision(item, "李主任 (u-9)", approve: true, null, ReportLimits.Default));
        var approved = SignOffRules.Approve(item, "李主任 (u-9)", Monday.AddHours(2));
        Assert.Equal((SignOffState.Approved, "李主任 (u-9)", Monday.AddHours(2)), (approved.State, approved.Reviewer, approved.ReviewedAt));
        Assert.Equal(item.Reporter, approved.Reporter); // both people stay on the item
        Assert.Equal(item.SubmittedAt, approved.SubmittedAt);

        var again = SignOffRules.CheckDecision(approved, "李主任 (u-9)", approve: false, "重复", ReportLimits.Default);
        Assert.Equal((409, "reportId"), (again!.Status, again.Field));
        Assert.Contains("已审核通过", again.Reason);
    }

    [Fact]
    public void Nobody_reviews_their_own_filling()
    {
        var refusal = SignOffRules.CheckDecision(Item(), "王芳 (u-1)", approve: true, null, ReportLimits.Default);
        Assert.Equal((403, "reviewer", "填报人不能审核自己填报的数据"), (refusal!.Status, refusal.Field, refusal.Reason));
    }

    [Fact]
    public void A_rejection_needs_a_reason_within_the_limit_and_returns_the_item_with_it()
    {
        Assert.Equal("reason", SignOffRules.CheckDecision(Item(), "李主任 (u-9)", approve: false, "  ", ReportLimits.Default)!.Field);
        var tooLong = new string('字', ReportLimits.Default.MaxReasonLength + 1);
        Assert.Equal(400, SignOffRules.CheckDecision(Item(), "李主任 (u-9)", approve: false, tooLong, ReportLimits.Default)!.Status);

        var returned = SignOffRules.Reject(Item(), "李主任 (u-9)", " 缺少完工照片 ", Monday.AddDays(1));
        Assert.Equal((SignOffState.Rejected, "缺少完工照片"), (returned.State, returned.ReturnReason));
        Assert.Contains("已退回", SignOffRules.CheckDecision(returned, "李主任 (u-9)", approve: true, null, ReportLimits.Default)!.Reason);
    }

    [Fact]
    public void What_waits_is_the_pending_items_oldest_first()
    {
        var items = new[]
        {
            Item("r3", at: Monday.AddHours(3)),
            SignOffRules.Approve(Item("r1", at: Monday), "李主任 (u-9)", Monday.AddHours(5)),
            Item("r2", at: Monday.AddHours(1)),
            SignOffRules.Reject(Item("r4", at: Monday.AddHours(2)), "李主任 (u-9)", "数据有误", Monday.AddHours(6)),
            Item("r0", at: Monday.AddHours(1)),
        };
        Assert.Equal(["r0", "r2", "r3"], SignOffRules.Waiting(items).Select(i => i.ReportId));
    }
}
