using System.Text;
using System.Text.Json;
using Minsheng.Domain.Notifications;

namespace Minsheng.Domain.Tests.Notifications;

public sealed class WebhookBodyTests
{
    [Fact]
    public void The_body_names_the_delivery_the_notice_and_its_facts_in_camel_case()
    {
        var bytes = WebhookBody.Bytes(Deliveries.Work());
        using var json = JsonDocument.Parse(bytes);
        var root = json.RootElement;
        Assert.Equal(
            ["deliveryId", "subscriptionId", "planId", "event", "noticeId", "sequence", "at", "title", "markdown", "data"],
            root.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal("sub-1-7", root.GetProperty("deliveryId").GetString());
        Assert.Equal("sub-1", root.GetProperty("subscriptionId").GetString());
        Assert.Equal("gongshu-2024", root.GetProperty("planId").GetString());
        Assert.Equal("caseOpened", root.GetProperty("event").GetString());
        Assert.Equal("caseOpened:C0003", root.GetProperty("noticeId").GetString());
        Assert.Equal(7, root.GetProperty("sequence").GetInt64());
        Assert.Equal(Deliveries.Monday, root.GetProperty("at").GetDateTimeOffset());
        Assert.Equal(4, root.GetProperty("data").GetProperty("weeks").GetInt32());
        Assert.Equal(Deliveries.CaseOpened().Markdown, root.GetProperty("markdown").GetString());
    }

    [Fact]
    public void Chinese_and_markdown_stay_readable_in_the_bytes()
    {
        var text = Encoding.UTF8.GetString(WebhookBody.Bytes(Deliveries.Work()));
        Assert.Contains("个案督办：武林街道加装电梯进度滞后", text, StringComparison.Ordinal);
        Assert.Contains("> 武林街道 **加装电梯** 连续 4 周滞后 & 需说明原因", text, StringComparison.Ordinal);
    }

    [Fact]
    public void It_reads_back_as_it_was_written()
    {
        var work = Deliveries.Work();
        var read = WebhookBody.Parse(WebhookBody.Bytes(work));
        Assert.Equal((work.DeliveryId, "caseOpened", 7L), (read.DeliveryId, read.Event, read.Sequence));
        Assert.Equal(WebhookBody.Bytes(work), read.ToUtf8());
    }

    [Fact]
    public void A_notice_without_facts_sends_an_empty_object()
    {
        var work = Deliveries.Work();
        work = work with { Notice = work.Notice with { Data = default } };
        using var json = JsonDocument.Parse(WebhookBody.Bytes(work));
        Assert.Equal(JsonValueKind.Object, json.RootElement.GetProperty("data").ValueKind);
    }
}
