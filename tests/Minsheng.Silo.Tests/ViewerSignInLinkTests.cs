using Minsheng.Silo.Auth;

namespace Minsheng.Silo.Tests;

/// <summary>The viewer sign-in link the host prints on the embedded default: clickable, with the token as a query value.</summary>
public sealed class ViewerSignInLinkTests
{
    [Theory]
    [InlineData("http://localhost:5080", "http://localhost:5080/?token=abc.def-ghi_j")]
    [InlineData("http://0.0.0.0:5080", "http://localhost:5080/?token=abc.def-ghi_j")]
    [InlineData("http://[::]:8080", "http://localhost:8080/?token=abc.def-ghi_j")]
    [InlineData("http://127.0.0.1:5391", "http://127.0.0.1:5391/?token=abc.def-ghi_j")]
    public void Sign_in_link_points_at_the_page_with_the_token(string address, string expected) =>
        Assert.Equal(expected, ViewerSignInLink.LinkFor(address, "abc.def-ghi_j"));
}
