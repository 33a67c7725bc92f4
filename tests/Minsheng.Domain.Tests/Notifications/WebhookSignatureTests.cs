using System.Text;
using Minsheng.Domain.Notifications;

namespace Minsheng.Domain.Tests.Notifications;

public sealed class WebhookSignatureTests
{
    private const string Secret = "whsec-测试-secret";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"deliveryId":"sub-1-7","title":"个案督办"}""");
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    // Computed once outside .NET: printf '%s' '1700000000.{"deliveryId":"sub-1-7","title":"个案督办"}' | openssl dgst -sha256 -hmac 'whsec-测试-secret'
    private const string KnownHeader = "t=1700000000,v1=c0b23e50fe95b9a72550dd5097595ee3673f308a37baf7ed9a35e03647aeb773";

    [Fact]
    public void The_header_is_the_timestamp_and_the_lowercase_hex_hmac_of_timestamp_dot_body() =>
        Assert.Equal(KnownHeader, WebhookSignature.Create(Secret, At, Body));

    [Fact]
    public void A_receiver_verifies_it_within_the_tolerance_either_way()
    {
        Assert.True(WebhookSignature.Verify(Secret, KnownHeader, Body, At, TimeSpan.FromMinutes(5)));
        Assert.True(WebhookSignature.Verify(Secret, KnownHeader, Body, At.AddMinutes(5), TimeSpan.FromMinutes(5)));
        Assert.True(WebhookSignature.Verify(Secret, KnownHeader, Body, At.AddMinutes(-5), TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void A_tampered_body_a_wrong_secret_or_an_old_timestamp_is_refused()
    {
        var tampered = Body.ToArray();
        tampered[^3] ^= 1;
        Assert.False(WebhookSignature.Verify(Secret, KnownHeader, tampered, At, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify("whsec-other", KnownHeader, Body, At, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify(Secret, KnownHeader, Body, At.AddMinutes(5).AddSeconds(1), TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify(Secret, KnownHeader, Body, At.AddHours(-1), TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void A_timestamp_changed_in_the_header_breaks_the_signature()
    {
        var moved = KnownHeader.Replace("t=1700000000", "t=1700000060", StringComparison.Ordinal);
        Assert.False(WebhookSignature.Verify(Secret, moved, Body, At.AddMinutes(1), TimeSpan.FromMinutes(5)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("v1=c0b23e50fe95b9a72550dd5097595ee3673f308a37baf7ed9a35e03647aeb773")]
    [InlineData("t=1700000000")]
    [InlineData("t=1700000000,v1=zz")]
    [InlineData("t=-1700000000,v1=c0b23e50fe95b9a72550dd5097595ee3673f308a37baf7ed9a35e03647aeb773")]
    [InlineData("t=99999999999999999999,v1=c0b23e50fe95b9a72550dd5097595ee3673f308a37baf7ed9a35e03647aeb773")]
    public void A_malformed_header_is_refused(string? header) =>
        Assert.False(WebhookSignature.Verify(Secret, header, Body, At, TimeSpan.FromMinutes(5)));

    [Fact]
    public void One_matching_v1_among_several_passes_while_a_secret_is_rotated()
    {
        var rotated = "t=1700000000,v1=" + new string('0', 64) + "," + KnownHeader.Split(',')[1];
        Assert.True(WebhookSignature.Verify(Secret, rotated, Body, At, TimeSpan.FromMinutes(5)));
    }
}
