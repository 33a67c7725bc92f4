using System.Text;
using System.Text.Json;
using Minsheng.Domain.Notifications;

namespace Minsheng.Domain.Tests.Notifications;

public sealed class DingTalkRobotTests
{
    private const string Secret = "SEC0123456789abcdef";
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);

    // Computed once outside .NET: printf '%s' $'1700000000000\nSEC0123456789abcdef' | openssl dgst -sha256 -hmac SEC0123456789abcdef -binary | base64
    private const string KnownSign = "TSZbRFUuvaSQaRKUpF970OPCb2/LcQAP3wOvwZIzBZk=";

    [Fact]
    public void The_sign_is_the_base64_hmac_of_timestamp_newline_secret() =>
        Assert.Equal(KnownSign, DingTalkRobot.Signature(Secret, 1_700_000_000_000));

    [Fact]
    public void The_signed_url_appends_the_millisecond_timestamp_and_the_url_encoded_sign()
    {
        var url = DingTalkRobot.SignedUrl(new Uri("https://oapi.dingtalk.com/robot/send?access_token=abc123"), Secret, At);
        Assert.Equal("https://oapi.dingtalk.com/robot/send?access_token=abc123&timestamp=1700000000000&sign=TSZbRFUuvaSQaRKUpF970OPCb2%2FLcQAP3wOvwZIzBZk%3D",
            url.AbsoluteUri);
    }

    [Fact]
    public void A_url_without_a_query_gets_one()
    {
        var url = DingTalkRobot.SignedUrl(new Uri("https://robot.example.gov.cn/send"), Secret, At);
        Assert.StartsWith("https://robot.example.gov.cn/send?timestamp=1700000000000&sign=", url.AbsoluteUri, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_takes_the_decoded_sign_within_the_tolerance_only()
    {
        Assert.True(DingTalkRobot.Verify(Secret, "1700000000000", KnownSign, At.AddMinutes(30), TimeSpan.FromHours(1)));
        Assert.False(DingTalkRobot.Verify(Secret, "1700000000000", KnownSign, At.AddHours(2), TimeSpan.FromHours(1)));
        Assert.False(DingTalkRobot.Verify("SECother", "1700000000000", KnownSign, At, TimeSpan.FromHours(1)));
        Assert.False(DingTalkRobot.Verify(Secret, "1700000000001", KnownSign, At, TimeSpan.FromHours(1)));
        Assert.False(DingTalkRobot.Verify(Secret, null, KnownSign, At, TimeSpan.FromHours(1)));
    }

    [Fact]
    public void The_message_is_markdown_with_the_notice_title_and_text()
    {
        var bytes = DingTalkRobot.Message(Deliveries.CaseOpened());
        using var json = JsonDocument.Parse(bytes);
        Assert.Equal("markdown", json.RootElement.GetProperty("msgtype").GetString());
        var markdown = json.RootElement.GetProperty("markdown");
        Assert.Equal(Deliveries.CaseOpened().Title, markdown.GetProperty("title").GetString());
        Assert.Equal(Deliveries.CaseOpened().Markdown, markdown.GetProperty("text").GetString());
        Assert.Contains("个案督办", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"errcode":0,"errmsg":"ok"}""", true, null)]
    [InlineData("""{"errcode":130101,"errmsg":"send too fast"}""", false, "DingTalk errcode 130101: send too fast")]
    [InlineData("""{"errcode":310000,"errmsg":"sign not match"}""", false, "DingTalk errcode 310000: sign not match")]
    [InlineData("""{"errcode":300001}""", false, "DingTalk errcode 300001: (no errmsg)")]
    public void The_answer_is_taken_only_with_errcode_zero(string answer, bool ok, string? failure)
    {
        var read = DingTalkAnswer.Read(Encoding.UTF8.GetBytes(answer));
        Assert.NotNull(read);
        Assert.Equal((ok, failure), (read.Ok, read.Failure));
    }

    [Theory]
    [InlineData("")]
    [InlineData("<html>bad gateway</html>")]
    [InlineData("[]")]
    [InlineData("""{"errmsg":"ok"}""")]
    [InlineData("""{"errcode":"0"}""")]
    public void An_answer_without_a_numeric_errcode_is_unreadable(string answer) =>
        Assert.Null(DingTalkAnswer.Read(Encoding.UTF8.GetBytes(answer)));
}
