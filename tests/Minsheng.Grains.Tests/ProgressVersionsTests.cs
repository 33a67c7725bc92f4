using Minsheng.Grains.Events;

namespace Minsheng.Grains.Tests;

public sealed class ProgressVersionsTests
{
    [Fact]
    public void Each_assignment_version_is_published_once_and_an_older_one_after_a_newer_never()
    {
        var versions = new ProgressVersions();
        Assert.True(versions.Advance("3.1", "wulin", "main", 1));
        Assert.False(versions.Advance("3.1", "wulin", "main", 1)); // sent again after a failed call
        Assert.True(versions.Advance("3.1", "wulin", "main", 2));
        Assert.False(versions.Advance("3.1", "wulin", "main", 1)); // a frozen silo's late copy
        Assert.True(versions.Advance("3.1", "wulin", "other", 1)); // another metric of the same assignment
        Assert.True(versions.Advance("3.1", "tianshui", "main", 1));
    }
}
